"""Targets: each turns a resolved Model into artifacts (data), never touching files.

The registry is explicit (no entry points, no import scanning): the pipeline
runs every target listed here, in this order.
"""

from __future__ import annotations

from paladin_obs.targets import grafana, loki, prometheus, slo
from paladin_obs.targets.base import Target

TARGETS: dict[str, Target] = {
    prometheus.NAME: prometheus,
    slo.NAME: slo,
    grafana.NAME: grafana,
    loki.NAME: loki,
}
