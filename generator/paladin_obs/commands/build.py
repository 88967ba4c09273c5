"""Running the pipeline for a command: bad input becomes a report, not an exception.

A build of unchanged input comes from the cache (``cache``) without
importing the pipeline at all: that import is most of a cold run.
"""

from __future__ import annotations

import os
import stat

from paladin_obs import cache, inputs
from paladin_obs.diagnostics import InputError
from paladin_obs.limits import MAX_FILE_BYTES
from paladin_obs.output import Output
from paladin_obs.report import Report


def build(
    spec: str, out: str, env: str | None, consequence: str, *, use_cache: bool = True
) -> Output | Report:
    """The pipeline's output, or the report of every problem in the input."""
    root = cache.directory() if use_cache else None
    name = ""
    if root is not None:
        spec_bytes = _regular_file(spec)
        if spec_bytes is None:
            root = None  # a pipe is read once, by the pipeline, which says what is wrong
        else:
            name = cache.key(spec, spec_bytes, out, env)
            cached = cache.load(root, name)
            if cached is not None:
                return cached
    from paladin_obs import pipeline

    try:
        with inputs.recording() as reads:
            output = pipeline.build(spec, out, env)
    except InputError as exc:
        return input_report(exc, consequence)
    if root is not None:
        cache.store(root, name, output, reads)
    return output


def _regular_file(path: str) -> bytes | None:
    """The spec's bytes if it is a regular file within the size limit, else None."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                return None
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None


def input_report(exc: InputError, consequence: str = "; nothing was written") -> Report:
    """Every problem of unusable input, exit 2: one shape for every command."""
    count = len(exc.diagnostics)
    return Report(
        problems=tuple(exc.diagnostics),
        summary=f"{count} problem(s) in the input{consequence}.",
        exit_code=2,
    )

