"""Which generated dashboards a model has: per service, overview and SLOs."""

from __future__ import annotations

from paladin_obs.grafana.board import Dashboard
from paladin_obs.model import Model, Service
from paladin_obs.targets.grafana import overview, slo_board
from paladin_obs.targets.grafana.queries import Scope


def generated(model: Model) -> list[tuple[Service, str, Dashboard]]:
    """(service, file stem, dashboard), in a fixed order."""
    grafana = model.grafana
    if grafana is None or not grafana.enabled:
        return []
    out: list[tuple[Service, str, Dashboard]] = []
    for service in model.services:
        wanted = service.dashboards
        scope = Scope(service, model.environment, grafana)
        if wanted is None or wanted.overview:
            out.append((service, overview.NAME, overview.build(scope)))
        if service.slos and (wanted is None or wanted.slo):
            out.append((service, slo_board.NAME, slo_board.build(scope)))
    return out
