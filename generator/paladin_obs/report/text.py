"""Text for people: one located line per finding, details (diffs) below it.

Findings go to standard output (what the command was asked to find); what
stopped the command goes to standard error, with the summary, so scripts can
keep the two apart. Errors carry no prefix (``file:line:col: message``, as
compilers print them); warnings and infos say so.

On a terminal the location, the severity and the check id are coloured (an
error's location red, as it has no severity word) and so are a diff's added
and removed lines. Colour only ever adds escape codes around text: without
them the bytes are exactly the uncoloured output, which scripts and tests
rely on.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, format_path
from paladin_obs.report import Rendered, Report
from paladin_obs.report.colour import BLUE, BOLD, CYAN, GREEN, RED, YELLOW, paint

_LEVEL_COLOUR = {"warning": YELLOW, "info": BLUE}


def _coloured_line(diagnostic: Diagnostic) -> str:
    """``Diagnostic.render`` with colour; the same text once codes are stripped."""
    location = str(diagnostic.location)
    if diagnostic.severity == "error":
        head = paint(location, BOLD, RED) + ": "
    else:
        level = paint(f"{diagnostic.severity}:", BOLD, _LEVEL_COLOUR[diagnostic.severity])
        head = paint(location, BOLD) + ": " + level + " "
    where = f" (at {format_path(diagnostic.path)})" if diagnostic.path else ""
    tag = " " + paint(f"[{diagnostic.check}]", CYAN) if diagnostic.check else ""
    return f"{head}{diagnostic.message}{where}{tag}"


def _coloured_diff(detail: str) -> str:
    out = []
    for line in detail.splitlines(keepends=True):
        body = line.rstrip("\n")
        end = line[len(body) :]
        if body.startswith(("+++", "---")):
            out.append(paint(body, BOLD) + end)
        elif body.startswith("+"):
            out.append(paint(body, GREEN) + end)
        elif body.startswith("-"):
            out.append(paint(body, RED) + end)
        elif body.startswith("@@"):
            out.append(paint(body, CYAN) + end)
        else:
            out.append(line)
    return "".join(out)


def _entry(diagnostic: Diagnostic, colour: bool) -> str:
    text = (_coloured_line(diagnostic) if colour else diagnostic.render()) + "\n"
    if diagnostic.detail:
        detail = diagnostic.detail if diagnostic.detail.endswith("\n") else diagnostic.detail + "\n"
        text += _coloured_diff(detail) if colour else detail
    return text


def render(report: Report, colour_out: bool = False, colour_err: bool = False) -> Rendered:
    """The report as text; ``colour_out``/``colour_err`` colour each stream."""
    out = "".join(_entry(f, colour_out) for f in report.findings)
    out += trailer_lines(report)
    err = "".join(_entry(p, colour_err) for p in report.problems)
    if report.summary:
        line = summary_line(report)
        if report.exit_code == 0:
            out += line
        else:
            err += line
    return Rendered(out, err)


def trailer_lines(report: Report) -> str:
    """The report's informational lines (a dry run's plan), one per line."""
    return "".join(line + "\n" for line in report.lines)


def summary_line(report: Report) -> str:
    return f"paladin-obs: {report.summary}\n" if report.summary else ""


def for_people(report: Report) -> str:
    """What machine formats print on standard error: the plan and the summary,
    as text shows them, so a CI log still says what happened while standard
    output carries only the machine-readable document."""
    return trailer_lines(report) + summary_line(report)
