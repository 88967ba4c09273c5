"""promql/deriv-on-counter: deriv(), delta(), idelta() or predict_linear() over a counter.

Why: these functions are meant for gauges and take every drop at face value.
A counter (``*_total``, a histogram's ``_bucket``/``_count``/``_sum``) drops
only when its process restarts, back to zero: deriv() and delta() then see a
huge negative slope, predict_linear() predicts a crash to minus millions, and
between restarts they give the counter's rate with no reset handling at all.
rate() and increase() detect resets and give the right answer.
promtool cannot know a metric's type; the spec's catalog does, so this check
needs it.

Bad:  delta(http_requests_total[5m]) > 100
Good: increase(http_requests_total[5m]) > 100

Fix: use rate() for a per-second rate of a counter and increase() for the
growth over a range (predict from ``rate()`` with a subquery if a trend is
really wanted). Suppress (when it is intended):
``# paladin-obs disable promql/deriv-on-counter: reason`` on the rule, or
``suppress: {promql/deriv-on-counter: reason}`` on the spec's alert.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.catalog import range_calls
from paladin_obs.lint.query import GAUGE_FUNCTIONS

ID = "promql/deriv-on-counter"
#: A restart makes the result wildly wrong: block generation.
SEVERITY: Severity = "error"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: Also run on every dashboard query (same mistake, same id).
QUERIES = True
#: A metric's type comes from the spec; without one nothing is known.
NEEDS_CATALOG = True
#: What to use instead, by function (rate() for the rest).
_FIX = {"delta": "increase()", "idelta": "irate() or increase()"}


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, fn, series in range_calls(ctx, GAUGE_FUNCTIONS, ("counter",)):
        kind = "alert" if rule.is_alert else "record"
        what = (
            series.declared
            if series.name == series.metric.name
            else f"{series.name}, a counter of {series.declared}"
        )
        out.append(
            f.at(
                (*rule.path, "expr"),
                f"{kind} {rule.name!r}: {fn}() over {what}: "
                f"a restart drops it to 0, read as a huge negative slope; "
                f"use {_FIX.get(fn, 'rate()')}, which handles counter resets",
            )
        )
    return out
