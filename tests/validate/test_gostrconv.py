"""Go's strconv rules (gostrconv.py), shared by the text/template and LogQL checkers.

Expected values are Go's: each row is what strconv (or Prometheus's strutil)
returns for the same text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from paladin_obs.validate.gostrconv import (
    ERR_RANGE,
    ERR_SYNTAX,
    StrconvError,
    parse_float,
    parse_int,
    parse_uint,
    prometheus_unquote,
    underscore_ok,
    unquote,
    unquote_char,
)


def outcome(parse: Callable[[str], object], text: str) -> object:
    """The value, or Go's error text."""
    try:
        return parse(text)
    except StrconvError as exc:
        return str(exc)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1_000", True), ("0x_1f", True), ("0b_1", True), ("-1_2", True), ("1.5_5e1_0", True), ("12", True),
     ("_1", False), ("1_", False), ("1__0", False), ("1_.5", False), ("0_x1", False), ("0x1_f", True), ("0x1_g", False),
     ("1_é", False)],
)  # fmt: skip
def test_underscore_ok(text: str, ok: bool) -> None:
    assert underscore_ok(text) is ok


@pytest.mark.parametrize(
    ("text", "base", "result"),
    [
        ("0", 0, 0), ("42", 0, 42), ("0x1F", 0, 31), ("0X_ff", 0, 255), ("0b101", 0, 5), ("0o17", 0, 15),
        ("017", 0, 15), ("1_000", 0, 1000), ("18446744073709551615", 0, 2**64 - 1),
        ("18446744073709551616", 0, ERR_RANGE), ("99999999999999999999x", 0, ERR_RANGE),
        ("", 0, ERR_SYNTAX), ("+1", 0, ERR_SYNTAX), ("089", 0, ERR_SYNTAX), ("0x", 0, ERR_SYNTAX),
        ("1__0", 0, ERR_SYNTAX), ("0xg", 0, ERR_SYNTAX), ("٣", 0, ERR_SYNTAX),
        ("017", 10, 17), ("1_0", 10, ERR_SYNTAX), ("0x1", 10, ERR_SYNTAX), ("z", 36, 35),
    ],
)  # fmt: skip
def test_parse_uint(text: str, base: int, result: object) -> None:
    assert outcome(lambda s: parse_uint(s, base), text) == result


@pytest.mark.parametrize(
    ("text", "base", "result"),
    [
        ("-5", 0, -5), ("+5", 0, 5), ("-0x10", 0, -16), ("9223372036854775807", 0, 2**63 - 1),
        ("-9223372036854775808", 0, -(2**63)), ("9223372036854775808", 0, ERR_RANGE),
        ("-9223372036854775809", 0, ERR_RANGE), ("-99999999999999999999", 0, ERR_RANGE),
        ("-", 0, ERR_SYNTAX), ("", 0, ERR_SYNTAX), ("--1", 0, ERR_SYNTAX), ("1.0", 0, ERR_SYNTAX),
        ("05", 10, 5), ("-1_0", 10, ERR_SYNTAX), ("1e2", 10, ERR_SYNTAX),
    ],
)  # fmt: skip
def test_parse_int(text: str, base: int, result: object) -> None:
    assert outcome(lambda s: parse_int(s, base), text) == result


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("1", 1.0), ("-2.5", -2.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("+1E-2", 0.01),
        ("1_000.5", 1000.5), ("0x1p-2", 0.25), ("0X1.8P1", 3.0), ("0x_1p0", 1.0), ("017", 17.0),
        ("1e-400", 0.0), ("Inf", math.inf), ("-infinity", -math.inf), ("+INF", math.inf),
        ("1e400", ERR_RANGE), ("0x1p1024", ERR_RANGE),
        ("", ERR_SYNTAX), (".", ERR_SYNTAX), ("1e", ERR_SYNTAX), ("1e+", ERR_SYNTAX), ("0x1", ERR_SYNTAX),
        ("0x1.5", ERR_SYNTAX), ("0b1", ERR_SYNTAX), ("1.2.3", ERR_SYNTAX), ("1__0", ERR_SYNTAX),
        ("_1", ERR_SYNTAX), ("1_", ERR_SYNTAX), ("1_e5", ERR_SYNTAX), ("-nan", ERR_SYNTAX),
        ("+NaN", ERR_SYNTAX), ("infx", ERR_SYNTAX), ("1 ", ERR_SYNTAX), ("٣", ERR_SYNTAX),
    ],
)  # fmt: skip
def test_parse_float(text: str, result: object) -> None:
    assert outcome(parse_float, text) == result


