"""Text for people: one located line per finding, details (diffs) below it.

Findings go to standard output (what the command was asked to find); what
stopped the command goes to standard error, with the summary, so scripts can
keep the two apart. Errors carry no prefix (``file:line:col: message``, as
compilers print them); warnings and infos say so.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.report import Rendered, Report


def _entry(diagnostic: Diagnostic) -> str:
    text = diagnostic.render() + "\n"
    if diagnostic.detail:
        text += diagnostic.detail if diagnostic.detail.endswith("\n") else diagnostic.detail + "\n"
    return text


def render(report: Report) -> Rendered:
    out = "".join(_entry(f) for f in report.findings)
    out += "".join(line + "\n" for line in report.lines)
    err = "".join(_entry(p) for p in report.problems)
    if report.summary:
        line = f"paladin-obs: {report.summary}\n"
        if report.exit_code == 0:
            out += line
        else:
            err += line
    return Rendered(out, err)
