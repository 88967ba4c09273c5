"""The public API (``paladin_obs.validate.logql``): check_logql, position, is_metric_query.

Besides the contract, the properties every caller relies on: any text yields a
list (never a traceback), however long or deeply nested; the same text yields
the same list; checks may run from several threads.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.validate.logql.samples import VALID_LOG, VALID_METRIC

from paladin_obs.validate.logql import (
    MAX_QUERY_BYTES,
    LogQLError,
    check_logql,
    is_metric_query,
    position,
)


def test_error_record_shape() -> None:
    (error,) = check_logql("{}")
    assert isinstance(error, LogQLError)
    assert error.message[0].islower() and "\n" not in error.message
    assert error.offset == 0
    with pytest.raises(AttributeError):
        error.offset = 3  # type: ignore[misc]  # frozen


def test_metric_flag_refuses_log_queries_like_the_ruler() -> None:
    query = '{app="api"} |= "error"'
    assert check_logql(query) == []
    (error,) = check_logql(query, metric=True)
    assert error.message.startswith("a rule needs a metric query, e.g. rate(...)")
    assert error.offset == 0
    assert check_logql("(" + query + ")", metric=True)[0].offset == 1


def test_metric_flag_adds_nothing_to_metric_or_broken_queries() -> None:
    assert check_logql('rate({app="api"}[5m])', metric=True) == []
    assert check_logql("1", metric=True) == []
    assert len(check_logql('{app="api"', metric=True)) == 1


def test_metric_flag_keeps_the_semantic_errors() -> None:
    errors = check_logql('{app=~".*"}', metric=True)
    assert [e.offset for e in errors] == [0, 0]


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [("abc", 0, (1, 1)), ("abc", 2, (1, 3)), ("abc", 3, (1, 4)), ("a\nbc", 2, (2, 1)), ("a\nbc", 3, (2, 2)),
     ("a\n\nb", 3, (3, 1)), ("", 0, (1, 1)), ("ab", 99, (1, 3)), ("ab", -5, (1, 1))],
)  # fmt: skip
def test_position(text: str, offset: int, expected: tuple[int, int]) -> None:
    assert position(text, offset) == expected


def test_position_of_a_multi_line_error() -> None:
    query = 'sum by (app) (\n  rate({app="api"}[5m]) by (x)\n)'
    (error,) = check_logql(query)
    assert position(query, error.offset) == (2, 25)


def test_is_metric_query() -> None:
    assert is_metric_query('{app="api"}') is False
    assert is_metric_query('sum(rate({app="api"}[5m]))') is True
    assert is_metric_query("vector(1) + 1") is True
    assert is_metric_query("{}") is False  # parses; validity is check_logql's business
    assert is_metric_query("sum(") is None
    assert is_metric_query('"x') is None
    assert is_metric_query("x" * MAX_QUERY_BYTES) is None


def test_too_long_query_is_refused_up_front() -> None:
    query = '{app="' + "a" * MAX_QUERY_BYTES + '"}'
    (error,) = check_logql(query)
    assert "too long" in error.message and error.offset == 0
    just_fits = '{app="' + "a" * (MAX_QUERY_BYTES - 9) + '"}'
    assert check_logql(just_fits) == []


@pytest.mark.parametrize(
    "query",
    [
        "(" * 20000 + "1" + ")" * 20000,
        "sum(" * 5000 + "vector(1)" + ")" * 5000,
        "1" + "^1" * 20000,
        "1" + " + 1" * 20000,
        '{app="api"} | ' + "(" * 20000 + 'a="b"' + ")" * 20000,
        '{app="api"}' + ' |= "x"' * 10000,
        "(" * 40000,
    ],
    ids=["parens", "aggregations", "power-chain", "sum-chain", "label-filter-parens", "filters", "unclosed"],
)
def test_deep_or_long_input_never_exhausts_the_stack(query: str) -> None:
    errors = check_logql(query)
    assert all(isinstance(e, LogQLError) for e in errors)


def test_deterministic_and_thread_safe() -> None:
    queries = VALID_LOG + VALID_METRIC + ["{}", 'sum({app="a"})', "rate(", '{a=~"("}']
    expected = [check_logql(q) for q in queries]
    assert expected == [check_logql(q) for q in queries]
    results: list[list[list[LogQLError]]] = []

    def work() -> None:
        results.append([check_logql(q) for q in queries])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def _assert_well_formed(text: str) -> None:
    errors = check_logql(text)
    assert isinstance(errors, list)
    for error in errors:
        assert isinstance(error, LogQLError)
        assert isinstance(error.message, str) and error.message
        assert 0 <= error.offset <= len(text)
        assert not error.message.startswith("internal error"), error.message
    assert errors == sorted(errors, key=lambda e: e.offset)
    assert is_metric_query(text) in (True, False, None)
    assert check_logql(text, metric=True) is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    _assert_well_formed(text)


_PIECES = [
    '{app="api"}', "{", "}", "(", ")", "[5m]", "[", "]", ",", "|", "|=", "|~", "!=", "!~", "|>", "!>", "=", "=~",
    "==", ">", "<=", "+", "-", "*", "/", "^", "and", "or", "unless", "bool", "on", "ignoring", "group_left",
    "group_right", "by", "without", "offset", "5m", "-1h", "10KB", "1", "0.5", "0x1", "0b", '"x"', '"("', "`<a>`",
    '"<_> <_>"', "app", "json", "logfmt", "--strict", "pattern", "regexp", "unpack", "unwrap", "bytes(",
    "duration(", "line_format", "label_format", "drop", "keep", "decolorize", "ip(", "rate(", "sum(", "topk(",
    "quantile_over_time(", "sum_over_time(", "count_over_time(", "label_replace(", "vector(", "#", "\n", " ",
    "'", "\\", '"', "`", "\x00", "é", "\udcff",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join))
def test_logql_shaped_text_never_raises(text: str) -> None:
    _assert_well_formed(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VALID_LOG + VALID_METRIC), st.integers(0, 10_000), st.integers(0, 10_000), st.text(max_size=3))
def test_mutated_valid_queries_never_raise(query: str, start: int, length: int, insert: str) -> None:
    cut = start % (len(query) + 1)
    _assert_well_formed(query[:cut] + insert + query[cut + length % 4 :])