def test_parse_float_nan_and_negative_zero() -> None:
    assert math.isnan(parse_float("NaN"))
    assert math.copysign(1.0, parse_float("-0")) == -1.0


@pytest.mark.parametrize(
    ("text", "quote", "result"),
    [
        ("a", '"', (97, False, 1)), ("é", '"', (0xE9, True, 1)), ("\\n", '"', (10, False, 2)),
        ("\\x41", '"', (0x41, False, 4)), ("\\xff", '"', (0xFF, False, 4)), ("\\377", '"', (0xFF, False, 4)),
        ("\\u00e9", '"', (0xE9, True, 6)), ("\\U0001F600", '"', (0x1F600, True, 10)),
        ("\\'", "'", (39, False, 2)), ("'", '"', (39, False, 1)),
        ('"', '"', ERR_SYNTAX), ("\\'", '"', ERR_SYNTAX), ("\\q", '"', ERR_SYNTAX), ("\\", '"', ERR_SYNTAX),
        ("\\x4", '"', ERR_SYNTAX), ("\\400", '"', ERR_SYNTAX), ("\\18", '"', ERR_SYNTAX),
        ("\\ud800", '"', ERR_SYNTAX), ("\\U00110000", '"', ERR_SYNTAX), ("", '"', ERR_SYNTAX),
    ],
)  # fmt: skip
def test_unquote_char(text: str, quote: str, result: object) -> None:
    assert outcome(lambda s: unquote_char(s, 0, quote), text) == result


def test_unquote_char_surrogates_for_prometheus() -> None:
    assert unquote_char("\\ud800", 0, '"', allow_surrogates=True) == (0xD800, True, 6)
    assert (
        outcome(lambda s: unquote_char(s, 0, '"', allow_surrogates=True), "\\U00110000")
        == ERR_SYNTAX
    )


# Where Go's strconv.Unquote and Prometheus's strutil.Unquote part ways, both columns say so.
@pytest.mark.parametrize(
    ("token", "go", "prometheus"),
    [
        ('"abc"', "abc", "abc"), ('""', "", ""), ('"a\'b"', "a'b", "a'b"),
        ('"\\t\\"\\\\"', '\t"\\', '\t"\\'), ('"\\x41\\101\\u00e9\\U0001F600"', "AAé😀", "AAé😀"),
        ('"\\xc3\\xbf"', "ÿ", "ÿ"), ('"\\xff"', "\udcff", "\udcff"), ('"é\\xa9"', "é\udca9", "é\udca9"),
        ("`a\\nb`", "a\\nb", "a\\nb"), ("`a\rb`", "ab", "a\rb"),
        ("'x'", "x", "x"), ("'\\''", "'", "'"), ("''", "", ""), ("'ab'", ERR_SYNTAX, "ab"),
        ('"\\ud800"', ERR_SYNTAX, "\ufffd"),
        ('"a', ERR_SYNTAX, ERR_SYNTAX), ("a", ERR_SYNTAX, ERR_SYNTAX), ('"a"b"', ERR_SYNTAX, ERR_SYNTAX),
        ("`a`b`", ERR_SYNTAX, ERR_SYNTAX), ('"a\nb"', ERR_SYNTAX, ERR_SYNTAX), ("/a/", ERR_SYNTAX, ERR_SYNTAX),
        ('"\\q"', ERR_SYNTAX, ERR_SYNTAX), ('"\\400"', ERR_SYNTAX, ERR_SYNTAX), ('"\\\'"', ERR_SYNTAX, ERR_SYNTAX),
    ],
)  # fmt: skip
def test_unquote(token: str, go: str, prometheus: str) -> None:
    assert outcome(unquote, token) == go
    assert outcome(prometheus_unquote, token) == prometheus
