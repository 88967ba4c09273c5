"""The model's logs section: one service's log pipeline, log alerts and Loki settings.

Kept beside ``model`` (which holds the metrics side) so each concern has its own
section; the Alloy and Promtail targets render the same ``ServiceLogs``, so the
two agents can never disagree about what is a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from paladin_obs.diagnostics import Location
from paladin_obs.durations import Duration
from paladin_obs.model import Alert, Record

LogFormat = Literal["json", "logfmt", "regex", "plain"]
FieldRole = Literal["timestamp", "level", "label", "structured_metadata", "line", "drop"]
LogMetricType = Literal["counter", "gauge", "histogram"]


@dataclass(frozen=True)
class KubernetesSource:
    """Pods found by the Kubernetes API, tailed through it (no host mounts)."""

    namespaces: tuple[str, ...]
    #: Pod label selector, ``app=paladin,tier!=batch`` form.
    selector: str
    #: Only this container of each pod; empty: every container.
    container: str = ""


@dataclass(frozen=True)
class LogSource:
    files: tuple[str, ...] = ()
    kubernetes: KubernetesSource | None = None


@dataclass(frozen=True)
class Multiline:
    """Lines not matching ``first_line`` join the entry before them (stack traces)."""

    first_line: str
    max_wait: Duration | None = None
    max_lines: int | None = None


@dataclass(frozen=True)
class LogField:
    """One field of the line and what the pipeline does with it."""

    #: Where it is in the line: a JSON path (``span.paladin_id``), a logfmt key
    #: or a named group of the format's regex.
    path: str
    role: FieldRole
    #: The name it is stored as: the label or structured metadata name.
    name: str
    #: The key the parser extracts it under (the group name of a regex format,
    #: else ``name``); every stage reads it there.
    key: str
    #: Timestamps: a Go layout or one of Alloy's names (RFC3339Nano, Unix, UnixMs...).
    format: str = ""
    #: Labels: the closed set of values, when declared.
    values: tuple[str, ...] = ()
    #: Lines: this field's value becomes the line (``stage.output``).
    output: bool = False
    location: Location | None = None


@dataclass(frozen=True)
class DropRule:
    """Lines to discard before they are shipped (noise, health checks)."""

    #: An extracted field to test; empty: the whole line.
    source: str = ""
    #: RE2 regex the line or field must match.
    expression: str = ""
    #: Exact value the field must have.
    value: str = ""
    #: Lines longer than this size (``64KB``, as Alloy and Promtail read it).
    longer_than: str = ""
    #: Reported in ``loki_process_dropped_lines_total{reason}``.
    reason: str = ""


@dataclass(frozen=True)
class LogMetric:
    """A Prometheus metric the agent derives from the lines (``stage.metrics``)."""

    #: Without the agent's ``loki_process_custom_`` prefix.
    name: str
    type: LogMetricType
    description: str
    #: The extracted field read; empty: every line counts.
    source: str = ""
    #: Counters: count only lines whose ``source`` equals this value.
    value: str = ""
    #: counter: inc | add; gauge: set | inc | dec | add | sub; histogram: observe.
    action: str = "inc"
    buckets: tuple[float, ...] = ()
    max_idle: Duration | None = None


@dataclass(frozen=True)
class ServiceLogs:
    """A service's logs in one environment."""

    source: LogSource
    format: LogFormat
    #: The format's regex (format regex), with its named groups.
    regex: str
    multiline: Multiline | None
    fields: tuple[LogField, ...]
    #: Static stream labels: service, the environment's labels, the spec's own.
    static_labels: dict[str, str]
    #: Lines below this level are dropped (canonical name; empty: keep all).
    min_level: str
    drop: tuple[DropRule, ...]
    metrics: tuple[LogMetric, ...]
    alerts: tuple[Alert, ...]
    records: tuple[Record, ...]
    location: Location | None = None

    def role(self, role: FieldRole) -> tuple[LogField, ...]:
        return tuple(f for f in self.fields if f.role == role)

    @property
    def level(self) -> LogField | None:
        found = self.role("level")
        return found[0] if found else None


@dataclass(frozen=True)
class Loki:
    """Where the agents push and whose rules the ruler runs (per environment)."""

    url: str
    tenant: str
    #: Also write the legacy Promtail config (Promtail reached end of life in 2026).
    promtail: bool = False
