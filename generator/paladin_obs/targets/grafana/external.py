"""Hand-written grafanalib dashboards, brought up to the generated ones' schema.

The file is executed once per process (every environment gets the same
dashboard), upgraded to the pinned schemaVersion with the datasource variable
every generated dashboard has, and given a uid per environment, so a migrated
team gets what generated dashboards get: validation, lint, ownership, links.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Location
from paladin_obs.grafana.board import PROMETHEUS
from paladin_obs.grafana.grafanalib import load_dashboard
from paladin_obs.grafana.upgrade import upgrade
from paladin_obs.model import Grafana, Model, Service

_SUFFIX = ".dashboard.py"
_LOADED: dict[str, dict[str, Any]] = {}


def grafanalib_dashboards(
    model: Model, service: Service, grafana: Grafana
) -> list[tuple[str, dict[str, Any], Location]]:
    """(file stem, dashboard data, spec location) of each listed file."""
    if service.dashboards is None:
        return []
    out = []
    env = model.environment.name
    for listed in service.dashboards.grafanalib:
        raw = _LOADED.get(listed.path)
        if raw is None:
            raw = _LOADED[listed.path] = load_dashboard(listed.path)
        data, _notes = upgrade(raw, grafana.schema_version, PROMETHEUS.ref())
        stem = listed.path.rsplit("/", 1)[-1].removesuffix(_SUFFIX)
        # The file's own uid names the dashboard; the environment keeps it
        # distinct when environments share a Grafana.
        base = str(data.get("uid") or stem)
        data["uid"] = gconv.dashboard_uid(service.name, base, env)
        title = str(data.get("title") or stem)
        data["title"] = f"{title} ({env})" if env else title
        out.append((stem, data, listed.location))
    return out
