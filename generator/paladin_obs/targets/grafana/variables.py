"""Dashboard variables: datasource (and Loki's, for a service with logs) →
optional cluster/namespace → job → instance.

Each variable's values are narrowed by the ones before it and by the service's
selector, so choosing a cluster offers only that cluster's jobs, and no choice
ever reaches series outside the service. ``instance`` allows "All" as ``.+``
rather than ``.*``, so an ``=~`` matcher never matches an empty label.
"""

from __future__ import annotations

from paladin_obs.conventions import grafana as gconv
from paladin_obs.grafana.board import Variable
from paladin_obs.model import Matcher
from paladin_obs.targets.grafana.queries import JOB_VARIABLES, Scope
from paladin_obs.values import merge_selectors, render_selector

#: Every scraped target has ``up``: the variables work before any app metric exists.
_UP = "up"


def datasource() -> Variable:
    return Variable(
        gconv.DATASOURCE_VARIABLE,
        "Data source",
        "datasource",
        "prometheus",
        description="Prometheus to query.",
    )


def loki_datasource() -> Variable:
    """The Loki to read logs from: picked apart from Prometheus (they are
    separate datasources, often separate instances per environment)."""
    return Variable(
        gconv.LOKI_DATASOURCE_VARIABLE,
        "Logs data source",
        "datasource",
        "loki",
        description="Loki to read the service's logs from.",
    )


def service_variables(scope: Scope) -> tuple[Variable, ...]:
    out = [datasource()]
    if scope.service.logs is not None:
        out.append(loki_datasource())
    chain: list[str] = []
    for name in (*scope.grafana.variables, *JOB_VARIABLES):
        narrowing = tuple(Matcher(v, "=~", f"${v}") for v in chain)
        selector = merge_selectors(scope.service.selector, scope.env.selector, narrowing)
        query = f"label_values({render_selector(_UP, selector)}, {name})"
        last = name == "instance"
        out.append(
            Variable(
                name,
                name,
                "query",
                query,
                description=f"{name} of {scope.service.name}'s targets.",
                multi=last,
                include_all=last,
                all_value=".+" if last else "",
            )
        )
        chain.append(name)
    return tuple(out)


def slo_variables() -> tuple[Variable, ...]:
    """SLO series are aggregated over the service's targets: only the datasource varies."""
    return (datasource(),)
