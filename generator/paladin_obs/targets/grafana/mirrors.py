"""The panel that mirrors an alert: its series, its grouping, its threshold.

Built from the alert's template and parameters in the model (never from its
rendered PromQL), so the line on the panel is the alert's threshold in this
environment by construction. Templates we do not know (a team's own) and
hand-written ``expr`` alerts get the alert's state over time: still one panel
per alert, so every alert has a panel to link to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from paladin_obs.durations import parse_duration
from paladin_obs.grafana.board import Link, Mapping, Panel, Query, Step
from paladin_obs.model import Alert, Metric, Selector
from paladin_obs.targets.grafana import queries as q
from paladin_obs.targets.grafana.queries import Scope
from paladin_obs.targets.grafana.units import unit_of

Builder = Callable[[Scope, Alert], Panel | None]


def runbook_links(alert: Alert) -> tuple[Link, ...]:
    url = alert.annotations.get("runbook_url", "")
    return (Link(f"Runbook: {alert.name}", url),) if url else ()


def _by(alert: Alert) -> tuple[str, ...]:
    value = alert.params.get("by", ())
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _tuple(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else ()


def _match(alert: Alert) -> Selector:
    value = alert.params.get("match", ())
    return tuple(m for m in value if not isinstance(m, str)) if isinstance(value, tuple) else ()


def _metric(scope: Scope, alert: Alert, param: str = "metric") -> Metric | None:
    name = alert.params.get(param)
    return scope.service.metrics.get(name) if isinstance(name, str) else None


def _legend(labels: tuple[str, ...]) -> str:
    return " ".join(f"{{{{{label}}}}}" for label in labels) if labels else "__auto"


def _describe(alert: Alert, what: str) -> str:
    return f"{what} The line is {alert.name}'s threshold ({alert.severity}); {alert.summary}"


def _panel(
    alert: Alert,
    title: str,
    description: str,
    unit: str,
    *queries: Query,
    steps: tuple[Step, ...] = (),
) -> Panel:
    if not steps and alert.threshold is not None:
        steps = (Step(alert.threshold),)
    return Panel(
        "timeseries",
        title,
        _describe(alert, description),
        unit,
        tuple(queries),
        steps=steps,
        links=runbook_links(alert),
        mirrors=(alert.name,),
    )


def error_ratio(scope: Scope, alert: Alert) -> Panel | None:
    errors, requests = alert.signals.errors, alert.signals.requests
    if errors is None or requests is None:
        return None
    labels = _by(alert)
    where = f"{scope.service.name}/{alert.dependency}" if alert.dependency else scope.service.name
    return _panel(
        alert,
        "Error ratio",
        f"Share of {where} requests that failed (errors / requests).",
        "percentunit",
        Query(q.error_ratio(scope, errors, requests, labels), _legend(labels)),
    )


def latency_quantile(scope: Scope, alert: Alert) -> Panel | None:
    latency = alert.signals.latency
    quantile = alert.params.get("quantile", 0.95)
    if latency is None or not isinstance(quantile, float):
        return None
    labels = _by(alert)
    name = f"p{q.number(quantile * 100)}"
    return _panel(
        alert,
        f"{name} latency",
        f"{name} of {latency.metric.name} from its buckets.",
        unit_of(latency.metric),
        Query(q.quantile(scope, latency, quantile, labels), _legend(labels) if labels else name),
    )


def saturation(scope: Scope, alert: Alert) -> Panel | None:
    metric, capacity = _metric(scope, alert), alert.params.get("capacity")
    if metric is None or alert.threshold is None:
        return None
    on = tuple(str(v) for v in _tuple(alert.params.get("capacity_on")))
    labels = (*_by(alert), *(label for label in on if label not in _by(alert)))
    agg = str(alert.params.get("aggregation", "max"))
    usage = f"{q.by(labels, agg)}({scope.series(metric, _match(alert))})"
    if isinstance(capacity, float):
        return _panel(
            alert,
            f"{metric.name} against capacity",
            f"{metric.help or metric.name} against its capacity of {q.number(capacity)} (the limit line).",
            unit_of(metric),
            Query(usage, _legend(labels)),
            Query(f"vector({q.number(capacity)})", "capacity"),
            steps=(Step(alert.threshold * capacity),),
        )
    limit = _metric(scope, alert, "capacity")
    if limit is None:
        return None
    # A capacity that is a series has no one value to draw a line at: chart the
    # share the alert compares, matched the same way, against the threshold.
    share = f"{usage}\n/ on ({', '.join(on)}) group_left\n{q.by(on, 'min')}({scope.series(limit)})"
    return _panel(
        alert,
        f"{metric.name} share of {limit.name}",
        f"{metric.help or metric.name} as a share of {limit.name} (the capacity).",
        "percentunit",
        Query(share, _legend(labels)),
    )


def gauge_threshold(scope: Scope, alert: Alert) -> Panel | None:
    metric = _metric(scope, alert)
    if metric is None:
        return None
    labels = _by(alert)
    agg = str(alert.params.get("aggregation", "max"))
    op = str(alert.params.get("op", ">"))
    expr = f"{q.by(labels, agg)}({scope.series(metric, _match(alert))})"
    panel = _panel(
        alert,
        metric.name,
        f"{metric.help or metric.name} ({agg}); the alert fires when it is {op} the threshold.",
        unit_of(metric),
        Query(expr, _legend(labels)),
    )
    if op.startswith("<") and alert.threshold is not None:
        # Below the threshold is the bad side: red under the line, green above.
        return replace(panel, steps=(Step(alert.threshold, "green"),), base_color="red")
    return panel


def crash_looping(scope: Scope, alert: Alert) -> Panel | None:
    metric = _metric(scope, alert)
    window = str(alert.params.get("window", "15m"))
    if metric is None:
        return None
    # Restarts per alert window at the rate over $__rate_interval (the range
    # follows the resolution like every range on the dashboard): the same unit
    # as the alert's threshold, so the line means what the alert tests.
    seconds = parse_duration(window).seconds
    expr = (
        f"sum by (namespace, pod, container) (rate({scope.series(metric)}[{q.RANGE}]))"
        f" * {q.number(seconds)}"
    )
    return _panel(
        alert,
        "Container restarts",
        f"Restarts per {window} per container (the window the alert counts over).",
        "short",
        Query(expr, "{{namespace}}/{{pod}}/{{container}}"),
    )


def probe_down(scope: Scope, alert: Alert) -> Panel | None:
    metric = _metric(scope, alert)
    if metric is None:
        return None
    endpoint = alert.params.get("endpoint") or "the endpoint"
    return _binary(
        alert,
        f"Probe {endpoint}",
        f"Blackbox probe result of {endpoint}: 1 up, 0 failing (fires at 0).",
        "bool_yes_no",
        Query(f"min({scope.series(metric, _match(alert))})", "probe"),
        ("failing", "up"),
        good=1,
    )


def stale_timestamp(scope: Scope, alert: Alert) -> Panel | None:
    metric = _metric(scope, alert)
    if metric is None:
        return None
    labels = _by(alert)
    expr = f"time() - {q.by(labels, 'max')}({scope.series(metric)})"
    return _panel(
        alert,
        f"Age of {metric.name}",
        f"Seconds since {metric.help or metric.name}.",
        "s",
        Query(expr, _legend(labels)),
    )


def hpa_at_max(scope: Scope, alert: Alert) -> Panel | None:
    current, maximum = _metric(scope, alert, "current"), _metric(scope, alert, "maximum")
    if current is None or maximum is None:
        return None
    keys = ("namespace", "horizontalpodautoscaler")
    match = _match(alert)
    return _panel(
        alert,
        "Autoscaler replicas",
        "Current replicas against the autoscaler's maximum (it fires when they meet).",
        "short",
        Query(f"max by ({', '.join(keys)}) ({scope.series(current, match)})", "current"),
        Query(f"max by ({', '.join(keys)}) ({scope.series(maximum, match)})", "maximum"),
    )


def alert_state(scope: Scope, alert: Alert) -> Panel:
    """Any alert: 1 while firing, 0 otherwise, from Prometheus's ALERTS series."""
    # ALERTS carries the alert's labels: the environment's keep environments apart.
    return _binary(
        alert,
        f"{alert.name} state",
        f"Whether {alert.name} is firing (1) or not (0).",
        "bool_on_off",
        Query(q.alert_firing({**scope.env.labels, "alertname": alert.name}), "firing"),
        ("ok", "firing"),
        good=0,
    )


def _binary(
    alert: Alert,
    title: str,
    description: str,
    unit: str,
    query: Query,
    texts: tuple[str, str],
    good: int,
) -> Panel:
    """A 0/1 series with both values named and the bad one red."""
    colors = ("green", "red") if good == 0 else ("red", "green")
    return Panel(
        "timeseries",
        title,
        _describe(alert, description),
        unit,
        (query,),
        steps=(Step(1, colors[1]),),
        base_color=colors[0],
        links=runbook_links(alert),
        mappings=(Mapping(0, texts[0], colors[0]), Mapping(1, texts[1], colors[1])),
        min=0,
        max=1,
        mirrors=(alert.name,),
    )


BUILDERS: dict[str, Builder] = {
    "error_ratio": error_ratio,
    "latency_quantile": latency_quantile,
    "saturation": saturation,
    "gauge_threshold": gauge_threshold,
    "crash_looping": crash_looping,
    "probe_down": probe_down,
    "stale_timestamp": stale_timestamp,
    "hpa_at_max": hpa_at_max,
}


def mirror(scope: Scope, alert: Alert) -> Panel:
    builder = BUILDERS.get(alert.template)
    panel = builder(scope, alert) if builder else None
    return panel or alert_state(scope, alert)
