"""Loki's rules for expressions (rules.py): one row per rule of ast.go/parser.go.

Each row is (query, fragment of the message, offset of the error).  Every
query here parses; Loki refuses it when it builds or validates the AST.
"""

from __future__ import annotations

import pytest

from paladin_obs.validate.logql import check_logql
from paladin_obs.validate.logql.rules import (
    GROUPING_RANGE_OPS,
    NO_UNWRAP_RANGE_OPS,
    UNWRAP_RANGE_OPS,
)

SEL = '{app="api"}'
UNWRAPPED = f"{SEL} | logfmt | unwrap took [5m]"
RANGE_OPS = sorted(UNWRAP_RANGE_OPS | NO_UNWRAP_RANGE_OPS)

RULES = [
    # validateMatchers: a selector must select
    ("{}", "is empty", 0),
    (' { }', "is empty", 1),
    ('{app=~".*"}', "does not match the empty string", 0),
    ('{app!="x"}', "does not match the empty string", 0),
    ('{app=""}', "does not match the empty string", 0),
    ('{app!~"a|b"}', "does not match the empty string", 0),
    ('{app=~"a|"}', "does not match the empty string", 0),
    ('{app=~"x*", env!="dev"}', "does not match the empty string", 0),
    ('count_over_time({app=~".*"}[5m])', "does not match the empty string", 16),
    ('1 + count_over_time({app=".+"}[5m]) + count_over_time({app=~".*"}[5m])', "does not match the empty string", 54),
    # labels.NewMatcher: matcher regexes compile with Go's RE2 rules
    ('{app=~"("}', "invalid regex in app=~", 6),
    ('{app!~"a{1001}"}', "invalid repeat count", 6),
    ('{app=~"\\\\8"}', "invalid escape", 6),
    (f'{SEL} | json | path=~"[z-a]"', "invalid character class range", 27),
    (f'{SEL} | drop level=~"("', "invalid regex", 26),
    # newRangeAggregationExpr: parameters
    (f"rate(5, {SEL}[5m])", "rate takes no parameter", 5),
    (f"quantile_over_time({UNWRAPPED})", "quantile parameter", 0),
    (f"quantile_over_time(0x1F, {UNWRAPPED})", "quantile parameter 0x1F", 19),
    # RangeAggregationExpr.validate: grouping, then unwrap
    (f"rate({SEL}[5m]) by (host)", "grouping (by/without) is not allowed on rate", 22),
    (f"count_over_time({SEL}[5m]) by ()", "not allowed on count_over_time", 33),
    (f"sum_over_time({UNWRAPPED}) without (a)", "not allowed on sum_over_time", 55),
    (f"rate_counter({UNWRAPPED}) by (a)", "not allowed on rate_counter", 54),
    (f"count_over_time({UNWRAPPED})", "count_over_time cannot be used with | unwrap", 37),
    (f"bytes_rate({UNWRAPPED})", "bytes_rate cannot be used with | unwrap", 32),
    (f"bytes_over_time({SEL} | unwrap x [5m])", "cannot be used with | unwrap", 28),
    (f"sum_over_time({SEL}[5m])", "sum_over_time needs an unwrapped value", 0),
    (f"rate_counter({SEL}[5m])", "rate_counter needs an unwrapped value", 0),
    (f"quantile_over_time(0.9, {SEL}[5m])", "needs an unwrapped value", 0),
    # mustNewVectorAggregationExpr and validateSortGrouping
    (f"topk(rate({SEL}[5m]))", "topk needs its k parameter", 0),
    (f"bottomk(2.5, rate({SEL}[5m]))", "must be a whole number, not 2.5", 8),
    (f"topk(1e2, rate({SEL}[5m]))", "must be a whole number, not 1e2", 5),
    (f"topk(1_0, rate({SEL}[5m]))", "must be a whole number, not 1_0", 5),
    (f"topk(0, rate({SEL}[5m]))", "must be greater than 0", 5),
    (f"approx_topk(0, rate({SEL}[5m]))", "must be greater than 0", 12),
    (f"approx_topk(3, rate({SEL}[5m])) by ()", "not allowed on approx_topk", 38),
    (f"sum(3, rate({SEL}[5m]))", "sum takes no parameter", 4),
    (f"sort(rate({SEL}[5m])) by (a)", "sort does not allow grouping", 28),
    (f"sort_desc without (a) (rate({SEL}[5m]))", "sort_desc does not allow grouping", 10),
    (f"sum({SEL})", "sum aggregates metric queries, not a log query", 4),
    (f"sum(({SEL} |= \"x\"))", "not a log query", 5),
    # mustNewBinOpExpr: legs, set operators and literals
    (f"{SEL} + 1", "the left side of + is a log query", 0),
    (f"rate({SEL}[5m]) / {SEL}", "the right side of / is a log query", 24),
    (f"rate({SEL}[5m]) and 1", "its right side cannot be a literal number", 26),
    (f"1 or rate({SEL}[5m])", "its left side cannot be a literal number", 0),
    (f"(1 + 1) unless rate({SEL}[5m])", "left side cannot be a literal", 1),
    ("1 and 1", "left side cannot be a literal", 0),
    # mustNewLiteralExpr, NewVectorExpr, numeric label filters
    ("0x10", "0x10 is not a valid number", 0),
    ("1+0b1", "0b1 is not a valid number", 2),
    ("1e400", "1e400 is not a valid number", 0),
    ("vector(0x1)", "vector() needs a number", 7),
    (f"{SEL} | logfmt | x > 0x1F", "0x1F is not a valid number", 27),
    # mustNewLabelReplaceExpr
    (f'label_replace(rate({SEL}[5m]), "a", "b", "c", "(")', "invalid regex in label_replace", 52),
    (f'label_replace({SEL}, "a", "b", "c", "d")', "label_replace needs a metric query", 14),
]


