"""Legacy forms: warnings for what Grafana migrates on load, errors once it no longer does.

A third of public dashboards still use string datasources and a sixth the
``rows[]`` layout; Grafana converts both when it loads a dashboard below the
schemaVersion that introduced the new form (33), so there they are warnings
(one per form and file, counted, not one per panel). From 33 on Grafana no
longer migrates a panel's or target's string: there it is an error naming the
panel (a target repeating its panel's string is not reported twice).
Variables and annotations keep strings working (Grafana resolves them by
name or uid when the query runs), so for them a string is only a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard

#: Check id of every warning about a form Grafana migrates or ignores on load.
MIGRATED = "dashboard/migrated"
PANEL_REFS_SINCE = 33


def check_forms(dash: Dashboard, locate: Locate) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, warnings) about datasource references, rows and thresholds."""
    errors: list[Diagnostic] = []
    legacy: dict[str, list[Path]] = {}
    version = dash.schema_version
    reported: set[Path] = set()
    for path, ref, owner, hard in _datasource_refs(dash):
        if ref is None and version < PANEL_REFS_SINCE:
            legacy.setdefault("a null datasource (the default one)", []).append(path)
        elif isinstance(ref, str) and (version < PANEL_REFS_SINCE or not hard):
            legacy.setdefault(f"a string datasource ({ref!r})", []).append(path)
        elif isinstance(ref, str) and path[: _panel_depth(path)] not in reported:
            reported.add(path[: _panel_depth(path)])
            errors.append(
                Diagnostic(
                    locate(path, False),
                    f"{owner}: datasource is the string {ref!r}, a form Grafana only migrates "
                    f"below schemaVersion {PANEL_REFS_SINCE} (this dashboard is {version}); "
                    'write a reference {"type": ..., "uid": ...}',
                    path,
                )
            )
    warnings = [
        _warning(
            locate,
            paths,
            f"{what}: Grafana resolves it, and converts it to a {{type, uid}} reference when "
            f"it loads a dashboard below schemaVersion {PANEL_REFS_SINCE} (this one is "
            f"{version})",
        )
        for what, paths in legacy.items()
    ]
    if dash.uses_legacy_rows:
        warnings.append(
            _warning(
                locate,
                [("rows",)],
                "legacy rows[] layout: Grafana converts it to a grid (gridPos) when it loads "
                "the dashboard; re-save it from Grafana to keep the layout you see",
            )
        )
    warnings.extend(_rows_without_width(dash, locate))
    warnings.extend(_threshold_bases(dash, locate))
    return errors, warnings


def _warning(locate: Locate, paths: list[Path], message: str) -> Diagnostic:
    more = f" ({len(paths) - 1} more in this file)" if len(paths) > 1 else ""
    return Diagnostic(locate(paths[0], False), message + more, paths[0], MIGRATED, "warning")


def _panel_depth(path: Path) -> int:
    """How much of a datasource path names its panel (``targets`` and after cut off)."""
    return path.index("targets") if "targets" in path else len(path) - 1


def _datasource_refs(dash: Dashboard) -> Iterator[tuple[Path, Any, str, bool]]:
    """Every explicit datasource reference: (path, value, owner, whether a string
    is an error from schemaVersion 33: panels' and targets', not the others)."""
    for ref in dash.panels:
        if "datasource" in ref.panel:
            yield (*ref.path, "datasource"), ref.panel["datasource"], ref.label, True
    for target in dash.targets:
        if "datasource" in target.target:
            path = (*target.path, "datasource")
            yield path, target.target["datasource"], target.label, True
    for section, what in (("templating", "variable"), ("annotations", "annotation")):
        block = dash.data.get(section)
        items = block.get("list") if isinstance(block, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and "datasource" in item:
                name = item.get("name")
                path = (section, "list", i, "datasource")
                yield path, item["datasource"], f"{what} {name!r}", False


def _rows_without_width(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    out = []
    for ref in dash.panels:
        if ref.type != "row" or ref.collapsed_in is not None or ref.legacy:
            continue
        pos = ref.panel.get("gridPos")
        if isinstance(pos, dict) and pos.get("w"):
            continue
        path = (*ref.path, "gridPos")
        out.append(
            Diagnostic(
                locate(path, False),
                f"{ref.label} has no width: Grafana draws a row across the whole grid "
                '(write "w": 24)',
                path,
                MIGRATED,
                "warning",
            )
        )
    return out


def _threshold_bases(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    out = []
    for ref in dash.panels:
        config = ref.panel.get("fieldConfig")
        defaults = config.get("defaults") if isinstance(config, dict) else None
        thresholds = defaults.get("thresholds") if isinstance(defaults, dict) else None
        steps = thresholds.get("steps") if isinstance(thresholds, dict) else None
        if not isinstance(steps, list) or not steps or not isinstance(steps[0], dict):
            continue
        value = steps[0].get("value")
        if value is not None:
            path = (*ref.path, "fieldConfig", "defaults", "thresholds", "steps", 0, "value")
            out.append(
                Diagnostic(
                    locate(path, False),
                    f"{ref.label}: the base threshold step's value {value!r} is ignored: "
                    "Grafana reads the first step as -Infinity (write null)",
                    path,
                    MIGRATED,
                    "warning",
                )
            )
    return out
