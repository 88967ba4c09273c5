"""promql/rate-on-gauge: rate(), irate(), increase() or resets() over a gauge or a summary's quantiles.

Why: these functions assume a counter, a value that only grows and falls back
only when the process restarts. Every time a gauge (queue depth, memory in
use, connections, a summary's quantile) goes down, they read a counter reset
and add the whole new value as if the counter had restarted from zero: the
result is neither the gauge's rate of change nor anything else meaningful, and
it is always positive, so an alert on it fires on noise. promtool cannot know
a metric's type; the spec's catalog does, so this check needs it.

Bad:  rate(http_requests_in_flight[5m]) > 10
Good: deriv(http_requests_in_flight[5m]) > 10     (rate of change of a gauge)
      max_over_time(http_requests_in_flight[5m]) > 100   (its level over time)

Fix: use deriv() (per second) or delta() (over the range) for a gauge's rate
of change, or an ``*_over_time`` function for its level; for a summary, watch
the quantile with ``max_over_time()`` or rate its ``_sum`` and ``_count``.
Suppress (when it is intended): ``# paladin-obs disable promql/rate-on-gauge: reason``
on the rule, or ``suppress: {promql/rate-on-gauge: reason}`` on the spec's alert.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.catalog import range_calls
from paladin_obs.lint.query import COUNTER_FUNCTIONS

ID = "promql/rate-on-gauge"
#: The result is garbage whatever the data: block generation.
SEVERITY: Severity = "error"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: Also run on every dashboard query (same mistake, same id).
QUERIES = True
#: A metric's type comes from the spec; without one nothing is known.
NEEDS_CATALOG = True


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, fn, series in range_calls(ctx, COUNTER_FUNCTIONS, ("gauge", "summary")):
        kind = "alert" if rule.is_alert else "record"
        if series.type == "summary":
            why = "a summary's quantiles are no counter, so every drop reads as a reset"
            fix = f"watch the quantile with max_over_time(), or rate {series.name}_sum and {series.name}_count"
        else:
            why = "every drop of a gauge reads as a counter reset and the result is meaningless"
            fix = "use deriv() or delta() for its rate of change, or an *_over_time() function for its level"
        out.append(
            f.at(
                (*rule.path, "expr"),
                f"{kind} {rule.name!r}: {fn}() over {series.declared}: {why}; {fix}",
            )
        )
    return out
