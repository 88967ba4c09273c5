"""Grid layout of a classic dashboard, as Grafana's migrations leave it.

Legacy ``rows[]`` (Grafana < 5, grafanalib ``Row``) become flat ``panels`` with
``row`` panels and ``gridPos`` computed like Grafana's schema-16 migration, so a
converted dashboard looks the way Grafana itself would lay it out; panels without a
position are flowed; widths and offsets are fitted to the 24-column grid. Split from
``upgrade.py`` because placement is its own small algorithm.
"""

from __future__ import annotations

import math
import re

from paladin_obs.grafana.board import GRID_WIDTH
from paladin_obs.grafana.panels import JSON, Notes, label

CELL_HEIGHT, CELL_VMARGIN = 30, 8  # px; Grafana's GRID_CELL_HEIGHT and _VMARGIN
DEFAULT_SPAN, DEFAULT_ROW_HEIGHT, MIN_PANEL_HEIGHT = 4, 250, 90
FLOW_WIDTH, FLOW_HEIGHT = 12, 8
_FACTORS = (1, 2, 3, 4, 6, 8, 12, 24)


def all_panels(panels: list[JSON]) -> list[dict[str, JSON]]:
    """Every panel, rows' nested panels included, in document order."""
    out: list[dict[str, JSON]] = []
    for panel in panels:
        if isinstance(panel, dict):
            out.append(panel)
            out.extend(all_panels(panel.get("panels") or []))
    return out


