"""Our dashboard model: small typed classes rendered to Grafana's classic JSON.

Targets describe *what* a panel shows (queries, unit, thresholds, links); this
module decides *how* Grafana wants it written at the pinned schemaVersion:
datasource references as ``{type, uid}`` objects, the first threshold step's
value null, every panel with an id and a grid position. Layout is computed here
too, once, so ids and positions are deterministic and panels never overlap or
leave the 24-column grid, whatever a target adds. A collapsed row holds its
panels in its own ``panels`` list, where Grafana looks for them when it expands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from paladin_obs.conventions import grafana as gconv

GRID_WIDTH = 24

PanelType = Literal["timeseries", "stat", "heatmap", "logs"]
#: timeseries: lines, or bars stacked per timestamp (counts per interval).
DrawStyle = Literal["lines", "stacked_bars"]


@dataclass(frozen=True)
class Datasource:
    type: str
    uid: str

    def ref(self) -> dict[str, str]:
        return {"type": self.type, "uid": self.uid}


#: Every generated query goes through the dashboard's datasource variable.
PROMETHEUS = Datasource("prometheus", f"${{{gconv.DATASOURCE_VARIABLE}}}")
#: Every generated LogQL query goes through the Loki datasource variable.
LOKI = Datasource("loki", f"${{{gconv.LOKI_DATASOURCE_VARIABLE}}}")


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = "__auto"
    #: ``heatmap`` for bucket series read by a heatmap panel.
    format: Literal["time_series", "heatmap"] = "time_series"
    instant: bool = False


@dataclass(frozen=True)
class Step:
    """A threshold step: from ``value`` upwards the colour applies."""

    value: float
    color: str = "red"


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Mapping:
    """Show ``text`` instead of the number ``value`` (alert state 0/1)."""

    value: int
    text: str
    color: str


@dataclass(frozen=True)
class SeriesColor:
    """A fixed colour for the series named ``name`` (a log level's own colour)."""

    name: str
    color: str


@dataclass(frozen=True)
class Panel:
    type: PanelType
    title: str
    description: str
    unit: str
    queries: tuple[Query, ...]
    width: int = 8
    height: int = 8
    #: Steps above the base; the base (value null) takes ``base_color``.
    steps: tuple[Step, ...] = ()
    base_color: str = "green"
    #: timeseries: draw the steps as lines (an alert's threshold).
    threshold_lines: bool = True
    links: tuple[Link, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    min: float | None = None
    max: float | None = None
    #: Names of the alerts this panel mirrors (not rendered): links and tests
    #: find an alert's panel through it.
    mirrors: tuple[str, ...] = ()
    #: The panel's and its targets' datasource (Loki targets are LogQL).
    datasource: Datasource = PROMETHEUS
    draw: DrawStyle = "lines"
    colors: tuple[SeriesColor, ...] = ()


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]
    #: Closed on load: its panels run no query until someone opens it.
    collapsed: bool = False


@dataclass(frozen=True)
class Variable:
    """A query, datasource or custom variable; rendered per its ``type``."""

    name: str
    label: str
    type: Literal["datasource", "query"]
    query: str
    description: str = ""
    multi: bool = False
    include_all: bool = False
    #: Regex Grafana sends for "All" (keeps ``=~`` matchers non-empty).
    all_value: str = ""


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    tags: tuple[str, ...]
    schema_version: int
    variables: tuple[Variable, ...]
    #: Panels above the first row (the stat strip), then the rows.
    header: tuple[Panel, ...]
    rows: tuple[Row, ...]
    refresh: str = "1m"
    time_from: str = "now-6h"
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Placed:
    """A panel with the id and position layout gave it."""

    panel: Panel
    id: int
    x: int
    y: int


def layout(board: Dashboard) -> tuple[list[Placed | tuple[Row, int, int]], int]:
    """Ids in reading order from 1, rows full width, panels packed left to right
    and wrapped at 24 columns; a line's height is its tallest panel's.

    A collapsed row is one unit high: its panels get the positions they take
    when it opens (from the line under it), and what follows starts under the
    row itself, as Grafana lays it out."""
    out: list[Placed | tuple[Row, int, int]] = []
    next_id, y = 1, 0

    def pack(panels: tuple[Panel, ...]) -> None:
        nonlocal next_id, y
        x, line_height = 0, 0
        for panel in panels:
            width = max(1, min(panel.width, GRID_WIDTH))
            if x + width > GRID_WIDTH:
                x, y, line_height = 0, y + line_height, 0
            out.append(Placed(panel, next_id, x, y))
            next_id += 1
            x += width
            line_height = max(line_height, panel.height)
        y += line_height

    pack(board.header)
    for row in board.rows:
        out.append((row, next_id, y))
        next_id += 1
        y += 1
        top = y
        pack(row.panels)
        if row.collapsed:
            y = top
    return out, next_id - 1


def render(board: Dashboard) -> dict[str, Any]:
    placed, _ = layout(board)
    panels: list[dict[str, Any]] = []
    holder = panels  # a collapsed row's own list while its panels come
    for item in placed:
        if isinstance(item, tuple):
            row = _row(*item)
            panels.append(row)
            holder = row["panels"] if item[0].collapsed else panels
        else:
            holder.append(_panel(item))
    return {
        "annotations": {"list": [_annotation_builtin()]},
        "description": board.description,
        "editable": False,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "links": [_link(link) for link in board.links],
        "panels": panels,
        "refresh": board.refresh,
        "schemaVersion": board.schema_version,
        "tags": list(board.tags),
        "templating": {"list": [_variable(v) for v in board.variables]},
        "time": {"from": board.time_from, "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": board.title,
        "uid": board.uid,
        "version": 1,
    }


def panel_ids(board: Dashboard) -> dict[str, int]:
    """Alert name → id of the first panel mirroring it."""
    placed, _ = layout(board)
    out: dict[str, int] = {}
    for item in placed:
        if isinstance(item, Placed):
            for alert in item.panel.mirrors:
                out.setdefault(alert, item.id)
    return out


def _annotation_builtin() -> dict[str, Any]:
    # What Grafana adds to every dashboard; written out so a load changes nothing.
    return {
        "builtIn": 1,
        "datasource": {"type": "grafana", "uid": "-- Grafana --"},
        "enable": True,
        "hide": True,
        "iconColor": "rgba(0, 211, 255, 1)",
        "name": "Annotations & Alerts",
        "type": "dashboard",
    }


def _link(link: Link) -> dict[str, Any]:
    return {"targetBlank": True, "title": link.title, "url": link.url}


def _row(row: Row, pid: int, y: int) -> dict[str, Any]:
    return {
        "collapsed": row.collapsed,
        "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0, "y": y},
        "id": pid,
        "panels": [],
        "title": row.title,
        "type": "row",
    }


def _query(query: Query, ref: str, datasource: Datasource) -> dict[str, Any]:
    if datasource.type == LOKI.type:
        return _loki_query(query, ref, datasource)
    out: dict[str, Any] = {
        "datasource": datasource.ref(),
        "editorMode": "code",
        "expr": query.expr,
        "legendFormat": query.legend,
        "range": not query.instant,
        "instant": query.instant,
        "refId": ref,
    }
    if query.format != "time_series":
        out["format"] = query.format
    return out


def _loki_query(query: Query, ref: str, datasource: Datasource) -> dict[str, Any]:
    """A Loki target: ``queryType`` says range or instant (Loki's query model
    since Grafana 8.4, which reads the older ``range``/``instant`` flags only to
    migrate them). A log query (a logs panel's) has no legend and must be a
    range query: Loki 3.2 refuses instant log queries."""
    out: dict[str, Any] = {
        "datasource": datasource.ref(),
        "editorMode": "code",
        "expr": query.expr,
        "queryType": "instant" if query.instant else "range",
        "refId": ref,
    }
    if query.legend:
        out["legendFormat"] = query.legend
    return out


def _panel(item: Placed) -> dict[str, Any]:
    p = item.panel
    if p.type == "logs":
        return _logs_panel(item)
    steps: list[dict[str, Any]] = [{"color": p.base_color, "value": None}]
    steps += [{"color": s.color, "value": s.value} for s in p.steps]
    defaults: dict[str, Any] = {
        "color": {"mode": "thresholds" if p.type == "stat" else "palette-classic"},
        "mappings": [_mapping(m) for m in p.mappings],
        "thresholds": {"mode": "absolute", "steps": steps},
        "unit": p.unit,
    }
    if p.min is not None:
        defaults["min"] = p.min
    if p.max is not None:
        defaults["max"] = p.max
    if p.type == "timeseries":
        defaults["custom"] = _timeseries_style(p)
    return {
        "datasource": p.datasource.ref(),
        "description": p.description,
        "fieldConfig": {"defaults": defaults, "overrides": [_color(c) for c in p.colors]},
        "gridPos": _grid_pos(item),
        "id": item.id,
        "links": [_link(link) for link in p.links],
        "options": _options(p),
        "targets": _targets(p),
        "title": p.title,
        "type": p.type,
    }


def _timeseries_style(p: Panel) -> dict[str, Any]:
    out: dict[str, Any] = {
        "drawStyle": "line",
        "fillOpacity": 10,
        "lineWidth": 1,
        "showPoints": "never",
        "spanNulls": False,
        "thresholdsStyle": {"mode": "line" if p.steps and p.threshold_lines else "off"},
    }
    if p.draw == "stacked_bars":
        out.update(drawStyle="bars", fillOpacity=80, stacking={"group": "A", "mode": "normal"})
    return out


def _logs_panel(item: Placed) -> dict[str, Any]:
    """A logs panel: lines, newest first and wrapped. It charts no numbers, so
    its field config is empty (no unit, no thresholds), as Grafana saves it."""
    p = item.panel
    return {
        "datasource": p.datasource.ref(),
        "description": p.description,
        "fieldConfig": {"defaults": {}, "overrides": []},
        "gridPos": _grid_pos(item),
        "id": item.id,
        "links": [_link(link) for link in p.links],
        "options": {
            "dedupStrategy": "none",
            "enableLogDetails": True,
            "prettifyLogMessage": False,
            "showCommonLabels": False,
            "showLabels": False,
            "showTime": True,
            "sortOrder": "Descending",
            "wrapLogMessage": True,
        },
        "targets": _targets(p),
        "title": p.title,
        "type": p.type,
    }


def _grid_pos(item: Placed) -> dict[str, int]:
    p = item.panel
    return {"h": p.height, "w": max(1, min(p.width, GRID_WIDTH)), "x": item.x, "y": item.y}


def _targets(p: Panel) -> list[dict[str, Any]]:
    return [_query(q, _ref_id(i), p.datasource) for i, q in enumerate(p.queries)]


def _color(c: SeriesColor) -> dict[str, Any]:
    return {
        "matcher": {"id": "byName", "options": c.name},
        "properties": [{"id": "color", "value": {"fixedColor": c.color, "mode": "fixed"}}],
    }


def _ref_id(index: int) -> str:
    """A, B, … Z, AA, AB…: Grafana's own refId sequence."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _mapping(m: Mapping) -> dict[str, Any]:
    return {
        "options": {str(m.value): {"color": m.color, "index": m.value, "text": m.text}},
        "type": "value",
    }


def _options(p: Panel) -> dict[str, Any]:
    if p.type == "stat":
        return {
            "colorMode": "value",
            "graphMode": "area",
            "justifyMode": "auto",
            "orientation": "auto",
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "textMode": "auto",
        }
    if p.type == "heatmap":
        return {
            "calculate": False,
            "cellGap": 1,
            "color": {"mode": "scheme", "scheme": "Oranges", "steps": 64},
            "legend": {"show": True},
            "rowsFrame": {"layout": "auto"},
            "tooltip": {"mode": "single", "yHistogram": True},
            "yAxis": {"axisPlacement": "left", "unit": p.unit},
        }
    return {
        "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
        "tooltip": {"mode": "multi", "sort": "desc"},
    }


def _variable(v: Variable) -> dict[str, Any]:
    if v.type == "datasource":
        return {
            "current": {},
            "description": v.description,
            "hide": 0,
            "includeAll": False,
            "label": v.label,
            "multi": False,
            "name": v.name,
            "options": [],
            "query": v.query,
            "refresh": 1,
            "regex": "",
            "type": "datasource",
        }
    out: dict[str, Any] = {
        "current": {},
        "datasource": PROMETHEUS.ref(),
        "definition": v.query,
        "description": v.description,
        "hide": 0,
        "includeAll": v.include_all,
        "label": v.label,
        "multi": v.multi,
        "name": v.name,
        "options": [],
        "query": {
            "qryType": 1,
            "query": v.query,
            "refId": "PrometheusVariableQueryEditor-VariableQuery",
        },
        "refresh": 2,
        "regex": "",
        "sort": 1,
        "type": "query",
    }
    if v.include_all and v.all_value:
        out["allValue"] = v.all_value
    return out
