"""A build's output, kept by everything that went into it, for the next run.

``generate`` and ``check`` run in pre-commit hooks and CI on every commit,
and the spec usually has not changed: the output is a pure function of the
spec, the files the build read (``inputs``), the options and paladin-obs's
own code, so a build of the same inputs gives the same bytes and findings.
An entry is found by the spec's bytes, its path, the output directory, the
options and a fingerprint of the installed code (file sizes and times, the
interpreter, the installed distributions); it is used only if every other
file the build read still has the same sha256 and every template directory
the same listing. Anything odd (unreadable, another format, a mismatch) is a
miss, never an error: the build runs as if there were no cache. Comparing
with, and writing to, the output directory is never skipped.

Entries live in ``$PALADIN_OBS_CACHE_DIR``, else ``$XDG_CACHE_HOME/paladin-obs``,
else ``~/.cache/paladin-obs``; ``PALADIN_OBS_CACHE_DIR=""`` (or ``--no-cache``)
turns the cache off. The newest entries are kept, at most 64 and 1 GiB.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import paladin_obs
from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.output import Output
from paladin_obs.write import OutFile

ENV = "PALADIN_OBS_CACHE_DIR"
#: Bumped whenever an entry's layout changes.
_FORMAT = 3
_SUFFIX = ".entry"
_KEEP = 64
_KEEP_BYTES = 2**30


def directory() -> Path | None:
    """Where entries live, or None when caching is off."""
    explicit = os.environ.get(ENV)
    if explicit is not None:
        return Path(explicit) if explicit else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":  # no home directory: no cache, rather than one in ./~
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "paladin-obs"


def key(spec: str, spec_bytes: bytes, out: str, only_env: str | None) -> str:
    """The entry's name: everything the build depends on that is known before it runs."""
    h = hashlib.sha256()
    for part in (
        str(_FORMAT),
        paladin_obs.__version__,
        code_fingerprint(),
        os.getcwd(),
        spec,
        os.path.realpath(spec),
        os.path.realpath(out),
        only_env if only_env is not None else "\0all",
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    h.update(spec_bytes)
    return h.hexdigest()


def load(root: Path, name: str) -> Output | None:
    """The cached output, if the entry exists and nothing it read has changed."""
    try:
        with open(root / f"{name}{_SUFFIX}", "rb") as fh:
            entry = json.loads(fh.readline())
            if entry.get("format") != _FORMAT or not _unchanged(entry["reads"]):
                return None
            files: dict[str, OutFile] = {}
            for path, env, size in entry["files"]:
                content = fh.read(size)
                if len(content) != size:
                    return None  # cut short: written by a process that died
                files[path] = OutFile(content, env)
            if fh.read(1):
                return None
        return Output(
            files,
            entry["identity"],
            tuple(entry["scopes"]),
            tuple(_diagnostic(d) for d in entry["findings"]),
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeError):
        return None


def store(root: Path, name: str, output: Output, reads: inputs.Reads) -> None:
    """Keep ``output`` under ``name``; a cache that cannot be written is skipped.

    An entry is one line of JSON (what was read, the findings, each file's
    path, environment and size) and then the files' bytes one after the
    other: a fleet's output is hundreds of megabytes, which as JSON strings
    cost several copies in memory to write and to read.
    """
    if reads.not_reusable:
        return
    try:
        header = {
            "format": _FORMAT,
            "reads": {"files": reads.files, "listings": reads.listings, "resolved": reads.resolved},
            "identity": output.identity,
            "scopes": list(output.scopes),
            "files": [[p, f.environment, len(f.content)] for p, f in output.files.items()],
            "findings": [_plain(d) for d in output.findings],
        }
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".entry-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n")
            for f in output.files.values():
                fh.write(f.content)
        os.replace(tmp, root / f"{name}{_SUFFIX}")
        _prune(root)
    except OSError:
        return


def keep(path: Path, data: bytes) -> None:
    """Write one cache file atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keep-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return


def _unchanged(reads: dict[str, Any]) -> bool:
    for path, sha in reads["files"].items():
        try:
            with open(path, "rb") as fh:
                if inputs.digest(fh.read()) != sha:
                    return False
        except OSError:
            return False
    for given, target in reads["resolved"].items():
        now = os.path.realpath(given) if os.path.isdir(given) else ""
        if now != target:
            return False
    for where, names in reads["listings"].items():
        folder, _, pattern = where.partition("\0")
        if sorted(p.name for p in Path(folder).glob(pattern)) != names:
            return False
    return True


@cache
def code_fingerprint() -> str:
    """paladin-obs's own files (size and modification time) and what it runs on.

    Sizes and times rather than contents: reading every module would cost
    more than the cache saves, and an edit changes the time. The names of
    the installed distributions carry their versions (PyYAML, Jinja2,
    promql-parser), which decide some bytes of the output.
    """
    h = hashlib.sha256(sys.version.encode())
    package = Path(paladin_obs.__file__).parent
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            h.update("\n".join(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info"))).encode())
    return h.hexdigest()


def _plain(d: Diagnostic) -> dict[str, Any]:
    return {
        "location": [d.location.file, d.location.line, d.location.column],
        "message": d.message,
        "path": list(d.path),
        "check": d.check,
        "severity": d.severity,
        "detail": d.detail,
        "source": d.source,
    }


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    file, line, column = data["location"]
    severity = data["severity"]
    if severity not in ("error", "warning", "info"):
        raise ValueError(severity)
    return Diagnostic(
        Location(file, line, column),
        data["message"],
        tuple(data["path"]),
        data["check"],
        severity,
        data["detail"],
        data["source"],
    )


def _prune(root: Path) -> None:
    """Keep the newest entries: at most ``_KEEP``, and at most ``_KEEP_BYTES``
    together (the newest is always kept, however large)."""
    entries = sorted(
        ((p, p.stat()) for p in root.glob(f"*{_SUFFIX}")),
        key=lambda item: item[1].st_mtime_ns,
        reverse=True,
    )
    total = 0
    for i, (path, st) in enumerate(entries):
        total += st.st_size
        if i > 0 and (i >= _KEEP or total > _KEEP_BYTES):
            path.unlink(missing_ok=True)
