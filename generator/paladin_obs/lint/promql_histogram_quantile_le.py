"""promql/histogram-quantile-le: an aggregation under histogram_quantile() drops the ``le`` label.

Why: histogram_quantile() over classic buckets needs every bucket's upper
bound, the ``le`` label, to tell the buckets of one histogram apart. An
aggregation between it and the ``_bucket`` selector that drops ``le``
(``sum by (job)``, ``sum without (le)``, or plain ``sum(...)``, which drops
every label) adds all buckets into one series with no ``le``:
histogram_quantile() then skips every series (no data), and an alert on it never
fires. promtool accepts the query.

Aggregations that select series (topk, bottomk, limitk, limit_ratio) keep
every label and are fine. Native histograms (a selector whose name does not
end in ``_bucket``) carry their buckets inside each sample and need no ``le``:
not flagged, nor are names that do not say they are buckets (a recorded
``job:x_bucket:rate5m`` cannot be known).

Bad:  histogram_quantile(0.99, sum by (handler) (rate(http_request_duration_seconds_bucket[5m])))
Good: histogram_quantile(0.99, sum by (handler, le) (rate(http_request_duration_seconds_bucket[5m])))

Fix: add ``le`` to every ``by (...)`` on the way to the buckets (``sum by (le)``
for one quantile over everything), or remove it from ``without (...)``.
Suppress (when it is intended): ``# paladin-obs disable promql/histogram-quantile-le: reason``
on the rule, or ``suppress: {promql/histogram-quantile-le: reason}`` on the spec's alert.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import calls, mentions, selector_name

ID = "promql/histogram-quantile-le"
#: The query returns no data: an alert on it can never fire. Block.
SEVERITY: Severity = "error"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: Also run on every dashboard query (same mistake, same id).
QUERIES = True
_HQ = "histogram_quantile"
#: Aggregations that pick series and keep all their labels.
_SELECTING = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


def _drops_le(agg: pp.AggregateExpr) -> str | None:
    """How ``agg`` drops ``le`` (for the message), or None when it keeps it."""
    op = str(agg.op)
    if op in _SELECTING:
        return None
    mod = agg.modifier
    if mod is None:
        return f"{op}(...) without by (le)"
    labels = list(mod.labels)
    if mod.type == pp.AggModifierType.Without:
        return f"{op} without ({', '.join(labels)})" if "le" in labels else None
    return None if "le" in labels else f"{op} by ({', '.join(labels)})"


def _first_drop(expr: pp.Expr, drop: str | None) -> tuple[str, str] | None:
    """(how le is dropped, bucket series) for the first bucket selector below a dropping aggregation."""
    if isinstance(expr, pp.VectorSelector | pp.MatrixSelector):
        vs = expr.vector_selector if isinstance(expr, pp.MatrixSelector) else expr
        name = selector_name(vs)
        if drop is not None and name is not None and name.endswith("_bucket"):
            return drop, name
        return None
    if isinstance(expr, pp.AggregateExpr):
        return _first_drop(expr.expr, drop or _drops_le(expr))
    if isinstance(expr, pp.ParenExpr | pp.UnaryExpr | pp.SubqueryExpr):
        return _first_drop(expr.expr, drop)
    if isinstance(expr, pp.BinaryExpr):
        return _first_drop(expr.lhs, drop) or _first_drop(expr.rhs, drop)
    if isinstance(expr, pp.Call) and expr.func.name != _HQ:  # a nested one is checked on its own
        for arg in expr.args:
            if isinstance(arg, pp.Expr) and (found := _first_drop(arg, drop)):
                return found
    return None


_NAMES = frozenset({_HQ})


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.parsed():
        if not mentions(rule.expr, _NAMES):
            continue
        for call in calls(ast, _NAMES):
            found = _first_drop(call.args[1], None) if len(call.args) > 1 else None
            if found is None:
                continue
            how, series = found
            kind = "alert" if rule.is_alert else "record"
            out.append(
                f.at(
                    (*rule.path, "expr"),
                    f"{kind} {rule.name!r}: histogram_quantile() over {series}, but {how} drops the le label "
                    f"the buckets need, so the result is empty; keep le: sum by (..., le) (...)",
                )
            )
    return out
