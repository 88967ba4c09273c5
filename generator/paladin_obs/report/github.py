"""``--format github``: GitHub Actions workflow commands, one per problem and finding.

Each becomes ``::error file=F,line=L,col=C,title=T::message`` (``::warning``
for warnings, ``::notice`` for infos) so the runner annotates the file and
line in the pull request. ``title`` is the check id (``paladin-obs`` for a
plain validity error); ``file`` is relative to the repository root
(``paths``), line and column are left out when unknown (a drift finding
gets the line its diff first changes, ``where``). The message carries
the document path and, below it, any detail (a diff), escaped as GitHub
unescapes it: ``%``, CR and LF in the message; ``:`` and ``,`` as well in a
property, where they would end the value.

Standard output holds nothing but these commands (problems first, then
findings), so nothing else in it can be mistaken for one; the plan of a dry
run and the summary go to standard error as plain text, where the step's log
shows them without adding an annotation per run.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, format_path
from paladin_obs.report import Rendered, Report
from paladin_obs.report.paths import Repository
from paladin_obs.report.text import for_people
from paladin_obs.report.where import located

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
TITLE = "paladin-obs"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def message(d: Diagnostic) -> str:
    """The annotation's text: the message, where in the document, then the detail."""
    text = d.message + (f" (at {format_path(d.path)})" if d.path else "")
    detail = d.detail.rstrip("\n")
    return f"{text}\n{detail}" if detail else text


def command(d: Diagnostic, repository: Repository) -> str:
    properties: list[tuple[str, str]] = []
    if d.location.file:
        properties.append(("file", repository.shown(d.location.file)))
    if d.location.line > 0:
        properties.append(("line", str(d.location.line)))
        if d.location.column > 0:
            properties.append(("col", str(d.location.column)))
    properties.append(("title", d.check or TITLE))
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties)
    return f"::{_COMMAND[d.severity]} {props}::{escape_data(message(d))}\n"


def render(report: Report, _command: str, repository: Repository | None = None) -> Rendered:
    repo = Repository.here() if repository is None else repository
    out = "".join(command(located(d), repo) for d in (*report.problems, *report.findings))
    return Rendered(out, for_people(report))
