"""promql/histogram-quantile-rate: histogram_quantile() over bucket counters that are not rated.

Why: a classic histogram's ``_bucket`` series are counters: cumulative counts
of every observation since the process started. ``histogram_quantile(0.99,
x_bucket)`` is the 99th percentile of the process's whole life, dominated by
old history (a latency regression of the last hour barely moves it) and it
jumps whenever a restart resets the counts. The quantile of *recent*
observations needs the buckets' growth over a window: rate(), irate(),
increase() (or delta()/idelta() of gauge histograms). ``*_over_time()`` of the
buckets is no such growth: an average of cumulative counts is cumulative too.

Not flagged: a selector whose name does not end in ``_bucket`` (a recorded
rate such as ``job:x_bucket:rate5m``, a native histogram), a name recorded by
a rule checked alongside, a name with ``:`` (recording rules' convention), a
series the catalog declares as something else than a counter (a gauge
histogram's buckets), and ``x_bucket - x_bucket offset 1h`` (a hand-made
increase). With a catalog, the bare name of a declared histogram (a native
histogram) outside rate() is flagged too: its counts are just as cumulative.

Bad:  histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket))
Good: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))

Fix: wrap the buckets in rate(x_bucket[5m]) (before any aggregation).
Suppress (when it is intended): ``# paladin-obs disable promql/histogram-quantile-rate: reason``
on the rule, or ``suppress: {promql/histogram-quantile-rate: reason}`` on the spec's alert.
"""

from __future__ import annotations

from collections.abc import Sequence

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.catalog import Catalog
from paladin_obs.lint.query import calls, mentions, selector_name
from paladin_obs.validate.rulefile import RuleRef

ID = "promql/histogram-quantile-rate"
#: The quantile of a process's whole life is not what anyone alerts on: block.
SEVERITY: Severity = "error"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: Also run on every dashboard query (same mistake, same id).
QUERIES = True
#: Functions that turn cumulative bucket counts into counts of a window.
_WINDOWED = frozenset({"rate", "irate", "increase", "delta", "idelta"})
_HQ = frozenset({"histogram_quantile"})


def _unrated(expr: pp.Expr) -> list[pp.VectorSelector]:
    """The selectors of ``expr`` that no windowing function encloses."""
    if isinstance(expr, pp.VectorSelector):
        return [expr]
    if isinstance(expr, pp.MatrixSelector):
        return [expr.vector_selector]
    if isinstance(expr, pp.Call):
        if expr.func.name in _WINDOWED:
            return []
        return [vs for arg in expr.args if isinstance(arg, pp.Expr) for vs in _unrated(arg)]
    if isinstance(expr, pp.ParenExpr | pp.UnaryExpr | pp.SubqueryExpr | pp.AggregateExpr):
        return _unrated(expr.expr)
    if isinstance(expr, pp.BinaryExpr):
        left, right = _unrated(expr.lhs), _unrated(expr.rhs)
        if (
            str(expr.op) == "-"
            and left
            and {selector_name(v) for v in left} == {selector_name(v) for v in right}
        ):
            return []  # x_bucket - x_bucket offset 1h: an increase by hand
        return left + right
    return []


def _cumulative(
    vs: pp.VectorSelector, catalog: Catalog | None, recorded: frozenset[str]
) -> str | None:
    """Why ``vs`` selects cumulative histogram counts, or None when it does not (or is unknown)."""
    name = selector_name(vs)
    if not name or ":" in name or name in recorded:
        return None
    series = catalog.series(name) if catalog is not None else None
    if name.endswith("_bucket"):
        if series is not None and series.type != "counter":
            return None  # declared otherwise: a gauge histogram's buckets are no counters
        return f"the bucket counters {name}"
    if series is not None and series.type == "histogram":
        return f"the native histogram {name} ({series.declared})"
    return None


#: The rule lists (and their sizes) the last ``_recorded`` answer came from, and the answer.
_RECORDED: tuple[tuple[Sequence[RuleRef], ...], tuple[int, ...], frozenset[str]] | None = None


def _recorded(ctx: LintContext) -> frozenset[str]:
    """Names recorded by the rules checked alongside.

    Kept for the same rule lists: a big file or a fleet is linted a slice at
    a time, each slice in a new context over the same files, and working the
    names out per slice made a 500-service fleet's lint grow with its square.
    """
    global _RECORDED
    lists = tuple(f.rules for f in ctx.files)
    sizes = tuple(len(rules) for rules in lists)
    kept = _RECORDED
    if (
        kept is None
        or kept[1] != sizes
        or any(a is not b for a, b in zip(kept[0], lists, strict=True))
    ):
        names = frozenset(r.name for rules in lists for r in rules if not r.is_alert)
        kept = _RECORDED = (lists, sizes, names)
    return kept[2]


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.parsed():
        if not mentions(rule.expr, _HQ):
            continue
        recorded = _recorded(ctx)
        for call in calls(ast, _HQ):
            if len(call.args) < 2:
                continue
            why = next(
                (
                    w
                    for vs in _unrated(call.args[1])
                    if (w := _cumulative(vs, ctx.catalog, recorded))
                ),
                None,
            )
            if why is None:
                continue
            kind = "alert" if rule.is_alert else "record"
            out.append(
                f.at(
                    (*rule.path, "expr"),
                    f"{kind} {rule.name!r}: histogram_quantile() over {why} without rate(): they count "
                    f"every observation since the process started, so the quantile is dominated by old "
                    f"history and jumps at restarts; use rate(...[5m]) inside the aggregation",
                )
            )
    return out
