"""Per-panel upgrades: what Grafana's migrator and panel plugins do to one panel on load.

Split from ``upgrade.py`` (which handles the dashboard, its layout and datasources)
because these steps depend only on the panel, and each panel type's conversion is a
small table of field mappings that reads better on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import count, product
from string import ascii_uppercase
from typing import Any

JSON = Any

#: grafanalib's default for every panel; Grafana's own default is "auto" (absent).
GRAFANALIB_MAX_DATA_POINTS = 100
BASE_STEP: dict[str, JSON] = {"color": "green", "value": None}

#: Keys a converted panel keeps whatever its type (the rest is type-specific).
_COMMON = (
    "id", "title", "description", "datasource", "targets", "gridPos", "links", "repeat",
    "repeatDirection", "maxPerRow", "transformations", "transparent", "timeFrom",
    "timeShift", "interval", "maxDataPoints", "hideTimeOverride", "libraryPanel",
    "cacheTimeout", "pluginVersion",
)
_ROW_KEYS = ("id", "type", "title", "collapsed", "gridPos", "panels", "repeat", "datasource")
#: Legacy reducer names (graph legends, singlestat valueName) → current reducer ids.
_REDUCERS = {
    "avg": "mean", "current": "lastNotNull", "total": "sum", "min": "min", "max": "max",
    "first": "firstNotNull", "delta": "delta", "diff": "diff", "range": "range",
    "last_time": "lastNotNull", "count": "count",
}
#: Table ``displayMode`` → ``cellOptions`` (Grafana schema 38).
_CELL_OPTIONS: dict[str, dict[str, str]] = {
    "color-background": {"type": "color-background", "mode": "gradient"},
    "color-background-solid": {"type": "color-background", "mode": "basic"},
    "gradient-gauge": {"type": "gauge", "mode": "gradient"},
    "lcd-gauge": {"type": "gauge", "mode": "lcd"},
    "basic": {"type": "gauge", "mode": "basic"},
}


class Notes:
    """Changes grouped by kind, so a dashboard with twenty grafanalib panels gets one
    line per kind of fix naming the panels, not twenty lines per fix."""

    def __init__(self) -> None:
        self._items: dict[str, list[str]] = {}

    def add(self, kind: str, item: str) -> None:
        items = self._items.setdefault(kind, [])
        if item not in items:
            items.append(item)

    def render(self) -> list[str]:
        return [f"{kind}: {', '.join(items)}" if items[0] else kind
                for kind, items in self._items.items()]


def label(panel: dict[str, JSON]) -> str:
    """How notes name a panel: title and id, as validate's messages do."""
    return f"panel {panel.get('title') or ''!r} (id {panel.get('id')})"


def upgrade_panel(panel: dict[str, JSON], notes: Notes) -> dict[str, JSON]:
    """The upgraded panel (a new dict when its type changes, else ``panel`` itself)."""
    kind = panel.get("type")
    if kind == "row":
        return _row(panel, notes)
    if kind == "graph":
        panel = _graph_to_timeseries(panel, notes)
    elif kind == "singlestat":
        panel = _singlestat_to_stat(panel, notes)
    elif kind == "gauge":
        _gauge_options(panel, notes)
    elif kind == "bargauge":
        _field_options(panel, notes)
    elif kind == "table":
        _table_cell_options(panel, notes)
    _defaults(panel, notes)
    _thresholds(panel, notes)
    _ref_ids(panel, notes)
    return panel


def _row(panel: dict[str, JSON], notes: Notes) -> dict[str, JSON]:
    extra = sorted(k for k in panel if k not in _ROW_KEYS)
    if extra:
        notes.add("row panels reduced to row fields", label(panel))
    row = {k: panel[k] for k in _ROW_KEYS if k in panel and panel[k] is not None}
    row["collapsed"] = bool(row.get("collapsed", False))
    row.setdefault("panels", [])
    if isinstance(row["panels"], list):
        row["panels"] = [upgrade_panel(p, notes) if isinstance(p, dict) else p
                         for p in row["panels"]]
    return row


