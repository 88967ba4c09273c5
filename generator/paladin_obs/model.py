"""The typed model: what the spec means once defaults and overlays are resolved.

Targets read only this model, never raw YAML, so every rule about defaults,
selectors and environments is decided once, in ``resolve``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from paladin_obs.diagnostics import Location
from paladin_obs.durations import Duration

if TYPE_CHECKING:
    from paladin_obs.model_logs import Loki, ServiceLogs

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


#: A template parameter as plain data: numbers in the metric's unit (seconds,
#: bytes, ratios), durations and metric names as text, label lists as tuples.
ParamValue = float | int | str | bool | tuple[str, ...] | Selector | None


@dataclass(frozen=True)
class Suppression:
    """A lint check silenced for one alert's rules, with the spec's reason."""

    check: str
    reason: str
    location: Location


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
    #: What the alert was built from, so readers such as dashboards chart the
    #: same series against the same threshold without re-reading its PromQL.
    #: ``template`` is empty for a hand-written ``expr``.
    template: str = ""
    dependency: str = ""
    #: The value the template compares against, in the unit the template
    #: documents (a ratio, seconds, a share of capacity); None without one.
    threshold: float | None = None
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    #: The signals of the alert's scope (the service's or its dependency's).
    signals: Signals = field(default_factory=Signals)
    #: Lint checks silenced for this alert (``suppress:``), applied to its rules.
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True)
class Record:
    name: str
    expr: str
    labels: dict[str, str]
    location: Location


SLOMode = Literal["guarded", "sloth"]
SLOTier = Literal["page", "ticket", "no_data"]


@dataclass(frozen=True)
class BurnWindow:
    """One multi-window clause: both windows must burn faster than ``factor``."""

    short: Duration
    long: Duration
    #: Share of the period's error budget this clause alerts on (Sloth's errorBudgetPercent).
    budget_percent: float
    #: Sloth's formula: budget_percent * period_hours / 100 / long_window_hours.
    factor: float


@dataclass(frozen=True)
class AlertWindows:
    """Sloth's AlertWindows for one period: page and ticket, each quick and slow."""

    period: Duration
    page_quick: BurnWindow
    page_slow: BurnWindow
    ticket_quick: BurnWindow
    ticket_slow: BurnWindow

    def windows(self) -> tuple[Duration, ...]:
        """Every distinct window the alerts read, shortest first (Sloth's order)."""
        clauses = (self.page_quick, self.page_slow, self.ticket_quick, self.ticket_slow)
        return tuple(sorted({d for c in clauses for d in (c.short, c.long)}))


#: PromQL cut where the range window goes: ``window.join(query)`` renders it.
#: Pieces, not a placeholder string, so no value inside the query (a label
#: value that happens to read ``{{.window}}``) can ever be replaced.
Query = tuple[str, ...]


def render_query(query: Query, window: str) -> str:
    return window.join(query)


@dataclass(frozen=True)
class SLI:
    """An SLI as PromQL queries with the range window left open.

    ``events`` SLIs (errors over total, classic-histogram latency) have
    ``errors`` and ``total``; ``ratio`` SLIs (raw queries, native histograms)
    have ``ratio``, and ``total`` when the traffic is known (native histograms).
    """

    kind: Literal["events", "ratio"]
    #: Where it came from, for readers such as dashboards: events, latency, native, raw.
    source: Literal["events", "latency", "native", "raw"]
    errors: Query = ()
    total: Query = ()
    ratio: Query = ()
    #: Latency SLIs: the histogram and the threshold (in the metric's unit).
    metric: str = ""
    threshold: float | None = None
    #: Where the SLI is written in the spec: problems in its PromQL point here.
    location: Location | None = None
    #: Events SLIs, guarded mode: record 0 while there is traffic and the errors
    #: query returns nothing (no request has failed yet). False for latency,
    #: where errors come from the same histogram and nothing means a wrong bucket.
    zero_without_errors: bool = True


@dataclass(frozen=True)
class SLOAlert:
    """One enabled alert tier of an SLO, conventions already applied."""

    tier: SLOTier
    name: str
    for_: Duration | None
    labels: dict[str, str]
    annotations: dict[str, str]
    location: Location


@dataclass(frozen=True)
class SLO:
    service: str
    name: str
    #: ``<service>-<name>``: Sloth's sloth_id.
    id: str
    description: str
    #: Percent, 0 < objective < 100.
    objective: float
    period: Duration
    mode: SLOMode
    sli: SLI
    windows: AlertWindows
    #: Labels on every rule of the SLO (environment's, then the SLO's own).
    labels: dict[str, str]
    #: Labels of the sloth_slo_info series besides the contract's.
    info_labels: dict[str, str]
    interval: Duration | None
    #: False: only the alerts are generated (Sloth's --disable-recordings).
    recordings: bool
    alerts: tuple[SLOAlert, ...]
    location: Location


@dataclass(frozen=True)
class Dependency:
    """An external system the service calls, with its own RED signals."""

    name: str
    description: str
    signals: Signals


@dataclass(frozen=True)
class SaturationPanel:
    """One resource or workload metric charted on the service's dashboard."""

    metric: str
    title: str
    description: str
    by: tuple[str, ...] = ()
    match: Selector = ()
    #: A limit drawn as a line, in the metric's unit (8Gi of memory as bytes).
    capacity: float | None = None


@dataclass(frozen=True)
class GrafanalibFile:
    """A hand-written grafanalib dashboard listed in the spec."""

    #: Resolved on this machine (the spec lists it relative to itself).
    path: str
    location: Location


@dataclass(frozen=True)
class ServiceDashboards:
    folder: str
    overview: bool = True
    slo: bool = True
    saturation: tuple[SaturationPanel, ...] = ()
    grafanalib: tuple[GrafanalibFile, ...] = ()
    location: Location | None = None


@dataclass(frozen=True)
class Service:
    name: str
    selector: Selector
    metrics: dict[str, Metric]
    signals: Signals
    alerts: tuple[Alert, ...]
    records: tuple[Record, ...]
    dependencies: tuple[Dependency, ...] = ()
    slos: tuple[SLO, ...] = ()
    description: str = ""
    dashboards: ServiceDashboards | None = None
    logs: ServiceLogs | None = None


@dataclass(frozen=True)
class Environment:
    """One output tree; the unnamed default has ``name == ""``."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    selector: Selector = ()


@dataclass(frozen=True)
class GrafanaOperator:
    """GrafanaDashboard resources for grafana-operator."""

    namespace: str
    instance_selector: dict[str, str]
    resync_period: Duration | None = None


@dataclass(frozen=True)
class Grafana:
    """Spec-wide dashboard settings (``defaults.grafana_*`` and ``defaults.dashboards``)."""

    #: The dashboard JSON schemaVersion that ``defaults.grafana_version`` writes.
    schema_version: int
    enabled: bool = True
    #: Base URL; alerts link to their panel when set.
    url: str = ""
    #: Labels chained as variables between datasource and job (cluster, namespace).
    variables: tuple[str, ...] = ()
    refresh: str = "1m"
    time_from: str = "6h"
    tags: tuple[str, ...] = ()
    provisioning_path: str = "/var/lib/grafana/dashboards"
    update_interval: Duration | None = None
    allow_ui_updates: bool = False
    operator: GrafanaOperator | None = None


@dataclass(frozen=True)
class Model:
    """Everything needed to generate one environment's artifacts."""

    spec_file: str
    environment: Environment
    prometheus_version: tuple[int, int]
    evaluation_interval: Duration | None
    services: tuple[Service, ...]
    grafana: Grafana | None = None
    loki: Loki | None = None
