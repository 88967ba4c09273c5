"""The grid: panels inside its 24 columns, no two overlapping, panel ids unique.

These are errors because the dashboard renders wrong: Grafana re-packs
overlapping panels (the layout on screen is not the one in the file), clips
or widens panels past the grid, and re-numbers duplicate ids, which breaks
``viewPanel`` links and alert annotations that point at a panel.

A collapsed row keeps its panels in its own list; when it expands Grafana
shifts them as a block under the row, so they are checked against each
other only. A row itself always spans the grid, one unit high.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard, PanelRef

GRID_COLUMNS = 24
Rect = tuple[int, float, int, int]  # x, y, w, h (y may be fractional: see the schema)


def check_layout(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    groups: dict[Path | None, list[tuple[PanelRef, Rect]]] = defaultdict(list)
    for ref in dash.panels:
        if ref.legacy:
            continue
        rect = _rect(ref)
        if rect is None:
            continue
        x, _, w, _ = rect
        if x + w > GRID_COLUMNS and ref.type != "row":
            path = (*ref.path, "gridPos")
            out.append(
                Diagnostic(
                    locate(path, False),
                    f"{ref.label} runs past the grid's right edge: x {x} + w {w} = {x + w}, "
                    f"more than {GRID_COLUMNS} columns",
                    path,
                )
            )
        groups[ref.collapsed_in].append((ref, rect))
    for members in groups.values():
        out.extend(_overlaps(members, locate))
    out.extend(_duplicate_ids(dash, locate))
    return out


def _rect(ref: PanelRef) -> Rect | None:
    """The panel's rectangle, or None when its gridPos is missing or invalid
    (the schema reports invalid values; a missing one is a warning elsewhere)."""
    pos = ref.panel.get("gridPos")
    if not isinstance(pos, dict):
        return None
    if ref.type == "row" and ref.collapsed_in is None:
        y = pos.get("y", 0)
        return (0, y, GRID_COLUMNS, 1) if _number(y) and y >= 0 else None
    x, y, w, h = (pos.get(k, d) for k, d in (("x", 0), ("y", 0), ("w", 12), ("h", 9)))
    if not (_int(x) and _number(y) and _int(w) and _int(h)):
        return None
    if x < 0 or y < 0 or w < 1 or h < 1 or w > GRID_COLUMNS or x >= GRID_COLUMNS:
        return None
    return (x, y, w, h)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return _int(value) or isinstance(value, float)


def _overlaps(members: list[tuple[PanelRef, Rect]], locate: Locate) -> list[Diagnostic]:
    out = []
    ordered = sorted(members, key=lambda m: (m[1][1], m[1][0]))
    for k, (ref, (x, y, w, h)) in enumerate(ordered):
        for other, (ox, oy, ow, oh) in ordered[:k]:
            if x < ox + ow and ox < x + w and y < oy + oh and oy < y + h:
                path = (*ref.path, "gridPos")
                out.append(
                    Diagnostic(
                        locate(path, False),
                        f"{ref.label} overlaps {other.label}: both cover columns "
                        f"{max(x, ox)}-{min(x + w, ox + ow) - 1} from row {max(y, oy):g} "
                        "(Grafana would move one)",
                        path,
                    )
                )
                break  # one overlap per panel is enough to act on
    return out


def _duplicate_ids(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    out = []
    seen: dict[int, PanelRef] = {}
    for ref in dash.panels:
        pid = ref.panel.get("id")
        if not isinstance(pid, int) or isinstance(pid, bool):
            continue
        first = seen.setdefault(pid, ref)
        if first is not ref:
            path = (*ref.path, "id")
            out.append(
                Diagnostic(
                    locate(path, False),
                    f"{ref.label}: panel id {pid} is already used by {first.label} "
                    "(ids must be unique in the dashboard, collapsed rows included)",
                    path,
                )
            )
    return out