@pytest.mark.parametrize(("query", "fragment", "offset"), RULES)
def test_rule(query: str, fragment: str, offset: int) -> None:
    errors = check_logql(query)
    matching = [e for e in errors if fragment in e.message]
    assert matching, f"no message contains {fragment!r}: {errors}"
    assert matching[0].offset == offset, matching[0]


@pytest.mark.parametrize("op", RANGE_OPS)
def test_unwrap_per_range_operation(op: str) -> None:
    param = "0.5, " if op == "quantile_over_time" else ""
    with_unwrap = check_logql(f"{op}({param}{UNWRAPPED})")
    without = check_logql(f"{op}({param}{SEL}[5m])")
    assert (with_unwrap == []) is (op in UNWRAP_RANGE_OPS), with_unwrap
    assert (without == []) is (op in NO_UNWRAP_RANGE_OPS), without


@pytest.mark.parametrize("op", RANGE_OPS)
def test_grouping_per_range_operation(op: str) -> None:
    param = "0.5, " if op == "quantile_over_time" else ""
    body = UNWRAPPED if op in UNWRAP_RANGE_OPS else f"{SEL}[5m]"
    errors = check_logql(f"{op}({param}{body}) by (host)")
    assert (errors == []) is (op in GROUPING_RANGE_OPS), errors


def test_independent_problems_are_all_reported_in_text_order() -> None:
    errors = check_logql('sum_over_time({app=~".*"}[5m]) by (a) + topk(0, vector(1))')
    assert [e.offset for e in errors] == [0, 14, 31, 45]


def test_invalid_regex_matcher_does_not_also_report_emptiness() -> None:
    errors = check_logql('{app=~"("}')
    assert len(errors) == 1 and "invalid regex" in errors[0].message


def test_literal_alternation_skips_regex_parsing_like_prometheus() -> None:
    # Prometheus matches a|b|c literally without parsing it, so bad UTF-8 passes.
    assert check_logql('{app=~"a|\\xff"}') == []
    assert check_logql('{app=~"a|\\xff."}') != []
