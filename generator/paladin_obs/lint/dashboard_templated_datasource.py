"""dashboard/templated-datasource: every panel and target queries a datasource variable.

A fixed uid or name only exists in the Grafana the dashboard was made in; a
null or missing datasource means "the default one", which differs between
Grafanas. A variable of type ``datasource`` lets every viewer pick theirs.

Bad:  "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}
Good: "datasource": {"type": "prometheus", "uid": "${datasource}"}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile
from paladin_obs.validate.dashboard_model import NO_DATA_PANELS, Dashboard
from paladin_obs.validate.grafana_vars import VARIABLE, variable_name

ID = "dashboard/templated-datasource"
SEVERITY: Severity = "warning"
_PSEUDO = frozenset({"-- Grafana --", "-- Dashboard --", "grafana", "datasource"})
_MIXED = "-- Mixed --"


def problem(dash: Dashboard, ref: Any) -> str | None:
    """Why ``ref`` is not a datasource variable, or None when it is (or is Grafana's own)."""
    if ref is None:
        return "none is set, so Grafana uses its default datasource"
    text = ref.get("uid") if isinstance(ref, dict) else ref
    if isinstance(ref, dict) and ref.get("type") in _PSEUDO:
        return None
    if not isinstance(text, str) or not text:
        return "it names no uid, so Grafana uses its default datasource"
    if text in _PSEUDO or text == _MIXED:
        return None
    m = VARIABLE.fullmatch(text)
    if m is None:
        return f"it is fixed to {text!r}"
    name = variable_name(m)
    variable = dash.variables.get(name)
    if variable is None or variable.get("type") != "datasource":
        return f"${name} is not a variable of type datasource"
    return None


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        dash = f.dashboard
        for panel in dash.panels:
            targets = panel.panel.get("targets")
            if panel.type in NO_DATA_PANELS or not isinstance(targets, list) or not targets:
                continue
            ref = panel.panel.get("datasource")
            mixed = ref == _MIXED or (isinstance(ref, dict) and ref.get("uid") == _MIXED)
            why = None if mixed else problem(dash, ref)
            if why is not None:
                out.append(
                    f.at((*panel.path, "datasource"), f"{panel.label}: datasource is not templated: {why}")
                )
                continue
            for i, target in enumerate(targets):
                if not isinstance(target, dict):
                    continue
                own = target.get("datasource")
                why = problem(dash, own) if own is not None or mixed else None
                if why is not None:
                    path = (*panel.path, "targets", i, "datasource")
                    refid = target.get("refId", i)
                    out.append(
                        f.at(path, f"{panel.label}, target {refid}: datasource is not templated: {why}")
                    )
    return out
