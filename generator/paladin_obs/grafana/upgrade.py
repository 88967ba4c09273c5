"""Bring a classic dashboard dict to a target schemaVersion, as Grafana would on load.

Grafana migrates old dashboards every time it loads them, so an un-migrated file
shows a diff on every save, can fail its own CUE schema, and on Grafana 11+ renders
Angular panels not at all. We apply the same migrations once, offline and
deterministically, and say what changed.

Defects this handles, found by rendering grafanalib 0.7.1's own examples
(``grafanalib/tests/examples``) and every panel class it offers:

1. ``schemaVersion: 12`` whatever the target → set to the target.
2. Datasources as strings (``"default"``, a datasource name, ``"$datasource"``) or
   ``null`` on panels, targets, template variables and annotations → object refs
   (Grafana schema 33/36). A variable reference keeps the variable
   (``"$ds"``/``"${ds}"``/``"[[ds]]"`` → ``{"type": …, "uid": "${ds}"}``); null,
   "default" and names → the ``datasource`` ref given (the dashboard's datasource
   variable); built-ins (``-- Grafana --``, ``-- Mixed --``, ``-- Dashboard --``)
   → their refs. A target without one inherits its panel's (schema 36). A
   ``datasource`` variable is added when the dashboard has none.
3. Threshold steps: base value the string ``"null"``, legacy graph keys on steps
   (``index``, ``op``, ``line``, ``yaxis``), ``steps: ""`` on Stat → ``{color,
   value}`` steps, sorted, base value null.
4. ``maxDataPoints: 100`` on every panel → dropped (Grafana's default is automatic;
   an explicit 100 is indistinguishable and also dropped).
5. ``noValue: "none"`` on Stat → dropped (it displayed the word "none").
6. Empty ``refId`` on every target (grafanalib's default) → A, B, … (schema 7).
7. Legacy ``rows[]`` (grafanalib ``Row``) → flat ``panels`` with ``row`` panels and
   ``gridPos`` computed as Grafana's schema-16 migration does; row panels without
   a width → ``w: 24``; panels in ``panels`` without ``gridPos`` are flowed.
8. ``graph`` → ``timeseries`` and ``singlestat`` → ``stat``/``gauge``: Angular
   panels; Grafana 11 converts them on load with Angular off and 12 removed Angular.
   We convert for every target version (both new panels exist since Grafana 8).
9. GaugePanel options written into ``fieldConfig.defaults`` and BarGauge's pre-7.0
   ``options.fieldOptions`` → ``options.reduceOptions`` / ``fieldConfig``.
10. Table ``custom.displayMode`` → ``custom.cellOptions`` (schema 38).
11. Template variables: ``tags``/``tagsQuery``/``tagValuesQuery``/``useTags``
    removed (schema 28); query variables' ``refresh`` 1 or 2 and no stored
    ``options`` (schema 29).
12. Dashboard: ``timepicker.time_options`` (schema 41), non-string ``refresh``
    (schema 40), ``sharedCrosshair`` → ``graphTooltip`` (schema 14), obsolete
    ``style``, ``hideControls``, ``gnetId: null``, empty ``__inputs`` → removed.
13. Explicit nulls (``span``, ``height``, ``interval``, ``min``, ``decimals``…) on
    panels, targets and field defaults → removed (null means unset).

Left as grafanalib writes them: Prometheus targets' ``intervalFactor: 2`` and
``step`` (they change the query resolution, Grafana keeps them), old ``heatmap``
options (Grafana's heatmap plugin migrates them on load), a ``uid`` of null (a
note asks for one: Grafana would invent a random uid on each import).
"""

from __future__ import annotations

import copy
from typing import Any

from paladin_obs.grafana.layout import all_panels, layout
from paladin_obs.grafana.panels import JSON, Notes, label, upgrade_panel
from paladin_obs.validate.grafana_vars import VARIABLE, variable_name

_BUILTINS = {
    "-- Grafana --": {"type": "datasource", "uid": "grafana"},
    "grafana": {"type": "datasource", "uid": "grafana"},
    "-- Mixed --": {"type": "datasource", "uid": "-- Mixed --"},
    "-- Dashboard --": {"type": "datasource", "uid": "-- Dashboard --"},
}
_TAG_FIELDS = ("tags", "tagsQuery", "tagValuesQuery", "useTags")


