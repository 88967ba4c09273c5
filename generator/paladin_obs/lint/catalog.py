"""What lint knows about a metric from the spec: its type, labels and buckets.

pint asks a live Prometheus for metadata; a spec declares every metric it
uses, so the type-aware checks run offline. A histogram or summary is several
series (``_bucket``, ``_count``, ``_sum`` are counters), so a name is resolved
to the series' own type here once, for every check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paladin_obs.conventions import SERIES_SUFFIXES
from paladin_obs.diagnostics import Location
from paladin_obs.durations import parse_duration
from paladin_obs.loader import Document

if TYPE_CHECKING:
    from paladin_obs.lint import FileRules, LintContext
    from paladin_obs.validate.rulefile import RuleRef


@dataclass(frozen=True)
class CatalogMetric:
    """One declared metric, where the spec declares it."""

    name: str
    type: str
    labels: tuple[str, ...] | None = None
    buckets: tuple[float, ...] = ()
    unit: str = ""
    location: Location | None = None


@dataclass(frozen=True)
class Series:
    """A series name resolved against the catalog: ``type`` is the series' own
    (``counter`` for a histogram's ``_bucket``), ``metric`` the declaration."""

    name: str
    type: str
    metric: CatalogMetric

    @property
    def declared(self) -> str:
        """How the spec declared it, for messages: ``histogram x (spec.yaml:12:7)``."""
        where = f" ({self.metric.location})" if self.metric.location else ""
        return f"{self.metric.type} {self.metric.name}{where}"


class Catalog:
    """Every metric of a spec's services, by name.

    Two services may declare one name with different types (different jobs
    exporting different things under one name): such a name is left out, as
    unknown, since lint cannot tell which one a rule means and must not guess.
    """

    def __init__(self, metrics: Iterable[CatalogMetric]) -> None:
        self.metrics: dict[str, CatalogMetric] = {}
        ambiguous: set[str] = set()
        for metric in metrics:
            first = self.metrics.setdefault(metric.name, metric)
            if first.type != metric.type:
                ambiguous.add(metric.name)
        for name in ambiguous:
            del self.metrics[name]
        self._series: dict[str, Series] = {}
        for metric in self.metrics.values():
            self._series[metric.name] = Series(metric.name, metric.type, metric)
            for suffix in SERIES_SUFFIXES.get(metric.type, ()):
                self._series.setdefault(
                    metric.name + suffix, Series(metric.name + suffix, "counter", metric)
                )

    def series(self, name: str | None) -> Series | None:
        """The series ``name`` resolved, or None when the catalog does not know it."""
        return self._series.get(name) if name else None

    def names(self) -> tuple[str, ...]:
        """Every series name the catalog knows (for "did you mean")."""
        return tuple(sorted(self._series))

    @classmethod
    def from_spec(cls, doc: Document) -> Catalog:
        """The catalog of a loaded (schema-valid) spec."""
        return cls(_declared(doc))


def _declared(doc: Document) -> list[CatalogMetric]:
    out: list[CatalogMetric] = []
    services = doc.data.get("services") if isinstance(doc.data, Mapping) else None
    if not isinstance(services, Mapping):
        return out
    for sname, service in services.items():
        metrics = service.get("metrics") if isinstance(service, Mapping) else None
        if not isinstance(metrics, Mapping):
            continue
        for mname, raw in metrics.items():
            if isinstance(raw, Mapping) and isinstance(raw.get("type"), str):
                out.append(_metric(doc, str(mname), raw, ("services", sname, "metrics", mname)))
    return out


def _metric(
    doc: Document, name: str, raw: Mapping[str, Any], path: tuple[str, ...]
) -> CatalogMetric:
    labels = raw.get("labels")
    buckets = raw.get("buckets")
    return CatalogMetric(
        name=name,
        type=str(raw["type"]),
        labels=tuple(str(x) for x in labels) if isinstance(labels, list) else None,
        buckets=tuple(float(b) for b in buckets if isinstance(b, int | float))
        if isinstance(buckets, list)
        else (),
        unit=str(raw.get("unit", "")),
        location=doc.where(path, key=True),
    )


def spec_scrape_interval(doc: Document, default: float) -> float:
    """``defaults.scrape_interval`` in seconds, else ``default`` (the schema
    has checked the duration's shape)."""
    defaults = doc.data.get("defaults") if isinstance(doc.data, Mapping) else None
    text = defaults.get("scrape_interval") if isinstance(defaults, Mapping) else None
    if not isinstance(text, str):
        return default
    try:
        seconds = parse_duration(text).seconds
    except ValueError:
        return default
    return seconds if seconds > 0 else default


def range_calls(
    ctx: LintContext, functions: frozenset[str], types: tuple[str, ...]
) -> list[tuple[FileRules, RuleRef, str, Series]]:
    """(file, rule, function, series) for each call of ``functions`` whose range
    reads a catalog series of one of ``types``; once per rule, function and
    series (a rule repeating ``rate(x[5m])`` is one mistake)."""
    from paladin_obs.lint.query import calls, range_selector, selector_name

    out: list[tuple[FileRules, RuleRef, str, Series]] = []
    if ctx.catalog is None:
        return out
    for f, rule, ast in ctx.parsed():
        seen: set[tuple[str, str]] = set()
        for call in calls(ast, functions):
            vs = range_selector(call.args[0]) if call.args else None
            series = ctx.catalog.series(selector_name(vs)) if vs is not None else None
            fn = call.func.name
            if series is None or series.type not in types or (fn, series.name) in seen:
                continue
            seen.add((fn, series.name))
            out.append((f, rule, fn, series))
    return out
