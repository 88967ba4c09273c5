"""The typed model: what the spec means once defaults and overlays are resolved.

Targets read only this model, never raw YAML, so every rule about defaults,
selectors and environments is decided once, in ``resolve``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from paladin_obs.diagnostics import Location
from paladin_obs.durations import Duration

MetricType = Literal["counter", "gauge", "histogram", "summary"]
MatchOp = Literal["=", "!=", "=~", "!~"]


@dataclass(frozen=True, order=True)
class Matcher:
    name: str
    op: MatchOp
    value: str


Selector = tuple[Matcher, ...]


@dataclass(frozen=True)
class Metric:
    name: str
    type: MetricType
    help: str = ""
    unit: str = ""
    labels: tuple[str, ...] | None = None
    buckets: tuple[float, ...] = ()
    #: Replaces the service selector: the metric comes from another exporter.
    selector: Selector | None = None


@dataclass(frozen=True)
class Signal:
    """A metric plus matchers narrowing it: "errors are requests with code 5xx"."""

    metric: Metric
    match: Selector = ()


@dataclass(frozen=True)
class Signals:
    requests: Signal | None = None
    errors: Signal | None = None
    latency: Signal | None = None

    def get(self, name: str) -> Signal | None:
        value: Signal | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    severity: str
    summary: str
    description: str
    for_: Duration | None
    keep_firing_for: Duration | None
    labels: dict[str, str]
    annotations: dict[str, str]
    location: Location
    #: Where a PromQL problem is reported: the ``expr`` value, or the alert for templates.
    expr_location: Location
    #: The group the alert lands in: the service or "<service>-<dependency>".
    group: str


@dataclass(frozen=True)
class Record:
    name: str
    expr: str
    labels: dict[str, str]
    location: Location


@dataclass(frozen=True)
class Service:
    name: str
    selector: Selector
    metrics: dict[str, Metric]
    signals: Signals
    alerts: tuple[Alert, ...]
    records: tuple[Record, ...]
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Environment:
    """One output tree; the unnamed default has ``name == ""``."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    selector: Selector = ()


@dataclass(frozen=True)
class Model:
    """Everything needed to generate one environment's artifacts."""

    spec_file: str
    environment: Environment
    prometheus_version: tuple[int, int]
    evaluation_interval: Duration | None
    services: tuple[Service, ...]