def upgrade(
    dashboard: dict[str, Any], schema_version: int, datasource: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """A new dashboard at ``schema_version``, and notes on what changed.

    ``datasource`` is the ref that replaces null, "default" and datasource names,
    normally the dashboard's variable ``{"type": "prometheus", "uid": "${datasource}"}``.
    Upgrading the result again changes nothing; its only note is the missing-uid
    warning, which repeats until the source sets a uid. A target lower than the
    dashboard's own schemaVersion is written as asked (the spec pins the version).
    """
    dash = copy.deepcopy(dashboard)
    notes = Notes()
    _dashboard_fields(dash, notes)
    layout(dash, notes)
    dash["panels"] = [upgrade_panel(p, notes) for p in dash["panels"]]
    _datasource_variable(dash, datasource, notes)
    refs = _Refs(dash, datasource)
    for panel in all_panels(dash["panels"]):
        _panel_datasources(panel, refs, notes)
    _variables(dash, refs, notes)
    _annotations(dash, refs, notes)
    if dash.get("schemaVersion") != schema_version:
        notes.add(f"schemaVersion {dash.get('schemaVersion')} → {schema_version}", "")
        dash["schemaVersion"] = schema_version
    if not dash.get("uid"):
        notes.add("no uid: Grafana assigns a random one on import; set one for stable links",
                  "")
    return dash, notes.render()


def _dashboard_fields(dash: dict[str, JSON], notes: Notes) -> None:
    if "sharedCrosshair" in dash:
        shared = dash.pop("sharedCrosshair")
        dash.setdefault("graphTooltip", 1 if shared else 0)
        notes.add("dropped obsolete dashboard fields", "sharedCrosshair")
    for key in ("style", "hideControls", "gnetId", "__inputs"):
        if key in dash and (key in ("style", "hideControls") or not dash[key]):
            del dash[key]
            notes.add("dropped obsolete dashboard fields", key)
    picker = dash.get("timepicker")
    if isinstance(picker, dict):
        for key in ("time_options", "nowDelay"):
            if key in picker and (key == "time_options" or picker[key] is None):
                del picker[key]
                notes.add("dropped obsolete dashboard fields", f"timepicker.{key}")
    if "refresh" in dash and not isinstance(dash["refresh"], str):
        dash["refresh"] = ""
        notes.add("refresh made a string", "")
    if "rows" in dash and not dash["rows"]:
        del dash["rows"]
        notes.add("dropped obsolete dashboard fields", "rows")


def _variable_name(text: str) -> str | None:
    """The variable a datasource string is (``$ds``, ``${ds}``, ``[[ds]]``), if any."""
    match = VARIABLE.fullmatch(text)
    return variable_name(match) if match else None


def _datasource_variable(dash: dict[str, JSON], default: dict[str, str], notes: Notes) -> None:
    """Add the variable ``default`` points at (``${datasource}``) when there is none."""
    name = _variable_name(default.get("uid", ""))
    if not name or name in {v.get("name") for v in _listed(dash, "templating")}:
        return
    if not isinstance(dash.get("templating"), dict):
        dash["templating"] = {}
    if not isinstance(dash["templating"].get("list"), list):
        dash["templating"]["list"] = []
    dash["templating"]["list"].insert(0, {
        "name": name, "label": "Data source", "type": "datasource",
        "query": default.get("type", "prometheus"), "hide": 0,
        "refresh": 1, "regex": "", "current": {}, "options": [],
    })
    notes.add(f"added datasource variable {name!r}", "")


class _Refs:
    """Turns any legacy datasource value into an object ref, with the reason."""

    def __init__(self, dash: dict[str, JSON], default: dict[str, str]) -> None:
        self.default = dict(default)
        self.ds_types = {v.get("name"): v.get("query") for v in _listed(dash, "templating")
                         if v.get("type") == "datasource"}

    def ref(self, value: JSON) -> tuple[JSON, str]:
        if isinstance(value, dict):
            return value, ""
        if value is None or value == "default":
            return dict(self.default), f"{value or 'null'}"
        if not isinstance(value, str):
            return dict(self.default), repr(value)
        if value in _BUILTINS:
            return dict(_BUILTINS[value]), value
        name = _variable_name(value)
        if name:
            kind = self.ds_types.get(name) or self.default.get("type", "prometheus")
            return {"type": kind, "uid": "${" + name + "}"}, value
        return dict(self.default), value


def _panel_datasources(panel: dict[str, JSON], refs: _Refs, notes: Notes) -> None:
    targets = [t for t in panel.get("targets") or [] if isinstance(t, dict)]
    kind = "string or null datasources made object refs"
    if panel.get("datasource") is None and not targets:
        if "datasource" in panel:
            del panel["datasource"]
            notes.add("dropped null-valued fields (null means unset)", label(panel))
    elif "datasource" in panel or targets:
        panel["datasource"], why = refs.ref(panel.get("datasource"))
        if why:
            notes.add(kind, f"{label(panel)} {why}")
    own = panel.get("datasource")
    mixed = isinstance(own, dict) and own.get("uid") == "-- Mixed --"
    for target in targets:
        if target.get("datasource") is None and isinstance(own, dict) and not mixed:
            target["datasource"] = dict(own)
            notes.add(kind, f"{label(panel)} targets")
        else:
            target["datasource"], why = refs.ref(target.get("datasource"))
            if why:
                notes.add(kind, f"{label(panel)} targets")


def _variables(dash: dict[str, JSON], refs: _Refs, notes: Notes) -> None:
    for var in _listed(dash, "templating"):
        where = f"variable {var.get('name')!r}"
        kind = var.get("type", "query")
        if kind == "datasource" or ("datasource" in var and var["datasource"] is None
                                    and kind not in ("query", "adhoc")):
            var.pop("datasource", None)
        elif kind in ("query", "adhoc") or "datasource" in var:
            var["datasource"], why = refs.ref(var.get("datasource"))
            if why:
                notes.add("string or null datasources made object refs", f"{where} {why}")
        removed = [k for k in _TAG_FIELDS if k in var]
        removed += [k for k, v in var.items() if v is None and k not in removed]
        for key in removed:
            del var[key]
        if isinstance(var.get("current"), dict) and var["current"].get("value") is None:
            var["current"] = {}
        if kind == "query":
            if var.get("refresh") not in (1, 2):
                var["refresh"] = 1
                notes.add("query variables refresh on load", where)
            if var.get("options"):
                var["options"] = []
                removed.append("options")
        if removed:
            notes.add("variables: dropped tag fields, stored options and nulls", where)


def _listed(dash: dict[str, JSON], key: str) -> list[dict[str, JSON]]:
    """``dash[key]["list"]``'s objects, tolerating a missing or malformed block."""
    block = dash.get(key)
    items = block.get("list") if isinstance(block, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _annotations(dash: dict[str, JSON], refs: _Refs, notes: Notes) -> None:
    for ann in _listed(dash, "annotations"):
        ann["datasource"], why = refs.ref(ann.get("datasource"))
        if why:
            notes.add("string or null datasources made object refs",
                      f"annotation {ann.get('name')!r} {why}")