def _defaults(panel: dict[str, JSON], notes: Notes) -> None:
    """grafanalib's Angular-era defaults and explicit nulls (null means unset)."""
    if panel.get("maxDataPoints") == GRAFANALIB_MAX_DATA_POINTS:
        del panel["maxDataPoints"]
        notes.add("dropped maxDataPoints: 100 (grafanalib's default)", label(panel))
    defaults = _field_defaults(panel)
    if defaults is not None and defaults.get("noValue") == "none":
        del defaults["noValue"]
        notes.add('dropped noValue: "none" (it printed the word "none")', label(panel))
    nulls = _strip_nulls(panel)
    for target in panel.get("targets") or []:
        if isinstance(target, dict):
            nulls += _strip_nulls(target)
    if defaults is not None:
        nulls += _strip_nulls(defaults)
        if isinstance(defaults.get("custom"), dict):
            nulls += _strip_nulls(defaults["custom"])
    if nulls:
        notes.add("dropped null-valued fields (null means unset)", label(panel))


def _strip_nulls(obj: dict[str, JSON]) -> int:
    keys = [k for k, v in obj.items() if v is None and k != "datasource"]
    for k in keys:
        del obj[k]
    return len(keys)


def _field_defaults(panel: dict[str, JSON]) -> dict[str, JSON] | None:
    fc = panel.get("fieldConfig")
    if isinstance(fc, dict) and isinstance(fc.get("defaults"), dict):
        return fc["defaults"]  # type: ignore[no-any-return]
    return None


def _thresholds(panel: dict[str, JSON], notes: Notes) -> None:
    defaults = _field_defaults(panel)
    if defaults is not None and "thresholds" in defaults:
        fixed = fix_thresholds(defaults["thresholds"])
        if fixed != defaults["thresholds"]:
            defaults["thresholds"] = fixed
            notes.add("threshold steps normalised (base step value null)", label(panel))
    for prop in _override_properties(panel, "thresholds"):
        fixed = fix_thresholds(prop.get("value"))
        if fixed != prop.get("value"):
            prop["value"] = fixed
            notes.add("threshold steps normalised (base step value null)", label(panel))


def _override_properties(panel: dict[str, JSON], prop_id: str) -> Iterator[dict[str, JSON]]:
    """The ``fieldConfig.overrides[].properties[]`` with id ``prop_id``."""
    fc = panel.get("fieldConfig")
    overrides = fc.get("overrides") if isinstance(fc, dict) else None
    for override in overrides if isinstance(overrides, list) else []:
        props = override.get("properties") if isinstance(override, dict) else None
        for prop in props if isinstance(props, list) else []:
            if isinstance(prop, dict) and prop.get("id") == prop_id:
                yield prop


def fix_thresholds(value: JSON) -> dict[str, JSON]:
    """Grafana's shape: ``{mode, steps}``, steps ``{color, value}`` sorted, the first
    (the base) with value null. grafanalib writes the base as the string "null",
    legacy graph keys (index, op, line, yaxis) on each step, or ``steps: ""``."""
    th = dict(value) if isinstance(value, dict) else {}
    th.setdefault("mode", "absolute")
    steps = th.get("steps")
    clean: list[dict[str, JSON]] = []
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            continue
        val = step.get("value")
        if isinstance(val, str):
            val = _number(val)
        clean.append({"color": step.get("color") or "green", "value": val})
    clean.sort(key=lambda s: -math.inf if s["value"] is None else s["value"])
    if not clean:
        clean = [dict(BASE_STEP)]
    clean[0] = {"color": clean[0]["color"], "value": None}
    th["steps"] = clean
    return th


def _number(text: str) -> float | int | None:
    try:
        num = float(text)
    except ValueError:
        return None
    return int(num) if num.is_integer() else num


def _ref_ids(panel: dict[str, JSON], notes: Notes) -> None:
    """Every query needs a unique refId (Grafana schema 7 fills missing ones)."""
    targets = [t for t in panel.get("targets") or [] if isinstance(t, dict)]
    used = {t.get("refId") for t in targets if t.get("refId")}
    for target in targets:
        if not target.get("refId"):
            ref = next(r for r in _ref_ids_in_order() if r not in used)
            target["refId"] = ref
            used.add(ref)
            notes.add("missing query refIds filled in", label(panel))


def _ref_ids_in_order() -> Iterator[str]:
    """A, B, … Z, AA, AB, …: the order Grafana hands out refIds in."""
    for size in count(1):
        for letters in product(ascii_uppercase, repeat=size):
            yield "".join(letters)


def _reducers(names: list[str]) -> list[str]:
    return [_REDUCERS.get(n, n) for n in names]


