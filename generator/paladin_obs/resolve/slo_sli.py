"""An SLO's indicator: from the spec's events, latency or raw form to queries.

Signals and catalog metrics are turned into PromQL here, with the same
selectors the service's alerts use, so an SLO and the alert on the same signal
always read the same series. A latency threshold is checked against the
histogram's declared buckets: a threshold between buckets cannot be computed
from a classic histogram, and the bucket's ``le`` text depends on the
Prometheus version (3.x normalises it to ``2.0``; 2.x keeps the exporter's).
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Path
from paladin_obs.gofloat import go_g, openmetrics_float
from paladin_obs.model import SLI, Matcher, Metric, Query, Signal, Signals, render_query
from paladin_obs.resolve.catalog import ServiceScope, check_match_labels, matchers
from paladin_obs.resolve.catalog_checks import milliseconds_hint
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean
from paladin_obs.validate.promql import check_expr
from paladin_obs.values import merge_selectors, render_selector

_PLACEHOLDER = re.compile(sconv.WINDOW_PLACEHOLDER_RE)
_ACTION = re.compile(r"\{\{.*?\}\}", re.S)
_WINDOW = "\x00"  # stands for the window while queries are built from parts


def _cut(text: str) -> Query:
    return tuple(text.split(_WINDOW))


def split_query(res: Resolution, text: str, path: Path) -> Query | None:
    """A user's query with Sloth's ``{{.window}}`` placeholder, cut at it."""
    if not _PLACEHOLDER.search(text):
        res.err(
            path,
            "the query needs the {{.window}} placeholder where the range goes, e.g. rate(x[{{.window}}])",
        )
        return None
    pieces = _PLACEHOLDER.split(text)
    other = [m.group(0) for piece in pieces for m in _ACTION.finditer(piece)]
    if other:
        res.err(
            path,
            f"only the {{{{.window}}}} placeholder is supported in SLI queries, not {other[0]}",
        )
        return None
    # One check here, at the query, rather than one per window in the output.
    problem = _query_problem("5m".join(pieces), res.version)
    if problem:
        res.err(path, problem)
        return None
    return tuple(pieces)


@cache
def _query_problem(query: str, version: tuple[int, int]) -> str:
    """Why a query (window filled in) cannot be an SLI, or "" if it can.

    Cached: every environment resolves the same queries again.
    """
    problems = check_expr(query, version)
    if problems:
        return f"invalid PromQL (with {{{{.window}}}} as 5m): {problems[0].message}"
    # absent() takes only an instant vector: the cheapest way to ask the parser
    # for the query's type. A scalar or a range vector cannot be recorded per series.
    if check_expr(f"absent({query})", version):
        return "an SLI query must give an instant vector (e.g. sum(rate(x[{{.window}}]))), not a scalar or a range"
    return ""


class SignalSource:
    """What a service's SLOs may refer to: its signals and its dependencies'."""

    def __init__(self, scope: ServiceScope, signals: dict[str, Signals]) -> None:
        self.scope = scope
        self.signals = signals

    def lookup(
        self, res: Resolution, ref: Any, path: Path, types: tuple[str, ...]
    ) -> Signal | Query | None:
        """A signal (or metric with matchers) of the right type, or a user query."""
        if isinstance(ref, dict) and "query" in ref:
            return split_query(res, ref["query"], (*path, "query"))
        if isinstance(ref, str):
            dependency, _, name = ref.rpartition(".")
            holder = self.signals.get(dependency)
            if holder is None:
                known = ", ".join(sorted(d for d in self.signals if d)) or "none"
                res.err(
                    path,
                    f"unknown dependency {dependency!r} (dependencies: {known})"
                    + did_you_mean(dependency, (d for d in self.signals if d)),
                )
                return None
            signal = holder.get(name)
            scope_path: Path = ("services", self.scope.service)
            if dependency:
                scope_path = (*scope_path, "dependencies", dependency)
            if signal is None and res.signal_failed(scope_path, name):
                return None  # the signal's own error says what to fix
            if signal is None:
                owner = (
                    f"dependency {dependency}" if dependency else f"service {self.scope.service}"
                )
                res.err(
                    path, f"{owner} declares no {name} signal; declare it, or give metric and match"
                )
                return None
        else:
            metric = self.scope.metrics.get(ref["metric"])
            if metric is None:
                res.err(
                    (*path, "metric"),
                    f"metric {ref['metric']!r} is not in the service's metrics catalog; add it under metrics"
                    + did_you_mean(ref["metric"], self.scope.metrics),
                )
                return None
            signal = Signal(metric, matchers(ref.get("match", {})))
            if not check_match_labels(res, metric, ref.get("match", {}), (*path, "match")):
                return None
        if signal.metric.type not in types:
            res.err(
                path,
                f"this SLI needs a {' or '.join(types)}, but {signal.metric.name} is a {signal.metric.type}",
            )
            return None
        return signal

    def selector(self, signal: Signal, suffix: str = "", extra: tuple[Matcher, ...] = ()) -> str:
        sel = merge_selectors(self.scope.selector_for(signal.metric), signal.match, extra)
        return render_selector(signal.metric.name + suffix, sel)


def _rate_sum(selector: str) -> str:
    return f"sum(rate({selector}[{_WINDOW}]))"


def build_sli(
    res: Resolution,
    source: SignalSource,
    raw: dict[str, Any],
    path: Path,
    threshold: Any,
    threshold_path: Path,
) -> SLI | None:
    location = res.doc.where(path)
    if "events" in raw:
        ev, epath = raw["events"], (*path, "events")
        parts: list[Query] = []
        for key in ("errors", "total"):
            found = source.lookup(res, ev[key], (*epath, key), ("counter",))
            if found is None:
                return None
            parts.append(
                found if isinstance(found, tuple) else _cut(_rate_sum(source.selector(found)))
            )
        if parts[0] == parts[1]:
            res.err(
                epath, "errors and total are the same series: the error ratio would always be 1"
            )
            return None
        ratio = f"({render_query(parts[0], '5m')}) / ({render_query(parts[1], '5m')})"
        problems = check_expr(ratio, res.version)
        if problems:
            res.err(epath, f"errors / total is not valid PromQL (window 5m): {problems[0].message}")
            return None
        zero = ev.get("missing_errors", "zero") == "zero"
        return SLI(
            "events",
            "events",
            errors=parts[0],
            total=parts[1],
            location=location,
            zero_without_errors=zero,
        )
    if "raw" in raw:
        rpath = (*path, "raw")
        query = split_query(res, raw["raw"]["error_ratio_query"], (*rpath, "error_ratio_query"))
        total: Query | None = ()
        if "total_query" in raw["raw"]:
            total = split_query(res, raw["raw"]["total_query"], (*rpath, "total_query"))
        if query is None or total is None:
            return None
        return SLI("ratio", "raw", ratio=query, total=total, location=location)
    lat, lpath = raw["latency"], (*path, "latency")
    found = source.lookup(res, lat["signal"], (*lpath, "signal"), ("histogram",))
    if found is None:
        return None
    if isinstance(found, tuple):
        res.err(
            (*lpath, "signal"),
            "a latency SLI needs a histogram signal or metric, not a query; use a raw SLI for a query",
        )
        return None
    seconds = _threshold(res, found.metric, threshold, threshold_path)
    if seconds is None:
        return None
    if lat.get("native"):
        return _native(res, source, found, seconds, lpath, location)
    return _classic(res, source, found, seconds, str(threshold), threshold_path, location)


def _threshold(res: Resolution, metric: Metric, value: Any, path: Path) -> float | None:
    if isinstance(value, str):
        if metric.unit not in ("seconds", ""):
            res.err(
                path,
                f"{metric.name} is measured in {metric.unit}: give the threshold as a number, not a duration",
            )
            return None
        duration = res.duration(value, path)
        return None if duration is None else duration.seconds
    return float(value)


def _classic(
    res: Resolution,
    source: SignalSource,
    signal: Signal,
    threshold: float,
    written: str,
    path: Path,
    location: Any,
) -> SLI | None:
    metric = signal.metric
    if math.isinf(threshold):
        res.err(
            path, "a latency threshold of +Inf counts every request as fast: no alert could fire"
        )
        return None
    if threshold not in metric.buckets:
        if metric.buckets:
            listed = ", ".join(go_g(b) for b in metric.buckets)
            res.err(
                path,
                f"latency threshold {written} is not a bucket of {metric.name} "
                f"(buckets: {listed}); a classic histogram can only count requests under a bucket boundary"
                + milliseconds_hint(metric, threshold),
            )
        else:
            res.err(
                path,
                f"{metric.name} declares no buckets: list them under its buckets so the threshold can be checked",
            )
        return None
    total = _rate_sum(source.selector(signal, "_count"))
    fast = _rate_sum(source.selector(signal, "_bucket", (_le(res, threshold),)))
    return SLI(
        "events",
        "latency",
        errors=_cut(f"{total} - {fast}"),
        total=_cut(total),
        metric=metric.name,
        threshold=threshold,
        location=location,
        zero_without_errors=False,
    )


def _le(res: Resolution, threshold: float) -> Matcher:
    """The bucket's ``le`` as the target version stores it."""
    normalised = openmetrics_float(threshold)
    if res.version >= (3, 0):
        return Matcher("le", "=", normalised)
    # 2.x keeps the exporter's text: Go and Rust clients write 2, Python 2.0.
    written = go_g(threshold)
    if written == normalised:
        return Matcher("le", "=", written)
    return Matcher("le", "=~", "|".join(re.escape(t) for t in (written, normalised)))


def _native(
    res: Resolution,
    source: SignalSource,
    signal: Signal,
    threshold: float,
    path: Path,
    location: Any,
) -> SLI | None:
    if res.version < (3, 0):
        res.err(
            (*path, "native"),
            "native-histogram SLIs use histogram_fraction, which Prometheus 2.x only has behind "
            "a feature flag; set defaults.prometheus_version to 3.x or use the classic histogram",
        )
        return None
    hist = f"sum(rate({source.selector(signal)}[{_WINDOW}]))"
    ratio = f"1 - histogram_fraction(0, {go_g(threshold)}, {hist})"
    return SLI(
        "ratio",
        "native",
        ratio=_cut(ratio),
        total=_cut(f"histogram_count({hist})"),
        metric=signal.metric.name,
        threshold=threshold,
        location=location,
    )
