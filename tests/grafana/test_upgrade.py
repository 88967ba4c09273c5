"""upgrade(): each defect in, fixed out; legacy rows; idempotence. Plain dicts only."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from paladin_obs.grafana.upgrade import upgrade

DS = {"type": "prometheus", "uid": "${datasource}"}
DS_VAR = {"name": "datasource", "type": "datasource", "query": "prometheus"}
BASE = {"color": "green", "value": None}


def dash(*panels: dict[str, Any], variables: list[dict[str, Any]] | None = None,
         **fields: Any) -> dict[str, Any]:
    """A minimal dashboard; the datasource variable is present unless replaced."""
    return {"title": "t", "uid": "u", "schemaVersion": 41, "panels": list(panels),
            "templating": {"list": [dict(DS_VAR)] if variables is None else variables},
            **fields}


def panel(**fields: Any) -> dict[str, Any]:
    return {"id": 1, "type": "timeseries", "title": "p",
            "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}, **fields}


def target(**fields: Any) -> dict[str, Any]:
    return {"expr": "up", "refId": "A", **fields}


def at(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def absent(obj: Any, path: str) -> bool:
    head, _, key = path.rpartition(".")
    return key not in (at(obj, head) if head else obj)


VAR_LOKI = [dict(DS_VAR), {"name": "logs", "type": "datasource", "query": "loki"}]

# (id, input dashboard, path in the output, expected value)
FIXED = [
    ("schema version", {**dash(), "schemaVersion": 12}, "schemaVersion", 41),
    ("panel null ds", dash(panel(datasource=None, targets=[target()])),
     "panels.0.datasource", DS),
    ("target null ds inherits panel",
     dash(panel(datasource="$logs", targets=[target()]), variables=VAR_LOKI),
     "panels.0.targets.0.datasource", {"type": "loki", "uid": "${logs}"}),
    ("panel 'default'", dash(panel(datasource="default", targets=[target()])),
     "panels.0.datasource", DS),
    ("panel ds name", dash(panel(datasource="Prometheus", targets=[target()])),
     "panels.0.datasource", DS),
    ("$var takes the variable's plugin type",
     dash(panel(datasource="$logs", targets=[target()]), variables=VAR_LOKI),
     "panels.0.datasource", {"type": "loki", "uid": "${logs}"}),
    ("${var}", dash(panel(datasource="${datasource}", targets=[target()])),
     "panels.0.datasource", DS),
    ("${var:format}", dash(panel(datasource="${datasource:text}", targets=[target()])),
     "panels.0.datasource", DS),
    ("[[var]]", dash(panel(datasource="[[datasource]]", targets=[target()])),
     "panels.0.datasource", DS),
    ("mixed panel keeps mixed",
     dash(panel(datasource="-- Mixed --", targets=[target(datasource="$datasource")])),
     "panels.0.datasource", {"type": "datasource", "uid": "-- Mixed --"}),
    ("mixed panel's target", dash(panel(datasource="-- Mixed --",
                                        targets=[target(datasource="$datasource")])),
     "panels.0.targets.0.datasource", DS),
    ("built-in grafana", dash(panel(datasource="-- Grafana --", targets=[target()])),
     "panels.0.datasource", {"type": "datasource", "uid": "grafana"}),
    ("object ref kept", dash(panel(datasource={"type": "loki", "uid": "abc"},
                                   targets=[target()])),
     "panels.0.datasource", {"type": "loki", "uid": "abc"}),
    ("target ds name", dash(panel(datasource=DS, targets=[target(datasource="Prom")])),
     "panels.0.targets.0.datasource", DS),
    ("variable ds name", dash(variables=[dict(DS_VAR), {"name": "job", "type": "query",
                                                        "datasource": "Prometheus"}]),
     "templating.list.1.datasource", DS),
    ("variable ds null", dash(variables=[dict(DS_VAR), {"name": "job", "type": "query",
                                                        "datasource": None}]),
     "templating.list.1.datasource", DS),
    ("annotation ds name",
     dash(annotations={"list": [{"name": "deploys", "datasource": "Prometheus"}]}),
     "annotations.list.0.datasource", DS),
    ("datasource variable added", dash(variables=[]), "templating.list.0",
     {"name": "datasource", "label": "Data source", "type": "datasource",
      "query": "prometheus", "hide": 0, "refresh": 1, "regex": "", "current": {},
      "options": []}),
    ("threshold base 'null'",
     dash(panel(fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": [
         {"color": "green", "value": "null", "index": 0, "op": "gt", "line": True},
         {"color": "red", "value": 80.0, "index": 1, "op": "gt", "yaxis": "left"}]}}})),
     "panels.0.fieldConfig.defaults.thresholds.steps",
     [BASE, {"color": "red", "value": 80.0}]),
    ("threshold steps ''",
     dash(panel(fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": ""}}})),
     "panels.0.fieldConfig.defaults.thresholds.steps", [BASE]),
    ("threshold steps unsorted, numeric strings",
     dash(panel(fieldConfig={"defaults": {"thresholds": {"steps": [
         {"color": "red", "value": "90"}, {"color": "green", "value": None},
         {"color": "orange", "value": 70}]}}})),
     "panels.0.fieldConfig.defaults.thresholds",
     {"mode": "absolute", "steps": [BASE, {"color": "orange", "value": 70},
                                    {"color": "red", "value": 90}]}),
    ("refIds filled", dash(panel(datasource=DS, targets=[
        target(refId="", datasource=DS), target(refId="A", datasource=DS),
        target(refId=None, datasource=DS)])),
     "panels.0.targets", [target(refId="B", datasource=DS), target(datasource=DS),
                          target(refId="C", datasource=DS)]),
    ("row without gridPos", dash({"id": 1, "type": "row", "title": "r", "panels": []}),
     "panels.0.gridPos", {"h": 1, "w": 24, "x": 0, "y": 0}),
    ("row with w 0", dash({"id": 1, "type": "row", "title": "r", "panels": [],
                           "gridPos": {"h": 1, "w": 0, "x": 0, "y": 0}}),
     "panels.0.gridPos", {"h": 1, "w": 24, "x": 0, "y": 0}),
    ("width over 24", dash(panel(gridPos={"h": 8, "w": 30, "x": 0, "y": 0})),
     "panels.0.gridPos", {"h": 8, "w": 24, "x": 0, "y": 0}),
    ("x + w over 24", dash(panel(gridPos={"h": 8, "w": 12, "x": 20, "y": 0})),
     "panels.0.gridPos", {"h": 8, "w": 12, "x": 12, "y": 0}),
    ("panels without gridPos flow", dash(
        {"id": 1, "type": "stat", "title": "a"}, {"id": 2, "type": "stat", "title": "b"},
        {"id": 3, "type": "stat", "title": "c", "span": 12}),
     "panels", [{"id": 1, "type": "stat", "title": "a", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}},
                {"id": 2, "type": "stat", "title": "b", "gridPos": {"h": 8, "w": 12, "x": 12, "y": 0}},
                {"id": 3, "type": "stat", "title": "c", "gridPos": {"h": 8, "w": 24, "x": 0, "y": 8}}]),
    ("missing ids", dash(panel(id=None), panel(id=7, gridPos={"h": 8, "w": 12, "x": 12, "y": 0})),
     "panels.0.id", 8),
    ("negative id", dash(panel(id=-5)), "panels.0.id", 1),
    ("span under 1 flows one column wide", dash(
        {"id": 1, "type": "stat", "title": "a", "span": 0.5},
        {"id": 2, "type": "stat", "title": "b", "span": 0.5}),
     "panels.1.gridPos", {"h": 8, "w": 1, "x": 1, "y": 0}),
    ("minSpan → maxPerRow", dash(panel(minSpan=6)), "panels.0.maxPerRow", 4),
    ("graph → timeseries", dash(panel(
        type="graph", datasource=DS, targets=[target(datasource=DS)], lines=True, fill=1,
        linewidth=2, yaxes=[{"format": "s", "min": "0", "show": True}, {"format": "short"}],
        legend={"show": True, "alignAsTable": True, "current": True, "max": True},
        tooltip={"shared": True, "sort": 2}, aliasColors={"errors": "red"},
        thresholds=[{"value": 5, "op": "gt", "line": True, "lineColor": "red"}])),
     "panels.0", panel(
        type="timeseries", datasource=DS, targets=[target(datasource=DS)],
        fieldConfig={"defaults": {"unit": "s", "min": 0, "custom": {
            "drawStyle": "line", "lineWidth": 2, "fillOpacity": 10, "showPoints": "never",
            "spanNulls": False, "stacking": {"mode": "none", "group": "A"},
            "lineInterpolation": "linear", "axisPlacement": "auto", "axisLabel": "",
            "scaleDistribution": {"type": "linear"}, "thresholdsStyle": {"mode": "line"}},
            "thresholds": {"mode": "absolute", "steps": [BASE, {"color": "red", "value": 5}]}},
            "overrides": [{"matcher": {"id": "byName", "options": "errors"}, "properties": [
                {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}]},
        options={"legend": {"showLegend": True, "displayMode": "table",
                            "placement": "bottom", "calcs": ["max", "lastNotNull"]},
                 "tooltip": {"mode": "multi", "sort": "desc"}})),
    ("singlestat → stat", dash(panel(
        type="singlestat", datasource=DS, targets=[target(datasource=DS)], format="percent",
        valueName="current", thresholds="50,80", colors=["green", "orange", "red"],
        colorBackground=True, sparkline={"show": False})),
     "panels.0", panel(
        type="stat", datasource=DS, targets=[target(datasource=DS)],
        fieldConfig={"defaults": {"unit": "percent", "thresholds": {"mode": "absolute", "steps": [
            BASE, {"color": "orange", "value": 50}, {"color": "red", "value": 80}]}},
            "overrides": []},
        options={"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                 "colorMode": "background", "graphMode": "none", "justifyMode": "auto",
                 "orientation": "auto", "textMode": "auto"})),
    ("singlestat with gauge → gauge", dash(panel(type="singlestat", gauge={"show": True})),
     "panels.0.type", "gauge"),
    ("grafanalib gauge options", dash(panel(type="gauge", fieldConfig={
        "defaults": {"calcs": ["mean"], "values": False, "limit": None, "override": {},
                     "title": None, "unit": "none"},
        "showThresholdLabels": False, "showThresholdMarkers": True})),
     "panels.0", panel(type="gauge", fieldConfig={"defaults": {"unit": "none"}},
                       options={"reduceOptions": {"calcs": ["mean"], "values": False,
                                                  "fields": ""},
                                "showThresholdLabels": False, "showThresholdMarkers": True})),
    ("bargauge fieldOptions", dash(panel(type="bargauge", options={"fieldOptions": {
        "calcs": ["mean"], "defaults": {"unit": "s", "max": 100, "title": None},
        "thresholds": [{"color": "green", "value": "null"}, {"color": "red", "value": 80.0}],
        "values": False}, "displayMode": "lcd"})),
     "panels.0", panel(type="bargauge", options={
         "displayMode": "lcd",
         "reduceOptions": {"calcs": ["mean"], "values": False, "fields": ""}},
        fieldConfig={"defaults": {"unit": "s", "max": 100, "thresholds": {
            "mode": "absolute", "steps": [BASE, {"color": "red", "value": 80.0}]}},
            "overrides": []})),
    ("table displayMode", dash(panel(type="table", fieldConfig={
        "defaults": {"custom": {"displayMode": "lcd-gauge"}},
        "overrides": [{"matcher": {"id": "byName", "options": "x"}, "properties": [
            {"id": "custom.displayMode", "value": "color-background"}]}]})),
     "panels.0.fieldConfig", {
         "defaults": {"custom": {"cellOptions": {"type": "gauge", "mode": "lcd"}}},
         "overrides": [{"matcher": {"id": "byName", "options": "x"}, "properties": [
             {"id": "custom.cellOptions",
              "value": {"type": "color-background", "mode": "gradient"}}]}]}),
    ("variable legacy fields", dash(variables=[dict(DS_VAR), {
        "name": "job", "type": "query", "datasource": DS, "refresh": 0,
        "options": [{"text": "a", "value": "a"}], "tags": [], "tagsQuery": None,
        "tagValuesQuery": None, "useTags": False, "regex": None,
        "current": {"text": None, "value": None}}]),
     "templating.list.1", {"name": "job", "type": "query", "datasource": DS, "refresh": 1,
                           "options": [], "current": {}}),
    ("timepicker time_options", dash(timepicker={"time_options": ["5m"],
                                                 "refresh_intervals": ["5s"]}),
     "timepicker", {"refresh_intervals": ["5s"]}),
    ("refresh not a string", dash(refresh=False), "refresh", ""),
    ("sharedCrosshair", dash(sharedCrosshair=True), "graphTooltip", 1),
]

# (id, input dashboard, path that must be gone)
DROPPED = [
    ("maxDataPoints 100", dash(panel(maxDataPoints=100)), "panels.0.maxDataPoints"),
    ('noValue "none"', dash(panel(fieldConfig={"defaults": {"noValue": "none"}})),
     "panels.0.fieldConfig.defaults.noValue"),
    ("null fields", dash(panel(span=None, interval=None, description=None)),
     "panels.0.interval"),
    ("null datasource on a text panel",
     dash(panel(type="text", datasource=None, targets=[])), "panels.0.datasource"),
    ("legacy rows key", dash(rows=[]), "rows"),
    ("style", dash(style="dark"), "style"),
    ("sharedCrosshair", dash(sharedCrosshair=False), "sharedCrosshair"),
    ("empty __inputs", dash(__inputs=[]), "__inputs"),
]

# (id, input dashboard, path, value that is kept)
KEPT = [
    ("maxDataPoints chosen by the author", dash(panel(maxDataPoints=500)),
     "panels.0.maxDataPoints", 500),
    ("a real noValue", dash(panel(fieldConfig={"defaults": {"noValue": "n/a"}})),
     "panels.0.fieldConfig.defaults.noValue", "n/a"),
    ("existing datasource variable not duplicated", dash(), "templating.list",
     [dict(DS_VAR)]),
    ("explicit graphTooltip wins", dash(sharedCrosshair=True, graphTooltip=2),
     "graphTooltip", 2),
]


@pytest.mark.parametrize(("case", "before", "path", "expected"), FIXED,
                         ids=[c[0] for c in FIXED])
def test_defect_fixed(case: str, before: dict[str, Any], path: str, expected: Any) -> None:
    after, notes = upgrade(before, 41, DS)
    assert at(after, path) == expected
    assert notes, "every change is reported"


@pytest.mark.parametrize(("case", "before", "path"), DROPPED, ids=[c[0] for c in DROPPED])
def test_defect_dropped(case: str, before: dict[str, Any], path: str) -> None:
    after, notes = upgrade(before, 41, DS)
    assert absent(after, path)
    assert notes


@pytest.mark.parametrize(("case", "before", "path", "expected"), KEPT,
                         ids=[c[0] for c in KEPT])
def test_kept(case: str, before: dict[str, Any], path: str, expected: Any) -> None:
    after, _ = upgrade(before, 41, DS)
    assert at(after, path) == expected


ALL = [c[1] for c in FIXED] + [c[1] for c in DROPPED] + [c[1] for c in KEPT]


@pytest.mark.parametrize("before", ALL, ids=[c[0] for c in FIXED + DROPPED + KEPT])
def test_idempotent_and_pure(before: dict[str, Any]) -> None:
    original = copy.deepcopy(before)
    once, _ = upgrade(before, 41, DS)
    twice, notes = upgrade(once, 41, DS)
    assert before == original, "the input is not modified"
    assert twice == once
    assert notes == []


def test_already_current_dashboard_has_no_notes() -> None:
    clean = dash(panel(datasource=DS, targets=[target(datasource=DS)]))
    assert upgrade(clean, 41, DS) == (clean, [])


def test_missing_uid_is_reported() -> None:
    _, notes = upgrade({"title": "t", "panels": []}, 41, DS)
    assert any("no uid" in n for n in notes)


def test_legacy_rows_layout_as_grafana_migrates_it() -> None:
    """Grafana's schema-16 migration: span times 2 wide, px / 38 high, a panel that does
    not fit wraps below, a collapsed row keeps its panels."""
    legacy = dash(rows=[
        {"title": "A", "showTitle": True, "height": "250px", "panels": [
            {"id": 1, "type": "stat", "title": "p1", "span": 6},
            {"id": 2, "type": "stat", "title": "p2", "span": 6},
            {"id": 3, "type": "stat", "title": "p3", "span": 12, "height": "100px"}]},
        {"title": "B", "collapse": True, "height": 300, "panels": [
            {"id": 4, "type": "stat", "title": "p4"}]},
    ])
    after, notes = upgrade(legacy, 41, DS)
    assert "rows" not in after
    layout = [(p["id"], p["type"], p["gridPos"]) for p in after["panels"]]
    assert layout == [
        (5, "row", {"h": 1, "w": 24, "x": 0, "y": 0}),
        (1, "stat", {"h": 7, "w": 12, "x": 0, "y": 1}),
        (2, "stat", {"h": 7, "w": 12, "x": 12, "y": 1}),
        (3, "stat", {"h": 3, "w": 24, "x": 0, "y": 8}),
        (6, "row", {"h": 1, "w": 24, "x": 0, "y": 15}),
    ]
    collapsed = after["panels"][-1]
    assert collapsed["collapsed"] is True
    assert [(p["id"], p["gridPos"]) for p in collapsed["panels"]] == [
        (4, {"h": 8, "w": 8, "x": 0, "y": 16})]
    assert any("legacy rows[]" in n for n in notes)
    assert upgrade(after, 41, DS) == (after, [])


def test_rows_without_titles_get_no_row_panels() -> None:
    legacy = dash(rows=[{"panels": [{"id": 1, "type": "stat", "title": "a", "span": 12}]},
                        {"panels": [{"id": 2, "type": "stat", "title": "b", "span": 12}]}])
    after, _ = upgrade(legacy, 41, DS)
    assert [(p["id"], p["gridPos"]) for p in after["panels"]] == [
        (1, {"h": 7, "w": 24, "x": 0, "y": 0}), (2, {"h": 7, "w": 24, "x": 0, "y": 7})]