def layout(dash: dict[str, JSON], notes: Notes) -> None:
    panels = [p for p in dash.get("panels") or [] if isinstance(p, dict)]
    rows = [r for r in dash.pop("rows", None) or [] if isinstance(r, dict)]
    next_id = _assign_ids(panels + [p for r in rows for p in r.get("panels") or []
                                    if isinstance(p, dict)], notes)
    if rows:
        panels += _rows_to_panels(rows, next_id)
        notes.add(f"legacy rows[] converted to panels with gridPos ({len(rows)} rows)", "")
    _fix_grid(panels, notes)
    panels.sort(key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"]))
    dash["panels"] = panels


def _assign_ids(panels: list[dict[str, JSON]], notes: Notes) -> int:
    """Panels without a positive id get the next free one in document order
    (schema 3); returns the id after the largest."""
    flat = all_panels(panels)
    next_id = max((p["id"] for p in flat if _positive_id(p)), default=0) + 1
    for panel in flat:
        if not _positive_id(panel):
            panel["id"] = next_id
            next_id += 1
            notes.add("panel ids assigned", label(panel))
    return next_id


def _positive_id(panel: dict[str, JSON]) -> bool:
    return isinstance(panel.get("id"), int) and panel["id"] > 0


def _span_width(span: float) -> int:
    """A legacy span (of 12 columns) as a width on the 24-column grid."""
    return max(1, min(GRID_WIDTH, math.floor(span) * GRID_WIDTH // 12))


def _grid_height(height: JSON) -> int:
    if isinstance(height, str):
        digits = re.match(r"\s*(\d+)", height)
        px = int(digits.group(1)) if digits else DEFAULT_ROW_HEIGHT
    elif isinstance(height, int | float):
        px = int(height)
    else:
        px = DEFAULT_ROW_HEIGHT
    return math.ceil(max(px, MIN_PANEL_HEIGHT) / (CELL_HEIGHT + CELL_VMARGIN))


class _RowArea:
    """Grafana's placement of a legacy row's panels: fill a band of the row's height
    from the left, start a new band below when a panel does not fit."""

    def __init__(self, height: int, y: int) -> None:
        self.height, self.y = height, y
        self.filled = [0] * GRID_WIDTH

    def place(self, width: int, retried: bool = False) -> tuple[int, int]:
        start: int | None = None
        end: int | None = None
        for i in range(GRID_WIDTH - 1, -1, -1):
            if self.height - self.filled[i] <= 0:
                break
            if end is None:
                end = i
            elif i < GRID_WIDTH - 1 and self.filled[i] <= self.filled[i + 1]:
                start = i
            else:
                break
        if start is not None and end is not None and end - start >= width - 1:
            return start, max(self.filled[start:])
        if retried:  # cannot happen for width <= 24 in an empty band; be safe
            return 0, 0
        self.y += self.height
        self.filled = [0] * GRID_WIDTH
        return self.place(width, retried=True)

    def add(self, pos: dict[str, int]) -> None:
        for i in range(pos["x"], pos["x"] + pos["w"]):
            self.filled[i] = max(self.filled[i], pos["y"] + pos["h"] - self.y)


def _rows_to_panels(rows: list[dict[str, JSON]], next_row_id: int) -> list[dict[str, JSON]]:
    """Grafana's schema-16 ``upgradeToGridLayout``: span times 2 columns, heights in px
    over 38 px cells, row panels only if some row shows a title, collapses or repeats.
    Row panels get ``h: 1``, the height Grafana renders them at; their ids start at
    ``next_row_id``."""
    out: list[dict[str, JSON]] = []
    show_rows = any(r.get("collapse") or r.get("showTitle") or r.get("repeat") for r in rows)
    y = 0
    for row in rows:
        if row.get("repeatIteration"):
            continue
        row_height = _grid_height(row.get("height"))
        collapsed = bool(row.get("collapse"))
        row_panel: dict[str, JSON] | None = None
        if show_rows:
            row_panel = {"id": next_row_id, "type": "row", "title": row.get("title") or "",
                         "collapsed": collapsed, "panels": [],
                         "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0, "y": y}}
            if row.get("repeat"):
                row_panel["repeat"] = row["repeat"]
            next_row_id += 1
            y += 1
        area = _RowArea(row_height, y)
        for panel in (p for p in row.get("panels") or [] if isinstance(p, dict)):
            width = _span_width(panel.pop("span", None) or DEFAULT_SPAN)
            height = panel.pop("height", None)
            h = _grid_height(height) if height else row_height
            x, dy = area.place(width)
            y = area.y
            panel["gridPos"] = {"h": h, "w": width, "x": x, "y": y + dy}
            area.add(panel["gridPos"])
            if isinstance(panel.get("minSpan"), int | float):
                panel["minSpan"] = min(GRID_WIDTH, panel["minSpan"] * GRID_WIDTH // 12)
            if row_panel is not None and collapsed:
                row_panel["panels"].append(panel)
            else:
                out.append(panel)
        if row_panel is not None:
            out.append(row_panel)
        if not (row_panel is not None and collapsed):
            y += row_height
    return out


def _fix_grid(panels: list[dict[str, JSON]], notes: Notes) -> None:
    """Row panels span the grid; widths fit 24 columns; panels without a position
    flow below the others (Grafana would stack them at the top-left)."""
    placed = [p for p in panels if _valid_pos(p.get("gridPos"))]
    bottom = max((p["gridPos"]["y"] + p["gridPos"]["h"] for p in placed), default=0)
    x, y, band = 0, bottom, 0
    for panel in panels:
        is_row = panel.get("type") == "row"
        if not _valid_pos(panel.get("gridPos")):
            w = GRID_WIDTH if is_row else FLOW_WIDTH
            if isinstance(panel.get("span"), int | float) and panel["span"] > 0:
                w = _span_width(panel["span"])
            h = 1 if is_row else (_grid_height(panel["height"]) if panel.get("height")
                                  else FLOW_HEIGHT)
            if is_row or x + w > GRID_WIDTH:
                x, y, band = 0, y + band, 0
            panel["gridPos"] = {"h": h, "w": w, "x": x, "y": y}
            x, band = x + w, max(band, h)
            if is_row:
                x, y, band = 0, y + band, 0
            notes.add("panels without gridPos placed", label(panel))
        pos = panel["gridPos"]
        before = dict(pos)
        if is_row:
            pos.update(x=0, w=GRID_WIDTH, h=pos["h"] if pos["h"] > 0 else 1)
        else:
            pos["w"] = max(1, min(GRID_WIDTH, pos["w"]))
            pos["h"] = pos["h"] if pos["h"] > 0 else FLOW_HEIGHT
            pos["x"] = max(0, min(pos["x"], GRID_WIDTH - pos["w"]))
        if pos != before:
            notes.add("gridPos fitted to the 24-column grid", label(panel))
        for key in ("span", "height"):
            panel.pop(key, None)
        if _min_span(panel):
            notes.add("minSpan converted to maxPerRow", label(panel))
        for child in panel.get("panels") or [] if is_row else []:
            if isinstance(child, dict) and not _valid_pos(child.get("gridPos")):
                child["gridPos"] = {"h": FLOW_HEIGHT, "w": FLOW_WIDTH, "x": 0, "y": pos["y"] + 1}
                notes.add("panels without gridPos placed", label(child))


def _valid_pos(pos: JSON) -> bool:
    return isinstance(pos, dict) and all(isinstance(pos.get(k), int) for k in "hwxy")


def _min_span(panel: dict[str, JSON]) -> bool:
    """``minSpan`` → ``maxPerRow``: the largest divisor of 24 within 24 / minSpan
    (schema 17)."""
    min_span = panel.pop("minSpan", None)
    if isinstance(min_span, int | float) and min_span > 0:
        fits = [f for f in _FACTORS if f <= GRID_WIDTH / min_span]
        if fits and GRID_WIDTH / min_span < GRID_WIDTH:
            panel["maxPerRow"] = fits[-1]
        return True
    return False
