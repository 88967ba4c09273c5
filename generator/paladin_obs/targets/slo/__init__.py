"""SLO rule files on Sloth's contract: per SLO, SLI recordings, meta recordings, alerts.

A fixed chain of small steps (as in Sloth), each returning one rule group of
one SLO; this module only orders them and gathers one file per service and
environment, beside the service's own rules.
"""

from __future__ import annotations

from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.artifacts import Artifact
from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Location, Path
from paladin_obs.model import SLO, Model, Service
from paladin_obs.targets.slo import alerts, meta, sli
from paladin_obs.targets.slo.common import Rule

NAME: str = "slo"
KIND = conv.PROMETHEUS_RULES_KIND
OUTPUT_DIRS: tuple[str, ...] = (conv.RULES_DIR,)


def generate(model: Model) -> list[Artifact]:
    return [_service_file(model, s) for s in model.services if s.slos]


def _service_file(model: Model, service: Service) -> Artifact:
    groups: list[dict[str, Any]] = []
    origins: dict[Path, Location] = {}
    # Imported here: the dashboards chart these rules (they import this
    # package), and the rules link to the dashboards.
    from paladin_obs.targets.grafana.links import alert_urls

    urls = alert_urls(model)
    for slo in service.slos:
        steps: list[tuple[str, list[Rule]]] = []
        if slo.recordings:
            steps.append((sconv.sli_group(slo.id), sli.rules(slo)))
            steps.append((sconv.meta_group(slo.id), meta.rules(slo)))
        steps.append((sconv.alert_group(slo.id), alerts.rules(slo, urls)))
        for name, rules in steps:
            if rules:
                _add(groups, origins, slo, name, rules)
    return Artifact(
        path=sconv.slo_rule_file(service.name, model.environment.name),
        kind=KIND,
        format="yaml",
        data={"groups": groups},
        origins=origins,
    )


def _add(
    groups: list[dict[str, Any]],
    origins: dict[Path, Location],
    slo: SLO,
    name: str,
    rules: list[Rule],
) -> None:
    index = len(groups)
    group: dict[str, Any] = {"name": name}
    if slo.interval is not None:
        group["interval"] = str(slo.interval)
    group["rules"] = [r.data for r in rules]
    for i, rule in enumerate(rules):
        origins[("groups", index, "rules", i)] = rule.location
        origins[("groups", index, "rules", i, "expr")] = rule.expr_location
    groups.append(group)
