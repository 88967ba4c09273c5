"""Loki ruler rule files: Prometheus's rule-file layout with LogQL expressions."""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Location, Path
from paladin_obs.directives import Directive
from paladin_obs.model_logs import ServiceLogs
from paladin_obs.targets.rule_data import alert_rule, directives, record_rule


def rules(
    service: str, logs: ServiceLogs, interval: str | None
) -> tuple[dict[str, Any], dict[Path, Location], tuple[Directive, ...]]:
    """The file's data, where each rule came from in the spec, and the
    alerts' lint suppressions."""
    groups: list[dict[str, Any]] = []
    origins: dict[Path, Location] = {}
    sections = (
        (lconv.record_group(service), [(record_rule(r), r.location) for r in logs.records]),
        (lconv.alert_group(service), [(alert_rule(a), a.location) for a in logs.alerts]),
    )
    for name, entries in sections:
        if not entries:
            continue
        group: dict[str, Any] = {"name": name}
        if interval is not None:
            group["interval"] = interval
        group["rules"] = [rule for rule, _ in entries]
        for i, (_, where) in enumerate(entries):
            origins[("groups", len(groups), "rules", i)] = where
        groups.append(group)
    suppressions: list[Directive] = []
    for i, alert in enumerate(logs.alerts):
        origins[("groups", len(groups) - 1, "rules", i, "expr")] = alert.expr_location
        suppressions.extend(directives(alert, ("groups", len(groups) - 1, "rules", i)))
    return {"groups": groups}, origins, tuple(suppressions)
