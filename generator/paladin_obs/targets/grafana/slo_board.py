"""The SLO dashboard: one row per SLO, charting what its rules record.

Per SLO: budget remaining, current and period burn rate, and the state of its
page and ticket alerts as stats; the budget over the period; the burn rate with
the page alert's fastest factor drawn; the SLI per alert window with the
objective as the threshold; the alerts' state over time (the panel every SLO
alert's ``dashboard_url`` opens).
"""

from __future__ import annotations

from paladin_obs.conventions import grafana as gconv
from paladin_obs.grafana.board import Dashboard, Link, Mapping, Panel, Query, Row, Step
from paladin_obs.model import SLO
from paladin_obs.targets.grafana import slo_queries as sq
from paladin_obs.targets.grafana.queries import Scope, number
from paladin_obs.targets.grafana.variables import slo_variables

NAME = "slo"
_STATE = (Mapping(0, "ok", "green"), Mapping(1, "firing", "red"))


def build(scope: Scope) -> Dashboard:
    svc, env = scope.service, scope.env.name
    return Dashboard(
        uid=gconv.dashboard_uid(svc.name, NAME, env),
        title=gconv.title(svc.name, "SLOs", env),
        description=f"Service level objectives of {svc.name}: error budgets, burn rates, SLIs and alerts.",
        tags=(svc.name, "slo", *scope.grafana.tags),
        schema_version=scope.grafana.schema_version,
        variables=slo_variables(),
        header=(),
        rows=tuple(_row(slo) for slo in svc.slos),
        refresh=scope.grafana.refresh,
        time_from=f"now-{scope.grafana.time_from}",
    )


def _title(slo: SLO) -> str:
    return f"SLO {slo.name}: {number(slo.objective)}% over {slo.period}"


def _row(slo: SLO) -> Row:
    budget = sq.budget(slo)
    page = slo.windows.page_quick.factor
    links = tuple(
        Link(f"Runbook: {a.name}", a.annotations["runbook_url"])
        for a in slo.alerts
        if a.annotations.get("runbook_url")
    )
    burn_steps = (Step(1, "orange"), Step(page, "red"))
    stats = [
        Panel(
            "stat",
            "Budget remaining",
            f"Share of the {slo.period} error budget left; red once spent.",
            "percentunit",
            (Query(sq.budget_remaining(slo), slo.name),),
            steps=(Step(0, "green"),),
            base_color="red",
            width=5,
            height=4,
        ),
        Panel(
            "stat",
            "Current burn rate",
            f"Error ratio over {slo.windows.windows()[0]} as a multiple of the budget ({number(budget * 100)}%); "
            "1 spends it exactly in the period.",
            "short",
            (Query(sq.current_burn_rate(slo), slo.name),),
            steps=burn_steps,
            width=5,
            height=4,
        ),
        Panel(
            "stat",
            "Period burn rate",
            f"Burn rate over the whole {slo.period}.",
            "short",
            (Query(sq.period_burn_rate(slo), slo.name),),
            steps=burn_steps,
            width=5,
            height=4,
        ),
    ]
    for tier in ("page", "ticket"):
        alert = next((a for a in slo.alerts if a.tier == tier), None)
        if alert is not None:
            stats.append(
                Panel(
                    "stat",
                    f"{tier.capitalize()} alert",
                    f"{alert.name} ({tier}): firing or not.",
                    "short",
                    (Query(sq.alert_firing(slo, alert.name, tier), tier),),
                    steps=(Step(1, "red"),),
                    mappings=_STATE,
                    width=4 if tier == "page" else 5,
                    height=4,
                    links=links,
                )
            )
    charts = [
        Panel(
            "timeseries",
            "Error budget remaining",
            f"Budget left over the {slo.period} period.",
            "percentunit",
            (Query(sq.budget_remaining(slo), "remaining"),),
            steps=(Step(0, "green"),),
            base_color="red",
            threshold_lines=True,
            width=12,
        ),
        Panel(
            "timeseries",
            "Burn rate",
            f"Current and period burn rate; the red line is the page alert's fastest factor ({number(page)}).",
            "short",
            (
                Query(sq.current_burn_rate(slo), "current"),
                Query(sq.period_burn_rate(slo), "period"),
            ),
            steps=burn_steps,
            width=12,
        ),
        Panel(
            "timeseries",
            "SLI per window",
            f"Share of good events over each alert window; the line is the objective ({number(slo.objective)}%).",
            "percentunit",
            tuple(Query(f"1 - ({sq.error_ratio(slo, w)})", str(w)) for w in slo.windows.windows()),
            steps=(Step(slo.objective / 100, "green"),),
            base_color="red",
            max=1,
            width=12,
        ),
    ]
    if slo.alerts:
        charts.append(
            Panel(
                "timeseries",
                "Alerts",
                "State of the SLO's alerts: 1 while firing.",
                "bool_on_off",
                tuple(
                    Query(
                        sq.alert_firing(slo, a.name, "" if a.tier == "no_data" else a.tier), a.tier
                    )
                    for a in slo.alerts
                ),
                steps=(Step(1, "red"),),
                mappings=_STATE,
                min=0,
                max=1,
                width=12,
                links=links,
                mirrors=tuple(dict.fromkeys(a.name for a in slo.alerts)),
            )
        )
    return Row(_title(slo), (*stats, *charts))
