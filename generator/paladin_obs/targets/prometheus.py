"""Prometheus rule files: one per service and environment, groups per scope."""

from __future__ import annotations

from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.artifacts import Artifact
from paladin_obs.diagnostics import Location, Path
from paladin_obs.directives import Directive
from paladin_obs.model import Alert, Model, Service
from paladin_obs.targets.grafana.links import alert_urls
from paladin_obs.targets.rule_data import alert_rule, directives, record_rule

NAME: str = "prometheus"
KIND = conv.PROMETHEUS_RULES_KIND
OUTPUT_DIRS: tuple[str, ...] = (conv.RULES_DIR,)


def generate(model: Model) -> list[Artifact]:
    # A service with SLOs or logs and no rules of its own (an imported Sloth
    # spec, a log-only service) gets only those files, not an empty one beside them.
    return [
        _service_file(model, service)
        for service in model.services
        if service.records or service.alerts or not (service.slos or service.logs)
    ]


def _service_file(model: Model, service: Service) -> Artifact:
    groups: list[dict[str, Any]] = []
    origins: dict[Path, Location] = {}
    suppressions: list[Directive] = []

    def add_group(name: str, rules: list[tuple[dict[str, Any], Location, Location]]) -> None:
        if not rules:
            return
        index = len(groups)
        group: dict[str, Any] = {"name": name}
        if model.evaluation_interval is not None:
            group["interval"] = str(model.evaluation_interval)
        group["rules"] = [rule for rule, _, _ in rules]
        for i, (_, where, expr_where) in enumerate(rules):
            origins[("groups", index, "rules", i)] = where
            origins[("groups", index, "rules", i, "expr")] = expr_where
        groups.append(group)

    add_group(
        conv.record_group(service.name),
        [(record_rule(r), r.location, r.location) for r in service.records],
    )
    urls = alert_urls(model)
    by_group: dict[str, list[Alert]] = {}
    for alert in service.alerts:
        by_group.setdefault(alert.group, []).append(alert)
    for name in sorted(by_group):
        for i, alert in enumerate(by_group[name]):
            suppressions.extend(directives(alert, ("groups", len(groups), "rules", i)))
        add_group(
            name,
            [
                (alert_rule(a, urls.get(a.name, "")), a.location, a.expr_location)
                for a in by_group[name]
            ],
        )
    return Artifact(
        path=conv.rule_file(service.name, model.environment.name),
        kind=KIND,
        format="yaml",
        data={"groups": groups},
        origins=origins,
        directives=tuple(suppressions),
    )
