"""Grafana dashboards: per service an overview and an SLO dashboard, the
team's grafanalib dashboards brought up to the same schema, and how Grafana
loads them (file provisioning, optionally grafana-operator resources).

Everything lands in ``dashboards/<env>/``, one directory per service, so one
provisioning provider maps one service to one folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from paladin_obs.artifacts import Artifact
from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Location, Path
from paladin_obs.formats.json_text import dump_json
from paladin_obs.grafana.board import panel_ids, render
from paladin_obs.model import Grafana, GrafanaOperator, Model, Service
from paladin_obs.targets.grafana.boards import generated
from paladin_obs.targets.grafana.delivery import operator_resource, provisioning
from paladin_obs.targets.grafana.external import grafanalib_dashboards

NAME: str = "grafana"
OUTPUT_DIRS: tuple[str, ...] = (gconv.DASHBOARDS_DIR,)


Board = tuple[Service, str, dict[str, Any], dict[Path, Location]]


def generate(model: Model) -> Iterator[Artifact]:
    """Lazily, a dashboard (and its operator resource) at a time: a fleet's
    dashboards are big dict trees, and the pipeline checks and writes each
    before the next is built."""
    grafana = model.grafana
    if grafana is None or not grafana.enabled:
        return
    env = model.environment.name
    # One provisioning file per service: specs sharing a tree never collide.
    services: dict[str, Service] = {}
    for service, name, data, origins in _boards(model, grafana):
        services[service.name] = service
        text = dump_json(data)
        path = gconv.dashboard_file(service.name, name, env)
        yield Artifact(path, gconv.DASHBOARD_KIND, "json", data, origins, text=text)
        if grafana.operator is not None:
            yield _operator(grafana.operator, env, (service, name, data, origins), text)
    for service in services.values():
        data = provisioning(grafana, service.name, _folder(service))
        path = gconv.provisioning_file(service.name, env)
        yield Artifact(path, gconv.PROVISIONING_KIND, "yaml", data, _where(service))


def _boards(model: Model, grafana: Grafana) -> Iterator[Board]:
    for service, name, board in generated(model):
        origins = _where(service)
        alerts = {a.name: a.location for a in service.alerts}
        alerts.update({a.name: a.location for slo in service.slos for a in slo.alerts})
        for alert, pid in panel_ids(board).items():
            if alert in alerts:
                origins[("panels", pid - 1)] = alerts[alert]
        yield service, name, render(board), origins
    for service in model.services:
        for name, data, where in grafanalib_dashboards(model, service, grafana):
            yield service, name, data, {(): where}


def _where(service: Service) -> dict[Path, Location]:
    """The service's ``dashboards`` entry, where problems in its files point."""
    where = service.dashboards.location if service.dashboards is not None else None
    return {(): where} if where is not None else {}


def _folder(service: Service) -> str:
    return service.dashboards.folder if service.dashboards is not None else service.name


def _operator(operator: GrafanaOperator, env: str, board: Board, text: str) -> Artifact:
    service, name, data, origins = board
    resource = _k8s_name(str(data.get("uid", f"{service.name}-{name}")))
    return Artifact(
        gconv.operator_file(service.name, name, env),
        gconv.OPERATOR_KIND,
        "yaml",
        operator_resource(operator, resource, _folder(service), text),
        {(): origins[()]} if () in origins else {},
    )


def _k8s_name(uid: str) -> str:
    """A DNS-1123 name from a uid (lower case, ``_`` and others → ``-``)."""
    name = re.sub(r"[^a-z0-9-]+", "-", uid.lower()).strip("-")
    return name[:63].rstrip("-") or "dashboard"
