"""The grammar: every LogQL construct Loki accepts parses, and syntax errors point at the offending token.

Verdicts are Loki's (pkg/logql/syntax/syntax.y with lex.go); the valid queries
(samples.py) cover each production of the grammar at least once, the invalid
ones the mistakes people make, each with the offset of the token Loki stops at.
"""

from __future__ import annotations

import pytest
from tests.validate.logql.samples import VALID_LOG, VALID_METRIC

from paladin_obs.validate.logql import check_logql, is_metric_query


@pytest.mark.parametrize("query", VALID_LOG)
def test_valid_log_query(query: str) -> None:
    assert check_logql(query) == []
    assert is_metric_query(query) is False


@pytest.mark.parametrize("query", VALID_METRIC)
def test_valid_metric_query(query: str) -> None:
    assert check_logql(query) == []
    assert check_logql(query, metric=True) == []
    assert is_metric_query(query) is True


# (query, fragment of the message, offset of the offending token)
SYNTAX_ERRORS = [
    ('{app="api"', "end of query", 10),
    ('{app="api",}', '"}"', 11),
    ("{app=api}", "label name api", 5),
    ('{app="api"} "x"', 'string "x"', 12),
    ('{app="api"} |=', "end of query", 14),
    ('{app="api"} | foo', "end of query", 17),
    ('{app="api"} | json |', "end of query", 20),
    ('{on="x"}', "reserved word", 1),
    ('{by="x"}', "reserved word", 1),
    ("{app='x'}", "double quotes", 5),
    ('{app="api"}[5m]', "range", 11),
    ('rate({app="api"})', '")"', 16),
    ('rate({app="api"}[5m]', "end of query", 20),
    ('rate {app="api"}[5m]', "function only when ( follows", 0),
    ('sum by app (rate({app="api"}[5m]))', "label name sum", 0),
    ('sum(rate({app="api"}[5m])) by app', "label name app", 30),
    ('count_over_time({app="api"}[5m]) offset 5m', '"offset"', 33),
    ('rate({app="api"}[5m]) offset 5m', '"offset"', 22),
    ('sum(rate({app="api"}[5m])) by (a,)', '")"', 33),
    ('rate({app="api"} | json [5m] | unwrap x)', '"|"', 29),
    ('rate({app="api"}[5m] | unwrap x | json)', '"json"', 34),
    ('rate(({app="api"})[5m] | json | unwrap x)', 'unexpected "json", expected "unwrap"', 25),
    ('{app="api"} | unwrap x', '"unwrap"', 14),
    ('{app="api"} | json a=', "end of query", 21),
    ('{app="api"} | line_format', "end of query", 25),
    ('{app="api"} | logfmt | x == "a"', 'string "a"', 28),
    ('{app="api"} | logfmt | x > "1"', 'string "1"', 27),
    ('{app="api"} | logfmt | x = ip(1)', "number 1", 30),
    ('{app="api"} |= "x" or', "end of query", 21),
    ('{app="api"} | x="y" or vector(1)', '"vector"', 23),
    ('{app="api"} != 1', "number 1", 15),
    ('rate({app="api"}[5m]) > bool', "end of query", 28),
    ("bool 1 > 1", '"bool"', 0),
    ('rate({app="api"}[5m]) * on (a) group_left (sum(x))', '"sum"', 43),
    ('topk(-1, rate({app="api"}[5m]))', '","', 7),  # -1 is a literal, not the k parameter
    ('vector("1")', 'string "1"', 7),
    ('label_replace(rate({app="api"}[5m]), "a", "b", "c")', '")"', 50),
    ('{app="api"} | drop a,', "end of query", 21),
    ("sum()", '")"', 4),
    ("()", '")"', 1),
    ("", "end of query", 0),
    ("   ", "end of query", 3),
    ("# only a comment", "end of query", 16),
    ("x", "label name x", 0),
    ("1 +", "end of query", 3),
    (")", '")"', 0),
    ('{app="api"} | json | a!', 'label name !', 22),
    ('{app="api"} | logfmt -- strict', "label name strict", 24),  # two minus signs
    ('{app:"api"}', "label name :", 4),
]


@pytest.mark.parametrize(("query", "fragment", "offset"), SYNTAX_ERRORS)
def test_syntax_error(query: str, fragment: str, offset: int) -> None:
    errors = check_logql(query)
    assert errors, "no error reported"
    last = errors[-1]
    assert fragment in last.message, last.message
    assert last.offset == offset, last
    assert last.message.startswith("unexpected ")
    assert is_metric_query(query) is None


def test_syntax_message_names_the_alternatives_in_words() -> None:
    (error,) = check_logql('{app="api"} | json | level=')
    assert error.message.startswith("unexpected end of query, expected ")
    assert "IDENTIFIER" not in error.message and "PIPE" not in error.message
    assert error.message.count(",") <= 5


def test_semantic_problems_before_a_syntax_error_are_kept() -> None:
    errors = check_logql('{app=~"("} | json |')
    assert [e.offset for e in errors] == [6, 19]
    assert "invalid regex" in errors[0].message
    assert errors[1].message.startswith("unexpected end of query")