def _graph_to_timeseries(panel: dict[str, JSON], notes: Notes) -> dict[str, JSON]:
    """Angular ``graph`` → ``timeseries``: Grafana 11 does this on load with Angular
    off and 12 removed Angular, so a ``graph`` panel would not render there."""
    new = {k: panel[k] for k in _COMMON if k in panel}
    yaxes = [a for a in panel.get("yaxes") or [] if isinstance(a, dict)]
    left = yaxes[0] if yaxes else {}
    old_defaults = _field_defaults(panel) or {}
    defaults: dict[str, JSON] = {}
    unit = old_defaults.get("unit") or left.get("format")
    if unit:
        defaults["unit"] = unit
    for key in ("min", "max", "decimals"):
        val = left.get(key)
        val = _number(val) if isinstance(val, str) else val
        if val is not None:
            defaults[key] = val
    lines, bars, points = panel.get("lines", True), panel.get("bars"), panel.get("points")
    stacking = "none"
    if panel.get("stack"):
        stacking = "percent" if panel.get("percentage") else "normal"
    custom: dict[str, JSON] = {
        "drawStyle": "bars" if bars and not lines else "points" if points and not lines else "line",
        "lineWidth": panel.get("linewidth", 1),
        "fillOpacity": min(100, int(panel.get("fill") or 0) * 10),
        "showPoints": "always" if points else "never",
        "spanNulls": panel.get("nullPointMode") == "connected",
        "stacking": {"mode": stacking, "group": "A"},
        "lineInterpolation": "stepAfter" if panel.get("steppedLine") else "linear",
        "axisPlacement": "hidden" if left.get("show") is False else "auto",
        "axisLabel": left.get("label") or "",
    }
    log = left.get("logBase") or 1
    custom["scaleDistribution"] = {"type": "log", "log": log} if log > 1 else {"type": "linear"}
    steps: list[dict[str, JSON]] = [dict(BASE_STEP)]
    for t in panel.get("thresholds") or []:
        if isinstance(t, dict) and isinstance(t.get("value"), int | float):
            steps.append({"color": t.get("lineColor") or t.get("fillColor") or "red",
                          "value": t["value"]})
    custom["thresholdsStyle"] = {"mode": "line" if len(steps) > 1 else "off"}
    defaults["custom"] = custom
    defaults["thresholds"] = {"mode": "absolute", "steps": steps}
    overrides = [
        {"matcher": {"id": "byName", "options": name},
         "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]}
        for name, color in sorted((panel.get("aliasColors") or {}).items())
    ]
    new["fieldConfig"] = {"defaults": defaults, "overrides": overrides}
    legend = panel.get("legend") or {}
    calcs = [n for n in ("min", "max", "avg", "current", "total") if legend.get(n)]
    tooltip = panel.get("tooltip") or {}
    new["options"] = {
        "legend": {
            "showLegend": legend.get("show", True) is not False,
            "displayMode": "table" if legend.get("alignAsTable") else "list",
            "placement": "right" if legend.get("rightSide") else "bottom",
            "calcs": _reducers(calcs),
        },
        "tooltip": {"mode": "multi" if tooltip.get("shared") else "single",
                    "sort": {1: "asc", 2: "desc"}.get(tooltip.get("sort") or 0, "none")},
    }
    new["type"] = "timeseries"
    notes.add("graph panels converted to timeseries", label(new))
    if panel.get("seriesOverrides"):
        notes.add("graph series overrides not converted (redo them as field overrides)",
                  label(new))
    return new


def _singlestat_to_stat(panel: dict[str, JSON], notes: Notes) -> dict[str, JSON]:
    """Angular ``singlestat`` → ``stat`` (or ``gauge`` when its gauge was shown), as
    Grafana's schema 28 migration does; prefix/postfix and value maps are not kept."""
    new = {k: panel[k] for k in _COMMON if k in panel}
    gauge = panel.get("gauge") or {}
    defaults: dict[str, JSON] = {"unit": panel.get("format") or "none"}
    if panel.get("decimals") is not None:
        defaults["decimals"] = panel["decimals"]
    if panel.get("nullText"):
        defaults["noValue"] = panel["nullText"]
    colors = list(panel.get("colors") or ["green", "orange", "red"])
    steps: list[dict[str, JSON]] = [{"color": colors[0] if colors else "green", "value": None}]
    raw = panel.get("thresholds")
    for i, text in enumerate(raw.split(",") if isinstance(raw, str) and raw.strip() else []):
        val = _number(text.strip())
        if val is not None:
            steps.append({"color": colors[min(i + 1, len(colors) - 1)], "value": val})
    defaults["thresholds"] = {"mode": "absolute", "steps": steps}
    reduce = {"calcs": _reducers([panel.get("valueName") or "avg"]), "fields": "",
              "values": False}
    if gauge.get("show"):
        defaults["min"] = gauge.get("minValue", 0)
        defaults["max"] = gauge.get("maxValue", 100)
        new["type"] = "gauge"
        new["options"] = {"reduceOptions": reduce,
                          "showThresholdMarkers": bool(gauge.get("thresholdMarkers", True)),
                          "showThresholdLabels": bool(gauge.get("thresholdLabels", False))}
    else:
        new["type"] = "stat"
        color_mode = "background" if panel.get("colorBackground") else (
            "value" if panel.get("colorValue") else "none")
        new["options"] = {"reduceOptions": reduce, "colorMode": color_mode,
                          "graphMode": "area" if (panel.get("sparkline") or {}).get("show")
                          else "none", "justifyMode": "auto", "orientation": "auto",
                          "textMode": "auto"}
    new["fieldConfig"] = {"defaults": defaults, "overrides": []}
    notes.add(f"singlestat panels converted to {new['type']}", label(new))
    if panel.get("prefix") or panel.get("postfix") or panel.get("valueMaps"):
        notes.add("singlestat prefix/postfix/value maps not converted", label(new))
    return new


def _gauge_options(panel: dict[str, JSON], notes: Notes) -> None:
    """grafanalib's GaugePanel writes its options (calcs, threshold markers…) inside
    ``fieldConfig.defaults``; Grafana reads them from ``options``."""
    fc = panel.get("fieldConfig")
    defaults = _field_defaults(panel)
    if defaults is None or not isinstance(fc, dict) or "calcs" not in defaults:
        return
    options = panel.setdefault("options", {})
    options.setdefault("reduceOptions", _reduce_options(
        defaults.pop("calcs"), defaults.pop("values", False), defaults.pop("limit", None)))
    for key in ("showThresholdLabels", "showThresholdMarkers"):
        if key in fc:
            options.setdefault(key, fc.pop(key))
    defaults.pop("override", None)
    if defaults.get("title") is None:
        defaults.pop("title", None)
    notes.add("gauge options moved from fieldConfig to options", label(panel))


def _field_options(panel: dict[str, JSON], notes: Notes) -> None:
    """Pre-7.0 ``options.fieldOptions`` (grafanalib's BarGauge) → ``reduceOptions`` and
    ``fieldConfig.defaults``, as Grafana's shared single-stat migration does."""
    options = panel.get("options")
    if not isinstance(options, dict) or not isinstance(options.get("fieldOptions"), dict):
        return
    fo = options.pop("fieldOptions")
    options.setdefault("reduceOptions", _reduce_options(
        fo.get("calcs"), fo.get("values", False), fo.get("limit")))
    fc = panel.setdefault("fieldConfig", {})
    defaults = fc.setdefault("defaults", {})
    fc.setdefault("overrides", [])
    for key, val in sorted((fo.get("defaults") or {}).items()):
        if val is not None and defaults.get(key) in (None, "", []):
            defaults[key] = val
    if fo.get("mappings") and not defaults.get("mappings"):
        defaults["mappings"] = fo["mappings"]
    steps = (defaults.get("thresholds") or {}).get("steps")
    if not steps and isinstance(fo.get("thresholds"), list):
        defaults["thresholds"] = {"mode": "absolute", "steps": fo["thresholds"]}
    notes.add("options.fieldOptions converted to reduceOptions/fieldConfig", label(panel))


def _reduce_options(calcs: JSON, values: JSON, limit: JSON) -> dict[str, JSON]:
    """``reduceOptions`` from the pre-7.0 single-stat fields (calcs default mean)."""
    reduce = {"calcs": _reducers(list(calcs or ["mean"])), "values": bool(values), "fields": ""}
    if limit is not None:
        reduce["limit"] = limit
    return reduce


def _table_cell_options(panel: dict[str, JSON], notes: Notes) -> None:
    """Table ``custom.displayMode`` → ``custom.cellOptions`` (Grafana schema 38)."""
    defaults = _field_defaults(panel)
    custom = defaults.get("custom") if defaults is not None else None
    if isinstance(custom, dict) and "displayMode" in custom:
        custom["cellOptions"] = _cell_options(custom.pop("displayMode"))
        notes.add("table displayMode converted to cellOptions", label(panel))
    for prop in _override_properties(panel, "custom.displayMode"):
        prop["id"] = "custom.cellOptions"
        prop["value"] = _cell_options(prop.get("value"))
        notes.add("table displayMode converted to cellOptions", label(panel))


def _cell_options(mode: JSON) -> dict[str, JSON]:
    text = mode if isinstance(mode, str) else "auto"
    return dict(_CELL_OPTIONS.get(text, {"type": text}))
