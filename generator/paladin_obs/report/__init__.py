"""One report layer: commands describe what they found, renderers decide how it looks.

Commands never print. They return a Report (problems that stopped them,
findings, plan lines, a summary and the exit code) and ``emit`` renders it
with the chosen format, so every command speaks the same way and machine
formats are one more renderer of the same data. A renderer's module is
imported only when its format is chosen: most runs print text, and start-up
time counts in pre-commit hooks.
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


#: A renderer gets the report and the name of the command that made it.
Renderer = Callable[[Report, str], Rendered]


def _text(report: Report, _command: str) -> Rendered:
    from paladin_obs.report import colour, text

    return text.render(report, colour.enabled(sys.stdout), colour.enabled(sys.stderr))


def _json(report: Report, command: str) -> Rendered:
    from paladin_obs.report import json_report

    return json_report.render(report, command)


def _github(report: Report, command: str) -> Rendered:
    from paladin_obs.report import github

    return github.render(report, command)


def _sarif(report: Report, command: str) -> Rendered:
    from paladin_obs.report import sarif

    return sarif.render(report, command)


#: Every ``--format``, in the order help lists them.
FORMATS: dict[str, Renderer] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
}


def emit(report: Report, fmt: str = "text", command: str = "") -> int:
    """Print ``report`` and return its exit code (the command's)."""
    rendered = FORMATS[fmt](report, command)
    if rendered.out:
        sys.stdout.write(rendered.out)
        sys.stdout.flush()
    if rendered.err:
        sys.stderr.write(rendered.err)
        sys.stderr.flush()
    return report.exit_code
