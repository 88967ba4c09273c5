"""One report layer: commands describe what they found, renderers decide how it looks.

Commands never print. They return a Report (problems that stopped them,
findings, plan lines, a summary and the exit code) and ``emit`` renders it
with the chosen format, so every command speaks the same way and machine
formats are one more renderer of the same data.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from paladin_obs.diagnostics import Diagnostic


@dataclass(frozen=True)
class Report:
    #: What made the command stop (bad input, refused writes): the user must act.
    problems: tuple[Diagnostic, ...] = ()
    #: What the command found: validity and lint findings, drift of files.
    findings: tuple[Diagnostic, ...] = ()
    #: Informational lines in order, such as a dry run's plan.
    lines: tuple[str, ...] = ()
    #: One closing sentence.
    summary: str = ""
    exit_code: int = 0


@dataclass(frozen=True)
class Rendered:
    out: str
    err: str


def _text(report: Report) -> Rendered:
    from paladin_obs.report.text import render

    return render(report)


FORMATS: dict[str, Callable[[Report], Rendered]] = {"text": _text}


def emit(report: Report, fmt: str = "text") -> int:
    """Print ``report`` and return its exit code (the command's)."""
    rendered = FORMATS[fmt](report)
    if rendered.out:
        sys.stdout.write(rendered.out)
        sys.stdout.flush()
    if rendered.err:
        sys.stderr.write(rendered.err)
        sys.stderr.flush()
    return report.exit_code
