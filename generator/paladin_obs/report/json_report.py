"""``--format json``: the whole report as one JSON document, for scripts.

The shape is ``schema/report.schema.json`` (``version`` 1): fields are added
in later versions, never renamed or removed without raising ``version``.
Keys keep one documented order and findings keep the command's order, so the
same run prints the same bytes; non-ASCII text is escaped, so the bytes do
not depend on the terminal's encoding either. File names are as the command reports them
(relative to where it ran); ``line`` and ``column`` are null when unknown,
``check`` null for plain validity errors (which have no id to suppress). A
drift finding, about a whole file, is given the line its diff first changes
(``where``), as in the other machine formats.
"""

from __future__ import annotations

import json
from typing import Any

from paladin_obs import __version__
from paladin_obs.diagnostics import SEVERITIES, Diagnostic
from paladin_obs.report import Rendered, Report
from paladin_obs.report.text import for_people
from paladin_obs.report.where import located

#: Raised when a field changes meaning or goes away; new fields keep it.
VERSION = 1


def diagnostic(d: Diagnostic) -> dict[str, Any]:
    d = located(d)
    known = d.location.line > 0
    return {
        "file": d.location.file,
        "line": d.location.line if known else None,
        "column": d.location.column if known and d.location.column > 0 else None,
        "severity": d.severity,
        "check": d.check or None,
        "message": d.message,
        "path": list(d.path),
        "detail": d.detail or None,
        "source": d.source or None,
    }


def document(report: Report, command: str) -> dict[str, Any]:
    everything = (*report.problems, *report.findings)
    return {
        "version": VERSION,
        "tool": {"name": "paladin-obs", "version": __version__},
        "command": command,
        "exit_code": report.exit_code,
        "summary": report.summary,
        "counts": {s: sum(1 for d in everything if d.severity == s) for s in SEVERITIES},
        "problems": [diagnostic(d) for d in report.problems],
        "findings": [diagnostic(d) for d in report.findings],
        # Entries may hold several lines (a diff): the document has one per line.
        "lines": [line for entry in report.lines for line in entry.split("\n")],
    }


def render(report: Report, command: str) -> Rendered:
    text = json.dumps(document(report, command), indent=2, ensure_ascii=True)
    return Rendered(text + "\n", for_people(report))
