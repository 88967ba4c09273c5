"""dashboard/panel-title: every panel has a title.

An untitled panel is a chart nobody can name in an incident channel, and the
``viewPanel`` link to it says nothing. Rows are exempt (a row may be a bare
divider).

Bad:  {"type": "timeseries", "title": ""}
Good: {"type": "timeseries", "title": "Request rate"}
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile

ID = "dashboard/panel-title"
SEVERITY: Severity = "warning"


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        for panel in f.dashboard.panels:
            title = panel.panel.get("title")
            if panel.type != "row" and not (isinstance(title, str) and title.strip()):
                out.append(f.at(panel.path, f"{panel.label} has no title"))
    return out
