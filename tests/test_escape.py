from __future__ import annotations

import math

import promql_parser
import pytest

from paladin_obs.escape import go_template_literal, promql_number, promql_string

HOSTILE = [
    "plain",
    'quote " inside',
    "back\\slash",
    "new\nline",
    "tab\tcr\r",
    "bell\x07 and del\x7f",
    '"} or vector(1) or {a="',
    "ünïcödé ✓",
    "{{ $labels.x }}",
    "line\u2028separator, paragraph\u2029, NEL\x85, zero width\u200b, tag\U000e0001",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_promql_string_round_trips_through_the_parser(value: str) -> None:
    expr = promql_parser.parse(f"up{{x={promql_string(value)}}}")
    matchers = expr.matchers.matchers
    assert [(m.name, m.value) for m in matchers] == [("x", value)]


@pytest.mark.parametrize(
    ("value", "text"),
    [(2, "2"), (2.0, "2"), (0.05, "0.05"), (1e-05, "1e-05"), (8589934592.0, "8589934592"),
     (math.inf, "+Inf"), (-math.inf, "-Inf"), (math.nan, "NaN"), (0.1 + 0.2, "0.30000000000000004")],
)
def test_promql_number(value: float, text: str) -> None:
    assert promql_number(value) == text
    if not math.isnan(value):
        assert float(text.replace("Inf", "inf")) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [("no braces", "no braces"), ("{{ $x }}", '{{"{"}}{{"{"}} $x }}'), ("a{b", 'a{{"{"}}b')],
)
def test_go_template_literal(value: str, text: str) -> None:
    assert go_template_literal(value) == text
