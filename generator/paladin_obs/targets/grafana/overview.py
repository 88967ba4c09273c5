"""The service overview: RED at a glance, then one row per concern.

Top strip: request rate, error ratio, p95/p99 latency, SLO budget remaining.
Rows: traffic, errors, duration, one per dependency, saturation, health
(every other alert), then, for a service with logs, a collapsed Logs row
(``logs_row``). Each alert of the service appears exactly once, as the
panel that mirrors it (``mirrors``), which its ``dashboard_url`` opens; the
strip's stats colour at the same thresholds.
"""

from __future__ import annotations

from dataclasses import replace

from paladin_obs.conventions import grafana as gconv
from paladin_obs.grafana.board import Dashboard, Panel, Query, Row, Step
from paladin_obs.model import Alert, Dependency, SaturationPanel, Signal, Signals
from paladin_obs.targets.grafana import queries as q
from paladin_obs.targets.grafana import slo_queries as sq
from paladin_obs.targets.grafana.logs_row import logs_row
from paladin_obs.targets.grafana.mirrors import mirror
from paladin_obs.targets.grafana.queries import Scope
from paladin_obs.targets.grafana.units import rate_unit, unit_of
from paladin_obs.targets.grafana.variables import service_variables

NAME = "overview"
_RED_TEMPLATES = ("error_ratio", "latency_quantile")
_SATURATION_TEMPLATES = ("saturation", "gauge_threshold")


def build(scope: Scope) -> Dashboard:
    svc, env = scope.service, scope.env.name
    alerts = list(svc.alerts)
    rows = [
        _traffic(scope, svc.signals, ""),
        _errors(scope, svc.signals, _take(alerts, "", "error_ratio")),
        _duration(scope, svc.signals, _take(alerts, "", "latency_quantile")),
        *(_dependency(scope, dep, _take(alerts, dep.name)) for dep in svc.dependencies),
        _saturation(scope, alerts),
        Row("Health", tuple(mirror(scope, a) for a in alerts)),
        logs_row(scope),
    ]
    return Dashboard(
        uid=gconv.dashboard_uid(svc.name, NAME, env),
        title=gconv.title(svc.name, "overview", env),
        description=svc.description
        or f"{svc.name}: requests, errors, latency, dependencies, saturation.",
        tags=(svc.name, *scope.grafana.tags),
        schema_version=scope.grafana.schema_version,
        variables=service_variables(scope),
        header=_strip(scope),
        rows=tuple(r for r in rows if r.panels),
        refresh=scope.grafana.refresh,
        time_from=f"now-{scope.grafana.time_from}",
    )


def _take(alerts: list[Alert], dependency: str, template: str = "") -> list[Alert]:
    """Remove and return the scope's alerts (of one template, if given): each
    alert is placed once."""
    taken = [
        a for a in alerts if a.dependency == dependency and template in ("", a.template)
    ]
    for a in taken:
        alerts.remove(a)
    return taken


def _first_threshold(
    scope: Scope, template: str, quantile: float | None = None
) -> tuple[Step, ...]:
    for a in scope.service.alerts:
        if a.dependency or a.template != template or a.threshold is None:
            continue
        if quantile is None or a.params.get("quantile") == quantile:
            return (Step(a.threshold),)
    return ()


def _strip(scope: Scope) -> tuple[Panel, ...]:
    sig, svc = scope.service.signals, scope.service
    stats: list[Panel] = []
    if sig.requests is not None:
        stats.append(
            Panel(
                "stat",
                "Request rate",
                f"Requests per second to {svc.name}.",
                "reqps",
                (Query(q.rate(scope, sig.requests), "requests"),),
            )
        )
    if sig.requests is not None and sig.errors is not None:
        stats.append(
            Panel(
                "stat",
                "Error ratio",
                "Share of requests that failed; red at the error-ratio alert's threshold.",
                "percentunit",
                (Query(q.error_ratio(scope, sig.errors, sig.requests), "errors"),),
                steps=_first_threshold(scope, "error_ratio"),
            )
        )
    if sig.latency is not None:
        for quantile in (0.95, 0.99):
            name = f"p{q.number(quantile * 100)}"
            stats.append(
                Panel(
                    "stat",
                    f"{name} latency",
                    f"{name} request latency from the histogram's buckets.",
                    unit_of(sig.latency.metric),
                    (Query(q.quantile(scope, sig.latency, quantile), name),),
                    steps=_first_threshold(scope, "latency_quantile", quantile),
                )
            )
    if svc.slos:
        stats.append(
            Panel(
                "stat",
                "SLO budget remaining",
                "Share of each SLO's error budget left in its period; red once spent.",
                "percentunit",
                tuple(Query(sq.budget_remaining(s), s.name) for s in svc.slos),
                steps=(Step(0, "green"),),
                base_color="red",
            )
        )
    if not stats:
        return ()
    width, extra = divmod(24, len(stats))
    return tuple(
        replace(p, width=width + (1 if i < extra else 0), height=4) for i, p in enumerate(stats)
    )


def _by_labels(signals: Signals, name: str) -> tuple[str, ...]:
    sig = signals.get(name)
    if sig is None or not sig.metric.labels:
        return ()
    pinned = {m.name for m in sig.match if m.op == "="}
    return tuple(label for label in sig.metric.labels if label not in pinned)


