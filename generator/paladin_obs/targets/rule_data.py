"""One alert or recording rule as rule-file data: the same for Prometheus and Loki's ruler."""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Path
from paladin_obs.directives import Directive
from paladin_obs.model import Alert, Record


def alert_rule(alert: Alert, dashboard_url: str = "") -> dict[str, Any]:
    rule: dict[str, Any] = {"alert": alert.name, "expr": alert.expr}
    if alert.for_ is not None:
        rule["for"] = str(alert.for_)
    if alert.keep_firing_for is not None:
        rule["keep_firing_for"] = str(alert.keep_firing_for)
    rule["labels"] = dict(alert.labels)
    rule["annotations"] = gconv.with_dashboard_url(dict(alert.annotations), dashboard_url)
    return rule


def record_rule(record: Record) -> dict[str, Any]:
    rule: dict[str, Any] = {"record": record.name, "expr": record.expr}
    if record.labels:
        rule["labels"] = dict(record.labels)
    return rule


def directives(alert: Alert, path: Path) -> list[Directive]:
    """The alert's ``suppress`` entries as suppressions of the rule at ``path``."""
    return [Directive((s.check,), s.reason, s.location, rule_path=path) for s in alert.suppress]
