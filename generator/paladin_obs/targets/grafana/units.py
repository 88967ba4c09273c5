"""Grafana units from the catalog: what a metric's values mean on an axis."""

from __future__ import annotations

from paladin_obs.model import Metric

#: Catalog unit → Grafana unit id of the metric's own values.
_UNITS = {"seconds": "s", "bytes": "bytes", "ratio": "percentunit", "percent": "percent"}


def unit_of(metric: Metric) -> str:
    """The unit of the metric's samples (gauges, histogram buckets' ``le``)."""
    return _UNITS.get(metric.unit, "short")


def rate_unit(metric: Metric) -> str:
    """The unit of ``rate()`` over a counter: per second of what it counts.

    Seconds per second is a share of one CPU core (1 = a core busy), bytes per
    second a throughput, anything else operations (request signals are
    ``reqps`` where they are charted).
    """
    if metric.unit == "seconds":
        return "percentunit"
    if metric.unit == "bytes":
        return "Bps"
    return "ops"
