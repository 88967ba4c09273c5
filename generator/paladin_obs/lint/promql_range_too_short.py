"""promql/range-too-short: a rate-like function over a range shorter than 4 scrape intervals.

Why: ``rate()`` and its kin need at least two samples in the window to return
anything. A window of four scrape intervals holds about four samples, so one
missed or late scrape (a slow target, a restart, a network blip) still leaves
enough; a shorter window drops to one sample after a single miss, the function
returns nothing for that series, and an alert on it silently stops seeing the
series (it resolves, or never fires) exactly when the target is struggling.
Grafana's ``$__rate_interval`` uses the same floor (4x the scrape interval).
The scrape interval is the spec's ``defaults.scrape_interval`` (default 60s,
Prometheus's own) or ``--scrape-interval``. A rule file checked with neither
gets no finding: its ranges were written for an interval nobody stated (the
monitoring mixins assume 15-30s), and guessing would flag most of them.

Checked under rate, irate, increase, delta, idelta, deriv, changes, resets and
predict_linear, in alerts and recording rules. For a subquery only the range
selectors inside it are measured: a subquery's own range is a window of
evaluated points at its step, not of scraped samples.

Bad:  rate(http_requests_total[1m])          (scrape interval 30s: minimum 2m)
Good: rate(http_requests_total[2m])

Fix: widen the range to at least 4x the scrape interval (e.g. ``[5m]`` for a
60s interval), or scrape more often. Suppress (when it is intended):
`# paladin-obs disable promql/range-too-short: reason` on the rule, or
`suppress: {promql/range-too-short: reason}` on the spec's alert.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.durations import Duration
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import calls, range_seconds, unwrap

ID = "promql/range-too-short"
#: The rule still works while every scrape lands; it breaks on a missed one.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: Functions that need several samples of their range to return a value.
_FUNCTIONS = frozenset(
    {"rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "predict_linear"}
)
#: Scrape intervals a range must span to survive one missed scrape.
_SCRAPES = 4


def _duration(seconds: float) -> str:
    return str(Duration(round(seconds * 1000)))


def check(ctx: LintContext) -> list[Diagnostic]:
    if not ctx.scrape_interval_known or ctx.scrape_interval <= 0:
        return []
    minimum = _SCRAPES * ctx.scrape_interval
    scrape, least = _duration(ctx.scrape_interval), _duration(minimum)
    out = []
    for f, rule, ast in ctx.parsed():
        seen: set[tuple[str, float]] = set()
        for call in calls(ast, _FUNCTIONS):
            # The range argument comes first (predict_linear's second is a number).
            arg = unwrap(call.args[0]) if call.args else None
            if not isinstance(arg, pp.MatrixSelector):
                continue  # a subquery: its inner selectors are calls of their own
            seconds = range_seconds(arg)
            name = call.func.name
            if seconds >= minimum or (name, seconds) in seen:
                continue
            seen.add((name, seconds))
            what = "alert" if rule.is_alert else "record"
            out.append(
                f.at(
                    (*rule.path, "expr"),
                    f"{what} {rule.name!r}: {name}() over [{_duration(seconds)}] is shorter than "
                    f"4x the scrape interval {scrape}: one missed scrape leaves it without a result; "
                    f"use a range of at least [{least}]",
                )
            )
    return out
