"""Questions lint checks ask of a parsed PromQL expression, answered once.

promql-parser gives a syntax tree; checks need "which selectors are under
this call", "what is this selector's metric name" and "how long is this
range" again and again, and getting the corner cases right once (a name given
as ``{__name__="x"}``, parentheses, subqueries) keeps every check honest.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.validate.promql_tree import nodes as nodes  # the checks ask here

#: Functions whose argument must be a counter (they assume resets are restarts).
COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
#: Functions meant for gauges (they read drops as real drops).
GAUGE_FUNCTIONS = frozenset(
    {"deriv", "delta", "idelta", "predict_linear", "holt_winters", "double_exponential_smoothing"}
)
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})


def mentions(text: str, names: frozenset[str]) -> bool:
    """Whether the expression ``text`` could call or aggregate with one of ``names``.

    A name in the tree is a name in the text (case aside), and looking at the
    text costs nothing next to walking the tree, which copies every node out
    of Rust: checks of a few functions skip the walk of every other expression.
    """
    lowered = text.lower()
    return any(name in lowered for name in names)


def unwrap(expr: pp.Expr) -> pp.Expr:
    """``expr`` without enclosing parentheses."""
    while isinstance(expr, pp.ParenExpr):
        expr = expr.expr
    return expr


def selector_name(vs: pp.VectorSelector) -> str | None:
    """The metric name a selector selects: its name, or an exact ``__name__`` matcher."""
    if vs.name:
        return str(vs.name)
    for m in vs.matchers.matchers:
        if m.name == "__name__" and str(m.op) == "MatchOp.Equal":
            return str(m.value)
    return None


def selectors(expr: pp.Expr) -> list[pp.VectorSelector]:
    """Every vector selector in ``expr``, those inside ranges and subqueries too."""
    # The walk descends into a range's and a subquery's selector itself.
    return [n for n in nodes(expr) if isinstance(n, pp.VectorSelector)]


def calls(expr: pp.Expr, names: frozenset[str] | set[str] | None = None) -> list[pp.Call]:
    """Every function call in ``expr`` (only those named in ``names`` if given)."""
    return [
        n for n in nodes(expr) if isinstance(n, pp.Call) and (names is None or n.func.name in names)
    ]


def range_seconds(node: pp.MatrixSelector | pp.SubqueryExpr) -> float:
    """A range selector's or subquery's range, in seconds."""
    return float(node.range.total_seconds()) if node.range is not None else 0.0


def range_selector(arg: pp.Expr) -> pp.VectorSelector | None:
    """The selector a range function reads: ``x[5m]``, or a subquery of a bare
    ``x`` (a computed subquery has no one series type)."""
    arg = unwrap(arg)
    if isinstance(arg, pp.MatrixSelector):
        return arg.vector_selector
    if isinstance(arg, pp.SubqueryExpr):
        inner = unwrap(arg.expr)
        if isinstance(inner, pp.VectorSelector):
            return inner
    return None
