"""promql/counter-compared: an alert compares a counter's raw value (no rate() or increase()).

Why: a counter's raw value is the count since its process started: it only
grows, and falls back to 0 when the process restarts. ``http_requests_total
> 1000`` therefore says nothing about now: it fires forever once the service
has served 1000 requests since its last restart, and stops at every deploy.
Only the counter's change over a window (rate(), increase()) is a condition.

A counter is "raw" when the path from the comparison down to its selector goes
only through parentheses, unary minus, ``offset``, arithmetic, set operators
and aggregations that keep values (sum, min, max, avg, topk, quantile...).
Any function call (rate, increase, resets, changes, timestamp, absent...),
a subquery, a counting aggregation (count, count_values, group) or a nested
comparison (checked on its own) stops the path. Not flagged on purpose:

* the difference of two raw counters (``a - b``): a gap between two
  cumulative counts (Kafka's produced minus consumed offsets, ``x - x offset
  1h``) does not grow with uptime;
* gauges, whatever their names (``time() - process_start_time_seconds``);
* series the catalog does not know (a recorded rate, another team's metric).

Bad:  http_requests_total{code=~"5.."} > 100
Good: increase(http_requests_total{code=~"5.."}[10m]) > 100

Fix: compare ``rate(x[5m])`` or ``increase(x[1h])``. Suppress (when it is
intended): ``# paladin-obs disable promql/counter-compared: reason`` on the rule,
or ``suppress: {promql/counter-compared: reason}`` on the spec's alert.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.catalog import Catalog, Series
from paladin_obs.lint.query import COMPARISONS, nodes, selector_name

ID = "promql/counter-compared"
#: Usually a mistake, but the alert does fire on something: warn, do not block.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
#: A metric's type comes from the spec; without one nothing is known.
NEEDS_CATALOG = True
#: Aggregations whose result is one of (or computed from) their inputs' values.
_VALUE_AGGREGATIONS = frozenset(
    {
        "sum",
        "min",
        "max",
        "avg",
        "topk",
        "bottomk",
        "quantile",
        "stddev",
        "stdvar",
        "limitk",
        "limit_ratio",
    }
)
#: Binary operators whose result carries (one of) the operands' values.
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "^", "atan2"})
#: Set operators: the values come from the left (and, unless) or both (or).
_LEFT_ONLY = frozenset({"and", "unless"})


def _is_filtering(node: pp.Expr) -> bool:
    return (
        isinstance(node, pp.BinaryExpr)
        and str(node.op) in COMPARISONS
        and (node.modifier is None or not node.modifier.return_bool)
    )


def _raw_counters(expr: pp.Expr, catalog: Catalog) -> list[Series]:
    """The counters whose raw value reaches ``expr``'s value."""
    if isinstance(expr, pp.ParenExpr | pp.UnaryExpr):
        return _raw_counters(expr.expr, catalog)
    if isinstance(expr, pp.VectorSelector):
        series = catalog.series(selector_name(expr))
        return [series] if series is not None and series.type == "counter" else []
    if isinstance(expr, pp.AggregateExpr):
        return _raw_counters(expr.expr, catalog) if str(expr.op) in _VALUE_AGGREGATIONS else []
    if isinstance(expr, pp.BinaryExpr):
        op = str(expr.op)
        if op in _LEFT_ONLY:
            return _raw_counters(expr.lhs, catalog)
        if op == "or" or op in _ARITHMETIC:
            left, right = _raw_counters(expr.lhs, catalog), _raw_counters(expr.rhs, catalog)
            if op == "-" and left and right:
                return []  # a gap between two cumulative counts does not grow with uptime
            return left + right
    # Calls, subqueries, literals, matrices, nested comparisons: no raw value passes.
    return []


def check(ctx: LintContext) -> list[Diagnostic]:
    catalog = ctx.catalog
    if catalog is None:
        return []
    out = []
    for f, rule, ast in ctx.alerts():
        seen: set[str] = set()
        for node in nodes(ast):
            if not _is_filtering(node):
                continue
            assert isinstance(node, pp.BinaryExpr)
            found = _raw_counters(node.lhs, catalog) + _raw_counters(node.rhs, catalog)
            new = list({s.name: s for s in found if s.name not in seen}.values())
            if not new:
                continue
            seen.update(s.name for s in new)
            first = new[0]
            if len(new) == 1:
                what = (
                    first.declared
                    if first.name == first.metric.name
                    else f"{first.name}, a counter of {first.declared},"
                )
            else:
                what = "counters " + ", ".join(s.name for s in new)
            out.append(
                f.at(
                    (*rule.path, "expr"),
                    f"alert {rule.name!r} compares {what} raw: a counter only grows and restarts from 0 "
                    f"with its process, so the alert depends on uptime; compare "
                    f"rate({first.name}[5m]) or increase({first.name}[1h]) instead",
                )
            )
    return out
