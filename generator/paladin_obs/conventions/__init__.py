"""Names, labels and layout decided once, so every target agrees on them."""

from __future__ import annotations

SEVERITY_LABEL = "severity"
SUMMARY = "summary"
DESCRIPTION = "description"
RUNBOOK_URL = "runbook_url"
DEFAULT_PROMETHEUS_VERSION = (2, 53)
RUNBOOK_PLACEHOLDERS = ("alert", "alert_lower", "service", "environment")

RULES_DIR = "rules"
#: The artifact kind of Prometheus rule files, whichever target emits them:
#: it selects the rule-file validator.
PROMETHEUS_RULES_KIND = "prometheus-rules"


def rule_file(service: str, environment: str) -> str:
    """``rules/<env>/<service>.rules.yaml``; without environments, ``rules/<service>.rules.yaml``."""
    parts = (
        [RULES_DIR, environment, f"{service}.rules.yaml"]
        if environment
        else [RULES_DIR, f"{service}.rules.yaml"]
    )
    return "/".join(parts)


def alert_group(service: str, dependency: str = "") -> str:
    return f"{service}-{dependency}-alerts" if dependency else f"{service}-alerts"


def record_group(service: str) -> str:
    return f"{service}-records"
