"""PromQL for SLO panels: Sloth's recorded series, or the SLI itself.

Panels read the series the SLO rules record (``slo:sli_error:ratio_rate5m``,
the burn rates, the remaining budget) by Sloth's labels plus the SLO's own
labels, which carry the environment: two environments in one Prometheus never
mix. When an SLO's recordings are off, the same quantities are computed from
the SLI query, so the dashboard still charts what the alerts would.
"""

from __future__ import annotations

from paladin_obs.conventions import slo as sconv
from paladin_obs.durations import Duration
from paladin_obs.model import SLO, Matcher
from paladin_obs.targets.grafana import queries
from paladin_obs.targets.slo.common import id_labels
from paladin_obs.targets.slo.sli import expression
from paladin_obs.values import render_selector


def _selector(slo: SLO, record: str) -> str:
    labels = {**slo.labels, **id_labels(slo)}
    selector = tuple(Matcher(k, "=", v) for k, v in sorted(labels.items()))
    return render_selector(record, queries.literal(selector))


def error_ratio(slo: SLO, window: Duration) -> str:
    if slo.recordings:
        return _selector(slo, sconv.sli_record(str(window)))
    return f"({expression(slo.sli, window, slo.mode == 'guarded')})"


def budget(slo: SLO) -> float:
    return 1 - slo.objective / 100


def period_burn_rate(slo: SLO) -> str:
    if slo.recordings:
        return _selector(slo, sconv.PERIOD_BURN_RATE)
    return f"{error_ratio(slo, slo.period)} / {queries.number(budget(slo))}"


def current_burn_rate(slo: SLO) -> str:
    if slo.recordings:
        return _selector(slo, sconv.CURRENT_BURN_RATE)
    first = slo.windows.windows()[0]
    return f"{error_ratio(slo, first)} / {queries.number(budget(slo))}"


def budget_remaining(slo: SLO) -> str:
    if slo.recordings:
        return _selector(slo, sconv.BUDGET_REMAINING)
    return f"1 - ({period_burn_rate(slo)})"


def alert_firing(slo: SLO, alert: str, severity: str = "") -> str:
    labels = {**slo.labels, "alertname": alert}
    if severity:
        labels[sconv.SEVERITY_LABEL] = severity
    return queries.alert_firing(labels)
