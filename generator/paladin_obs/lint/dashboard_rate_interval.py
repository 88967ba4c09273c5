"""dashboard/rate-interval: rate, irate and increase range over ``$__rate_interval``.

A fixed range is too short at coarse resolution (gaps) and needlessly long
at fine resolution; ``$__interval`` can be shorter than two scrapes, which
leaves rate() with one sample and no line. ``$__rate_interval`` is Grafana's
fix for both. ``increase(x[$__range])`` (a total over the time picked) is fine.

Bad:  rate(http_requests_total[5m])
Good: rate(http_requests_total[$__rate_interval])
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile

ID = "dashboard/rate-interval"
SEVERITY: Severity = "warning"
_FUNCTIONS = frozenset({"rate", "irate", "increase"})
_GOOD = frozenset({"$__rate_interval", "${__rate_interval}"})
_TOTALS = frozenset({"$__range", "${__range}"})


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        for query in f.queries:
            if query.ast is None:
                continue
            for rng in query.substituted.ranges:
                if rng.function not in _FUNCTIONS:
                    continue
                text = rng.text.split(":", 1)[0].strip()
                if text in _GOOD or (rng.function == "increase" and text in _TOTALS):
                    continue
                out.append(
                    f.at(
                        (*query.target.path, "expr"),
                        f"{query.target.label}: {rng.function}() over [{text}]: use "
                        "[$__rate_interval] so the range follows the resolution",
                    )
                )
    return out
