"""PromQL for panels: the alerts' series, seen through the dashboard's variables.

A panel must chart what the alert evaluates, or its threshold line means
nothing: the same metric, the same selector (service or exporter, environment),
the same aggregation labels. Only two things differ, both by Grafana's rules:
ranges are ``$__rate_interval`` (never shorter than two scrapes, whatever the
zoom), and the variables narrow the selection (cluster, namespace, job,
instance) without ever widening it beyond the service's selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paladin_obs.escape import go_regex_literal
from paladin_obs.gofloat import go_g
from paladin_obs.model import Environment, Grafana, Matcher, Metric, Selector, Service, Signal
from paladin_obs.values import merge_selectors, render_selector

RANGE = "$__rate_interval"
#: Variables that follow the service's own scrape job; exporters' metrics
#: (kube-state-metrics, blackbox) have other jobs and instances.
JOB_VARIABLES = ("job", "instance")


def number(value: float) -> str:
    """A threshold as PromQL reads it back exactly: whole numbers in full
    (8589934592, not 8.589934592e+09), others in Go's shortest form."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return go_g(value)


@dataclass(frozen=True)
class Scope:
    """One service in one environment, as a dashboard queries it."""

    service: Service
    env: Environment
    grafana: Grafana

    def matchers(self, metric: Metric, match: Selector = ()) -> Selector:
        own = metric.selector is None
        base = self.service.selector if own else metric.selector or ()
        variables = [Matcher(v, "=~", f"${v}") for v in self.grafana.variables]
        if own:
            variables += [Matcher(v, "=~", f"${v}") for v in JOB_VARIABLES]
        return merge_selectors(
            literal(merge_selectors(base, self.env.selector, match)), tuple(variables)
        )

    def series(self, metric: Metric, match: Selector = (), suffix: str = "") -> str:
        return render_selector(metric.name + suffix, self.matchers(metric, match))

    def signal(self, signal: Signal, suffix: str = "") -> str:
        return self.series(signal.metric, signal.match, suffix)

    def rate(self, signal: Signal, suffix: str = "") -> str:
        return f"rate({self.signal(signal, suffix)}[{RANGE}])"


#: What Grafana reads as a variable in a query's text: $name, ${...}, [[name]].
_VARIABLE = re.compile(r"\$(?=[\w{])|\[\[")


def literal(selector: Selector) -> Selector:
    """``selector`` with values Grafana would read as variables kept literal.

    Grafana interpolates ``$x``, ``${x}`` and ``[[x]]`` anywhere in a query's
    text, quotes included, and has no escape. A value holding one is written
    as a regex that matches the same text without the pattern: ``a="$A"``
    becomes ``a=~"[$]A"`` (``!=`` becomes ``!~``). In a regex value, a ``$``
    before a word is an end anchor that can never match there; it is read as
    the literal ``$`` instead.
    """
    out = []
    for m in selector:
        if not _VARIABLE.search(m.value):
            out.append(m)
            continue
        if m.op in ("=", "!="):
            quoted = go_regex_literal(m.value).replace("\\$", "[$]")
            out.append(Matcher(m.name, "=~" if m.op == "=" else "!~", quoted))
        else:
            out.append(
                Matcher(
                    m.name,
                    m.op,
                    _VARIABLE.sub(lambda x: "[$]" if x.group() == "$" else "\\[\\[", m.value),
                )
            )
    return tuple(out)


def by(labels: tuple[str, ...], op: str = "sum") -> str:
    return f"{op} by ({', '.join(labels)}) " if labels else f"{op} "


def rate(scope: Scope, signal: Signal, labels: tuple[str, ...] = ()) -> str:
    return f"{by(labels)}({scope.rate(signal)})"


def error_ratio(
    scope: Scope, errors: Signal, requests: Signal, labels: tuple[str, ...] = ()
) -> str:
    """errors / requests: the error_ratio template's ratio, per ``labels``."""
    return f"{rate(scope, errors, labels)}\n/\n{rate(scope, requests, labels)}"


def quantile(scope: Scope, latency: Signal, q: float, labels: tuple[str, ...] = ()) -> str:
    inner = by((*labels, "le")) + f"({scope.rate(latency, '_bucket')})"
    return f"histogram_quantile({number(q)}, {inner})"


def heatmap(scope: Scope, latency: Signal) -> str:
    return f"sum by (le) ({scope.rate(latency, '_bucket')})"


def alert_firing(labels: dict[str, str]) -> str:
    """1 while an alert with these labels fires, else 0 (Prometheus's ALERTS)."""
    pairs = {**labels, "alertstate": "firing"}
    matchers = literal(tuple(Matcher(k, "=", v) for k, v in sorted(pairs.items())))
    return f"max({render_selector('ALERTS', matchers)}) or vector(0)"
