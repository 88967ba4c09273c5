"""Running the pipeline for a command: bad input becomes a report, not an exception."""

from __future__ import annotations

from paladin_obs import pipeline
from paladin_obs.diagnostics import InputError
from paladin_obs.report import Report


def build(spec: str, out: str, env: str | None, consequence: str) -> pipeline.Output | Report:
    """The pipeline's output, or the report of every problem in the input."""
    try:
        return pipeline.build(spec, out, env)
    except InputError as exc:
        return input_report(exc, consequence)


def input_report(exc: InputError, consequence: str = "; nothing was written") -> Report:
    """Every problem of unusable input, exit 2: one shape for every command."""
    count = len(exc.diagnostics)
    return Report(
        problems=tuple(exc.diagnostics),
        summary=f"{count} problem(s) in the input{consequence}.",
        exit_code=2,
    )
