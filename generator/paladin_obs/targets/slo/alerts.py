"""Multi-window multi-burn-rate alerts, plus the opt-in no-data alert.

The expression is Sloth's in both modes: a tier fires when both windows of its
quick pair, or both of its slow pair, burn faster than the pair's factor times
the error budget. ``max … without (sloth_window)`` drops the window label so
the two windows' samples match.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.conventions import slo as sconv
from paladin_obs.gofloat import go_g
from paladin_obs.model import SLO, BurnWindow, SLOAlert
from paladin_obs.targets.slo.common import Rule, slo_filter


def _clause(slo: SLO, window: BurnWindow, budget: float) -> str:
    flt = slo_filter(slo)
    parts = [
        f"    max({sconv.sli_record(str(w))}{flt} > ({go_g(window.factor)} * {go_g(budget)})) without ({sconv.WINDOW_LABEL})"
        for w in (window.short, window.long)
    ]
    return "(\n" + "\n    and\n".join(parts) + "\n)"


def burn_expression(slo: SLO, quick: BurnWindow, slow: BurnWindow) -> str:
    # Sloth: the budget is (100 - objective) / 100, in that order, for the same float.
    budget = (100 - slo.objective) / 100
    return f"{_clause(slo, quick, budget)}\nor\n{_clause(slo, slow, budget)}\n"


def no_data_expression(slo: SLO) -> str:
    return f"absent({sconv.sli_record(str(slo.windows.page_quick.short))}{slo_filter(slo)})"


def rules(slo: SLO, urls: dict[str, str] | None = None) -> list[Rule]:
    """The SLO's alerts; ``urls`` (alert → panel) adds ``dashboard_url`` in
    guarded mode (sloth mode writes only what Sloth writes)."""
    links = urls if urls is not None and slo.mode == "guarded" else {}
    out = []
    w = slo.windows
    for alert in slo.alerts:
        if alert.tier == "page":
            expr = burn_expression(slo, w.page_quick, w.page_slow)
        elif alert.tier == "ticket":
            expr = burn_expression(slo, w.ticket_quick, w.ticket_slow)
        else:
            expr = no_data_expression(slo)
        out.append(Rule(_rule(alert, expr, links.get(alert.name, "")), alert.location, alert.location))
    return out


def _rule(alert: SLOAlert, expr: str, dashboard_url: str) -> dict[str, Any]:
    rule: dict[str, Any] = {"alert": alert.name, "expr": expr}
    if alert.for_ is not None:
        rule["for"] = str(alert.for_)
    rule["labels"] = dict(alert.labels)
    rule["annotations"] = gconv.with_dashboard_url(dict(alert.annotations), dashboard_url)
    return rule
