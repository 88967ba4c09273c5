"""A read-only view of a classic Grafana dashboard: its panels wherever they sit,
its targets, its variables, and which datasource plugin a reference means.

Panels live in three places (the top-level list, collapsed rows' own lists,
legacy ``rows[]``) and every check needs all of them with their JSON paths and
a name people recognise, so the walk and the naming live here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.validate.grafana_vars import VARIABLE, variable_name

#: Grafana's pseudo datasources, as names (legacy strings) and as uids.
_SPECIAL = {"-- Grafana --": "grafana", "-- Mixed --": "mixed", "-- Dashboard --": "dashboard"}
#: Loki's plugin id: its targets' ``expr`` is LogQL.
LOKI = "loki"
#: Panels that show no query results, so they need no datasource, unit or query.
NO_DATA_PANELS = frozenset(
    {"row", "text", "dashlist", "news", "alertlist", "annolist", "welcome", "gettingstarted"}
)


@dataclass(frozen=True)
class PanelRef:
    path: Path
    panel: dict[str, Any]
    #: Inside a collapsed row's own ``panels`` (laid out apart from the grid).
    collapsed_in: Path | None = None
    #: Inside a legacy ``rows[]`` entry (no gridPos: Grafana computes one).
    legacy: bool = False

    @property
    def type(self) -> str:
        value = self.panel.get("type")
        return value if isinstance(value, str) else ""

    @property
    def label(self) -> str:
        """``panel 'CPU usage' (id 3)``: how messages name a panel."""
        title = self.panel.get("title")
        what = "row" if self.type == "row" else "panel"
        name = f"{what} {title!r}" if isinstance(title, str) and title else f"untitled {what}"
        pid = self.panel.get("id")
        return f"{name} (id {pid})" if pid is not None else f"{name} (no id)"


@dataclass(frozen=True)
class TargetRef:
    panel: PanelRef
    path: Path
    target: dict[str, Any]

    @property
    def label(self) -> str:
        ref = self.target.get("refId")
        return f"{self.panel.label}, target {ref}" if ref else f"{self.panel.label}, target"


@dataclass
class Dashboard:
    data: dict[str, Any]
    panels: list[PanelRef] = field(default_factory=list)
    #: Variable name -> its model; ``__inputs`` of exported dashboards count too.
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def schema_version(self) -> int:
        value = self.data.get("schemaVersion")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def uses_legacy_rows(self) -> bool:
        return isinstance(self.data.get("rows"), list) and bool(self.data["rows"])

    @cached_property
    def targets(self) -> list[TargetRef]:
        """Every target of every panel (targets that are not objects left out)."""
        out: list[TargetRef] = []
        for ref in self.panels:
            targets = ref.panel.get("targets")
            if isinstance(targets, list):
                out.extend(
                    TargetRef(ref, (*ref.path, "targets", i), t)
                    for i, t in enumerate(targets)
                    if isinstance(t, dict)
                )
        return out

    def panel_at(self, path: Path) -> PanelRef | None:
        """The innermost panel containing ``path``, for naming it in a message."""
        for end in range(len(path), 0, -1):
            ref = self._by_path.get(path[:end])
            if ref is not None:
                return ref
        return None

    @cached_property
    def _by_path(self) -> dict[Path, PanelRef]:
        return {ref.path: ref for ref in self.panels}

    def datasource_type(self, ref: Any) -> str | None:
        """The plugin a datasource reference means, when it can be told:
        ``prometheus`` for ``{"type": "prometheus"}``, for ``"$ds"`` when ``ds``
        is a datasource variable of Prometheus, ``mixed``…; None when unknown."""
        if isinstance(ref, dict):
            kind = ref.get("type")
            uid = ref.get("uid")
            if isinstance(kind, str) and kind and kind != "datasource":
                return kind
            return self.datasource_type(uid) if isinstance(uid, str) else None
        if not isinstance(ref, str) or not ref:
            return None
        if ref in _SPECIAL:
            return _SPECIAL[ref]
        m = VARIABLE.fullmatch(ref)
        if m:
            variable = self.variables.get(variable_name(m))
            if variable is not None:
                plugin = variable.get("query") or variable.get("pluginId")
                return plugin if isinstance(plugin, str) and plugin else None
            return None
        return LOKI if LOKI in ref.lower() else None

    def target_datasource(self, target: TargetRef) -> str | None:
        """The plugin a target queries: its own datasource, else its panel's
        (a target of a mixed panel names its own)."""
        ref = target.target.get("datasource")
        kind = self.datasource_type(ref) if ref is not None else None
        if kind is None or kind == "mixed":
            kind = self.datasource_type(target.panel.panel.get("datasource"))
        return kind

    def is_prometheus(self, target: TargetRef) -> bool:
        """Whether a target is PromQL; an unknown plugin counts as Prometheus
        when the target has ``expr``."""
        kind = self.target_datasource(target)
        return kind is None or kind == "mixed" or "prometheus" in kind

    def is_loki(self, target: TargetRef) -> bool:
        """Whether a target is LogQL (a Loki datasource, by reference or variable)."""
        return self.target_datasource(target) == LOKI


def load(data: dict[str, Any]) -> Dashboard:
    """Walk ``data`` once: panels in every place they can sit, and variables."""
    dash = Dashboard(data)
    add = dash.panels.append
    panels = data.get("panels")
    if isinstance(panels, list):
        for i, panel in enumerate(panels):
            if not isinstance(panel, dict):
                continue
            add(PanelRef(("panels", i), panel))
            children = panel.get("panels")
            if panel.get("type") == "row" and isinstance(children, list):
                for j, child in enumerate(children):
                    if isinstance(child, dict):
                        add(PanelRef(("panels", i, "panels", j), child, ("panels", i)))
    rows = data.get("rows")
    if isinstance(rows, list):
        for i, row in enumerate(rows):
            children = row.get("panels") if isinstance(row, dict) else None
            if isinstance(children, list):
                for j, child in enumerate(children):
                    if isinstance(child, dict):
                        add(PanelRef(("rows", i, "panels", j), child, legacy=True))
    for item in _list(data.get("__inputs")):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            dash.variables[item["name"]] = item
    templating = data.get("templating")
    if isinstance(templating, dict):
        for item in _list(templating.get("list")):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                dash.variables[item["name"]] = item
    return dash


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
