"""Names, labels and layout decided once, so every target agrees on them."""

from __future__ import annotations

from collections.abc import Container

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


#: The series a histogram or summary exposes besides its own name (all counters).
SERIES_SUFFIXES = {
    "histogram": ("_bucket", "_count", "_sum"),
    "summary": ("_count", "_sum"),
}

#: Series Prometheus writes for every scrape target: no catalog declares them.
SCRAPE_SERIES = frozenset(
    {
        "up",
        "scrape_duration_seconds",
        "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    }
)


def lowercase_start(summary: str, metrics: Container[str] = ()) -> bool:
    """Whether a summary starts as no sentence does (mixtool: capitalised).

    A metric or label name keeps its case (``paladin_up of ...``, ``up of ...``):
    a word with ``_``, a series of ``metrics`` or a scrape series.
    """
    words = summary.split(None, 1)
    if not words or not words[0][0].islower():
        return False
    first = words[0]
    return "_" not in first and first not in metrics and first not in SCRAPE_SERIES


def as_sentence(summary: str, metrics: Container[str] = ()) -> str:
    """``summary`` capitalised when it starts as no sentence does."""
    text = summary.lstrip()
    if not lowercase_start(text, metrics):
        return summary
    start = len(summary) - len(text)
    return summary[:start] + text[0].upper() + text[1:]
