"""Loki's rules for expressions, one function per AST constructor that applies them.

Each function mirrors the checks of the Go code named in its docstring
(``pkg/logql/syntax/ast.go`` and ``parser.go`` of Loki v3), in Loki's order,
and returns every problem it finds as ``(message, offset)`` pairs; where Loki
stops at its first problem we go on, since each one is real on its own.
"""

from __future__ import annotations

from lark import Token

from ..re2 import check_regex
from .golex import go_atoi_ok, go_float
from .nodes import Expr, Grouping, Kind, LogRange, Selector
from .stages import GO_VERSION, matcher_matches_empty

__all__ = [
    "GROUPING_RANGE_OPS",
    "NO_UNWRAP_RANGE_OPS",
    "UNWRAP_RANGE_OPS",
    "binop",
    "label_replace",
    "literal",
    "range_aggregation",
    "selector",
    "vector_aggregation",
    "vector_literal",
]

Problems = list[tuple[str, int]]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: RangeAggregationExpr.validate: operations that accept ``by``/``without``.
GROUPING_RANGE_OPS = _words(
    "avg_over_time stddev_over_time stdvar_over_time quantile_over_time max_over_time "
    "min_over_time first_over_time last_over_time"
)
#: ... operations that accept ``| unwrap``.
UNWRAP_RANGE_OPS = _words(
    "avg_over_time sum_over_time max_over_time min_over_time stddev_over_time stdvar_over_time "
    "quantile_over_time rate rate_counter absent_over_time first_over_time last_over_time"
)
#: ... operations that work without ``| unwrap``.
NO_UNWRAP_RANGE_OPS = _words("bytes_over_time bytes_rate count_over_time rate absent_over_time")
_K_OPS = frozenset({"topk", "bottomk", "approx_topk"})
_SET_OPS = frozenset({"and", "or", "unless"})
_EXAMPLE_SELECTOR = '{app="api"}'


def literal(number: Token) -> Problems:
    """mustNewLiteralExpr: the number must parse as a float64."""
    if go_float(number.value) is None:
        return [(f"{number.value} is not a valid number (or is out of range)", number.start_pos or 0)]
    return []


def vector_literal(number: Token) -> Problems:
    """NewVectorExpr: ``vector(n)`` takes a float64."""
    if go_float(number.value) is None:
        return [(f"vector() needs a number, and {number.value} is not a valid one", number.start_pos or 0)]
    return []


def selector(sel: Selector) -> Problems:
    """validateMatchers: at least one matcher must not match the empty string."""
    if any(not m.valid for m in sel.matchers):
        return []  # Loki fails on the regex first; its verdict on emptiness would be moot
    if not sel.matchers:
        return [(f"the stream selector {{}} is empty: Loki needs at least one matcher such as {_EXAMPLE_SELECTOR}", sel.start)]
    if all(matcher_matches_empty(m.op, m.value) for m in sel.matchers):
        return [(
            "the stream selector needs at least one matcher that does not match the empty string, "
            f'e.g. {_EXAMPLE_SELECTOR} or {{app=~".+"}}; {{app=~".*"}} and {{app!="x"}} alone match everything',
            sel.start,
        )]  # fmt: skip
    return []


def binop(lhs: Expr, op: Token, rhs: Expr) -> tuple[Kind, Problems]:
    """mustNewBinOpExpr: metric legs only; no number leg for and/or/unless; two numbers fold."""
    problems: Problems = []
    name = op.value
    for side, leg in (("left", lhs), ("right", rhs)):
        if leg.kind is Kind.LOG:
            problems.append((
                f"the {side} side of {name} is a log query; binary operators need metric queries, "
                "e.g. count_over_time({...}[5m])",
                leg.start,
            ))  # fmt: skip
    if name in _SET_OPS:
        for side, leg in (("left", lhs), ("right", rhs)):
            if leg.kind is Kind.LITERAL:
                problems.append((f"{name} works on vectors only: its {side} side cannot be a literal number", leg.start))
    both_numbers = lhs.kind is Kind.LITERAL and rhs.kind is Kind.LITERAL
    return (Kind.LITERAL if both_numbers and not problems else Kind.METRIC), problems


def range_aggregation(op: Token, param: Token | None, rng: LogRange, grouping: Grouping | None) -> Problems:
    """newRangeAggregationExpr and RangeAggregationExpr.validate."""
    name = op.value
    at = op.start_pos or 0
    problems: Problems = []
    if param is not None:
        if name != "quantile_over_time":
            problems.append((f"{name} takes no parameter: remove {param.value},", param.start_pos or 0))
        elif go_float(param.value) is None:
            problems.append((f"the quantile parameter {param.value} is not a valid number", param.start_pos or 0))
    elif name == "quantile_over_time":
        problems.append(("quantile_over_time needs its quantile parameter first, e.g. quantile_over_time(0.99, {...} | unwrap latency [5m])", at))
    if grouping is not None and name not in GROUPING_RANGE_OPS:
        problems.append((f"grouping (by/without) is not allowed on {name}: group outside it instead, e.g. sum by (app) ({name}(...))", grouping.start))
    if rng.unwrap_start is not None:
        if name not in UNWRAP_RANGE_OPS:
            problems.append((f"{name} cannot be used with | unwrap; unwrapped values take e.g. sum_over_time or avg_over_time", rng.unwrap_start))
    elif name not in NO_UNWRAP_RANGE_OPS:
        problems.append((f"{name} needs an unwrapped value: add | unwrap <label> before the range, e.g. {name}({{...}} | unwrap latency [5m])", at))
    return problems


def vector_aggregation(op: Token, param: Token | None, body: Expr, grouping: Grouping | None) -> Problems:
    """mustNewVectorAggregationExpr and validateSortGrouping."""
    name = op.value
    at = op.start_pos or 0
    problems: Problems = []
    if body.kind is Kind.LOG:
        problems.append((f"{name} aggregates metric queries, not a log query: wrap it in a range aggregation, e.g. {name}(count_over_time({{...}}[5m]))", body.start))
    if name in _K_OPS:
        if param is None:
            problems.append((f"{name} needs its k parameter first, e.g. {name}(10, ...)", at))
        elif not go_atoi_ok(param.value):
            problems.append((f"the {name} parameter must be a whole number, not {param.value}", param.start_pos or 0))
        elif int(param.value) <= 0:
            problems.append((f"the {name} parameter must be greater than 0", param.start_pos or 0))
        elif name == "approx_topk" and grouping is not None:
            problems.append(("grouping (by/without) is not allowed on approx_topk", grouping.start))
    elif param is not None:
        problems.append((f"{name} takes no parameter: remove {param.value},", param.start_pos or 0))
    if name in ("sort", "sort_desc") and grouping is not None and grouping.labels:
        problems.append((f"{name} does not allow grouping by labels: it orders by value; drop the by/without labels", grouping.start))
    return problems


def label_replace(body: Expr, regex: Token) -> Problems:
    """mustNewLabelReplaceExpr: the regex is compiled anchored, as ``^(?:regex)$``."""
    problems: Problems = []
    if body.kind is Kind.LOG:
        problems.append(("label_replace needs a metric query, not a log query", body.start))
    problem = check_regex(f"^(?:{regex.value})$", go_version=GO_VERSION)
    if problem:
        problems.append((f"invalid regex in label_replace: {problem}", regex.start_pos or 0))
    return problems
