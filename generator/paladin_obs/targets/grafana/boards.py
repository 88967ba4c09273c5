"""Which generated dashboards a model has: per service, overview and SLOs.

Built once per model: the rule targets ask for the panels their alerts link
to, then the dashboard target renders the same boards, one environment (one
model) at a time, so the last model's boards are kept.
"""

from __future__ import annotations

from paladin_obs.grafana.board import Dashboard
from paladin_obs.model import Model, Service
from paladin_obs.targets.grafana import overview, slo_board
from paladin_obs.targets.grafana.queries import Scope

Board = tuple[Service, str, Dashboard]
_LAST: tuple[Model, list[Board]] | None = None


def generated(model: Model) -> list[Board]:
    """(service, file stem, dashboard), in a fixed order."""
    global _LAST
    if _LAST is None or _LAST[0] is not model:
        _LAST = (model, _build(model))
    return _LAST[1]


def _build(model: Model) -> list[Board]:
    grafana = model.grafana
    if grafana is None or not grafana.enabled:
        return []
    out: list[Board] = []
    for service in model.services:
        wanted = service.dashboards
        scope = Scope(service, model.environment, grafana)
        if wanted is None or wanted.overview:
            out.append((service, overview.NAME, overview.build(scope)))
        if service.slos and (wanted is None or wanted.slo):
            out.append((service, slo_board.NAME, slo_board.build(scope)))
    return out
