"""dashboard/panel-unit: every panel that charts numbers has a unit.

Without one, 0.05 could be a ratio, seconds or requests, and Grafana prints
1500000000 bytes instead of 1.5 GB. Panels that show no numbers (rows, text,
lists, logs) are exempt; legacy graph and singlestat panels keep their unit
in ``yaxes[].format`` and ``format``; a unit set by an override counts.

Bad:  "fieldConfig": {"defaults": {}}
Good: "fieldConfig": {"defaults": {"unit": "percentunit"}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile
from paladin_obs.validate.dashboard_model import NO_DATA_PANELS

ID = "dashboard/panel-unit"
SEVERITY: Severity = "warning"
_EXEMPT = NO_DATA_PANELS | frozenset({"logs", "traces", "nodeGraph", "table", "table-old"})


def has_unit(panel: dict[str, Any]) -> bool:
    config = panel.get("fieldConfig")
    config = config if isinstance(config, dict) else {}
    defaults = config.get("defaults")
    if isinstance(defaults, dict) and _set(defaults.get("unit")):
        return True
    overrides = config.get("overrides")
    for override in overrides if isinstance(overrides, list) else []:
        props = override.get("properties") if isinstance(override, dict) else None
        for prop in props if isinstance(props, list) else []:
            if isinstance(prop, dict) and prop.get("id") == "unit" and _set(prop.get("value")):
                return True
    yaxes = panel.get("yaxes")
    if isinstance(yaxes, list) and yaxes and isinstance(yaxes[0], dict):
        return _set(yaxes[0].get("format"))
    return _set(panel.get("format"))


def _set(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        for panel in f.dashboard.panels:
            if panel.type not in _EXEMPT and not has_unit(panel.panel):
                out.append(
                    f.at(
                        panel.path,
                        f"{panel.label} has no unit (fieldConfig.defaults.unit), so its "
                        "numbers read ambiguously",
                    )
                )
    return out
