"""Sloth's rule contract, decided once: record names, labels, group names.

Everything built on Sloth's rules (its Grafana dashboards, burn-rate panels,
recording rules that aggregate SLOs) finds the series by these names, so both
rule modes use them unchanged.
"""

from __future__ import annotations

SLI_ERROR_PREFIX = "slo:sli_error:ratio_rate"
OBJECTIVE = "slo:objective:ratio"
ERROR_BUDGET = "slo:error_budget:ratio"
PERIOD_DAYS = "slo:time_period:days"
CURRENT_BURN_RATE = "slo:current_burn_rate:ratio"
PERIOD_BURN_RATE = "slo:period_burn_rate:ratio"
BUDGET_REMAINING = "slo:period_error_budget_remaining:ratio"
INFO = "sloth_slo_info"

ID_LABEL = "sloth_id"
SERVICE_LABEL = "sloth_service"
SLO_LABEL = "sloth_slo"
WINDOW_LABEL = "sloth_window"
SEVERITY_LABEL = "sloth_severity"
VERSION_LABEL = "sloth_version"
MODE_LABEL = "sloth_mode"
SPEC_LABEL = "sloth_spec"
OBJECTIVE_LABEL = "sloth_objective"
#: Labels every SLO rule carries; the user may not set them.
RESERVED_LABELS = (
    ID_LABEL,
    SERVICE_LABEL,
    SLO_LABEL,
    WINDOW_LABEL,
    SEVERITY_LABEL,
    VERSION_LABEL,
    MODE_LABEL,
    SPEC_LABEL,
    OBJECTIVE_LABEL,
)

#: What Sloth's own placeholder for the query range looks like; imports keep it.
WINDOW_PLACEHOLDER = "{{.window}}"
WINDOW_PLACEHOLDER_RE = r"\{\{\s*\.window\s*\}\}"

#: sloth_slo_info's provenance when the spec was written for us, not imported.
DEFAULT_INFO_MODE = "cli-gen-paladin-obs"
DEFAULT_INFO_SPEC = "paladin-obs/v1"

DEFAULT_PERIOD = "30d"
#: Sloth's alert tiers and the severity each gets by default.
TIER_SEVERITY = {"page": "critical", "ticket": "warning", "no_data": "warning"}


def slo_id(service: str, slo: str) -> str:
    return f"{service}-{slo}"


def sli_record(window: str) -> str:
    return SLI_ERROR_PREFIX + window


def sli_group(slo_id: str) -> str:
    return f"sloth-slo-sli-recordings-{slo_id}"


def meta_group(slo_id: str) -> str:
    return f"sloth-slo-meta-recordings-{slo_id}"


def alert_group(slo_id: str) -> str:
    return f"sloth-slo-alerts-{slo_id}"


def slo_rule_file(service: str, environment: str) -> str:
    """``rules/<env>/<service>.slo.rules.yaml``: beside the service's own rules."""
    name = f"{service}.slo.rules.yaml"
    return "/".join(["rules", environment, name] if environment else ["rules", name])