def _traffic(scope: Scope, signals: Signals, title: str) -> Row:
    req = signals.requests
    if req is None:
        return Row(title or "Traffic", ())
    labels = _by_labels(signals, "requests")
    panels = [
        Panel(
            "timeseries",
            "Request rate",
            "Requests per second.",
            "reqps",
            (Query(q.rate(scope, req), "requests"),),
        )
    ]
    if labels:
        panels.append(
            Panel(
                "timeseries",
                f"Request rate by {', '.join(labels)}",
                "Requests per second per label value.",
                "reqps",
                (Query(q.rate(scope, req, labels), _legend(labels)),),
                width=16,
            )
        )
    return Row(title or "Traffic", tuple(panels))


def _legend(labels: tuple[str, ...]) -> str:
    return " ".join(f"{{{{{label}}}}}" for label in labels)


def _errors(scope: Scope, signals: Signals, alerts: list[Alert]) -> Row:
    panels = [mirror(scope, a) for a in alerts]
    if signals.errors is not None and signals.requests is not None:
        if not alerts:
            panels.append(
                Panel(
                    "timeseries",
                    "Error ratio",
                    "Share of requests that failed (errors / requests).",
                    "percentunit",
                    (Query(q.error_ratio(scope, signals.errors, signals.requests), "errors"),),
                )
            )
        labels = _by_labels(signals, "errors")
        panels.append(
            Panel(
                "timeseries",
                "Errors per second",
                "Failed requests per second" + (f" by {', '.join(labels)}." if labels else "."),
                "reqps",
                (Query(q.rate(scope, signals.errors, labels), _legend(labels) or "errors"),),
            )
        )
    return Row("Errors", tuple(panels))


def _duration(scope: Scope, signals: Signals, alerts: list[Alert]) -> Row:
    panels = [mirror(scope, a) for a in alerts]
    lat = signals.latency
    if lat is not None:
        unit = unit_of(lat.metric)
        panels.append(
            Panel(
                "timeseries",
                "Latency quantiles",
                "p50, p95 and p99 from the histogram's buckets.",
                unit,
                tuple(
                    Query(q.quantile(scope, lat, x), f"p{q.number(x * 100)}")
                    for x in (0.5, 0.95, 0.99)
                ),
            )
        )
        panels.append(
            Panel(
                "heatmap",
                "Latency distribution",
                "Requests per latency bucket over time.",
                unit,
                (Query(q.heatmap(scope, lat), "{{le}}", format="heatmap"),),
            )
        )
    return Row("Duration", tuple(panels))


def _dependency(scope: Scope, dep: Dependency, alerts: list[Alert]) -> Row:
    title = f"Dependency: {dep.name}" + (f" ({dep.description})" if dep.description else "")
    traffic = _traffic(scope, dep.signals, title).panels
    mirrored = {a.template for a in alerts}
    panels = list(traffic)
    panels += [mirror(scope, a) for a in alerts]
    sig = dep.signals
    if "error_ratio" not in mirrored and sig.errors is not None and sig.requests is not None:
        panels.append(
            Panel(
                "timeseries",
                "Error ratio",
                f"Share of {dep.name} calls that failed.",
                "percentunit",
                (Query(q.error_ratio(scope, sig.errors, sig.requests), "errors"),),
            )
        )
    if "latency_quantile" not in mirrored and sig.latency is not None:
        panels.append(
            Panel(
                "timeseries",
                "Latency quantiles",
                f"p50, p95 and p99 of {dep.name} calls.",
                unit_of(sig.latency.metric),
                tuple(
                    Query(q.quantile(scope, sig.latency, x), f"p{q.number(x * 100)}")
                    for x in (0.5, 0.95, 0.99)
                ),
            )
        )
    return Row(title, tuple(panels))


def _saturation(scope: Scope, alerts: list[Alert]) -> Row:
    """The spec's saturation panels in order; a panel whose metric an alert
    watches becomes that alert's mirror (threshold and capacity drawn)."""
    panels: list[Panel] = []
    for item in scope.service.dashboards.saturation if scope.service.dashboards else ():
        watching = [
            a
            for a in alerts
            if a.template in _SATURATION_TEMPLATES and a.params.get("metric") == item.metric
        ]
        if watching:
            for a in watching:
                alerts.remove(a)
                panels.append(replace(mirror(scope, a), title=item.title))
        else:
            panels.append(_plain(scope, item))
    return Row("Saturation", tuple(panels))


def _plain(scope: Scope, item: SaturationPanel) -> Panel:
    metric = scope.service.metrics[item.metric]
    series = scope.series(metric, item.match)
    by = f"sum by ({', '.join(item.by)}) " if item.by else "sum "
    if metric.type == "counter":
        expr, unit = f"{by}(rate({series}[{q.RANGE}]))", rate_unit(metric)
        what = "per second"
    elif metric.type == "histogram":
        expr = q.quantile(scope, Signal(metric), 0.95, item.by)
        unit, what = unit_of(metric), "p95"
    else:
        expr, unit = f"{by}({series})", unit_of(metric)
        what = "now"
    queries = [Query(expr, _legend(item.by) or metric.name)]
    if item.capacity is not None:
        queries.append(Query(f"vector({q.number(item.capacity)})", "capacity"))
    return Panel("timeseries", item.title, f"{item.description} ({what}).", unit, tuple(queries))
