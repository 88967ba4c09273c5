"""Hand-written grafanalib dashboards, brought up to the generated ones' schema.

The file is executed once per process (every environment gets the same
dashboard), upgraded to the pinned schemaVersion with the datasource variable
every generated dashboard has, and given a uid per environment, so a migrated
team gets what generated dashboards get: validation, lint, ownership, links.
"""

from __future__ import annotations

import copy
import os
from pathlib import PurePath
from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Location
from paladin_obs.grafana.board import PROMETHEUS
from paladin_obs.model import Grafana, Model, Service

_SUFFIX = ".dashboard.py"
#: Upgraded dashboards by file and (schemaVersion, modification time, size):
#: every environment shares one execution and one upgrade, and a file changed
#: within a long-lived process is executed again.
_LOADED: dict[tuple[str, int, int, int], dict[str, Any]] = {}


def grafanalib_dashboards(
    model: Model, service: Service, grafana: Grafana
) -> list[tuple[str, dict[str, Any], Location]]:
    """(file stem, dashboard data, spec location) of each listed file."""
    if service.dashboards is None:
        return []
    out = []
    env = model.environment.name
    for listed in service.dashboards.grafanalib:
        data = copy.deepcopy(_upgraded(listed.path, grafana.schema_version))
        stem = PurePath(listed.path).name.removesuffix(_SUFFIX)
        # The file's own uid names the dashboard; the environment keeps it
        # distinct when environments share a Grafana.
        base = str(data.get("uid") or stem)
        data["uid"] = gconv.dashboard_uid(service.name, base, env)
        title = str(data.get("title") or stem)
        data["title"] = f"{title} ({env})" if env else title
        out.append((stem, data, listed.location))
    return out


def _upgraded(path: str, schema_version: int) -> dict[str, Any]:
    try:
        stat = os.stat(path)
        key = (path, schema_version, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (path, schema_version, 0, 0)  # load_dashboard reports it, located
    if key not in _LOADED:
        # Imported only by specs that list grafanalib files: most never pay for it.
        from paladin_obs.grafana.grafanalib import load_dashboard
        from paladin_obs.grafana.upgrade import upgrade

        data, _notes = upgrade(load_dashboard(path), schema_version, PROMETHEUS.ref())
        _LOADED[key] = data
    return _LOADED[key]
