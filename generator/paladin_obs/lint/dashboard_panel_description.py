"""dashboard/panel-description: every panel says what it shows.

The description is the (i) tooltip: what the series mean, what normal looks
like, where the threshold comes from. On-call engineers read it at 3 a.m.
Rows and text panels (which are their own description) are exempt.

Bad:  {"type": "stat", "title": "Error ratio"}
Good: {"type": "stat", "title": "Error ratio", "description": "5xx / all requests; pages above 5%"}
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile

ID = "dashboard/panel-description"
SEVERITY: Severity = "warning"
_EXEMPT = frozenset({"row", "text"})


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        for panel in f.dashboard.panels:
            text = panel.panel.get("description")
            if panel.type not in _EXEMPT and not (isinstance(text, str) and text.strip()):
                out.append(f.at(panel.path, f"{panel.label} has no description"))
    return out
