"""What every SLO rule step shares: the rule shape and Sloth's label filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Location
from paladin_obs.escape import promql_string
from paladin_obs.model import SLO


@dataclass(frozen=True)
class Rule:
    data: dict[str, Any]
    location: Location
    #: Where a problem in this rule's expression is reported.
    expr_location: Location


def id_labels(slo: SLO) -> dict[str, str]:
    return {sconv.ID_LABEL: slo.id, sconv.SERVICE_LABEL: slo.service, sconv.SLO_LABEL: slo.name}


def slo_filter(slo: SLO) -> str:
    """``{sloth_id="…", sloth_service="…", sloth_slo="…"}``, as Prometheus's
    LabelSet.String() prints it (sorted, ", " between): Sloth's exact text."""
    pairs = sorted(id_labels(slo).items())
    return "{" + ", ".join(f"{k}={promql_string(v)}" for k, v in pairs) + "}"


def labels(*parts: dict[str, str]) -> dict[str, str]:
    """Later parts win, keys sorted (Go's YAML writer sorts map keys)."""
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return dict(sorted(merged.items()))


def record(
    name: str,
    expr: str,
    rule_labels: dict[str, str],
    where: Location,
    expr_where: Location | None = None,
) -> Rule:
    return Rule({"record": name, "expr": expr, "labels": rule_labels}, where, expr_where or where)
