"""Go's literal rules (golex.py): strconv, time.ParseDuration, model.ParseDuration, humanize.ParseBytes."""

from __future__ import annotations

import math

import pytest

from paladin_obs.validate.logql.golex import (
    go_atoi_ok,
    go_float,
    go_unquote,
    humanize_bytes_ok,
    prom_duration_error,
    time_duration_ok,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1.0), ("0.5", 0.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("1E-2", 0.01),
        ("1_000", 1000.0), ("017", 17.0), ("0x1p3", 8.0), ("0x1.8p1", 3.0), ("0X_1p0", 1.0),
        ("1e-400", 0.0), ("-2", -2.0),
        ("0x1F", None), ("0x1.5", None), ("0b1", None), ("0o7", None), ("1e400", None), ("1__0", None),
        ("_1", None), ("1_", None), ("1e", None), (".", None), ("", None), ("1.2.3", None),
        ("Inf", math.inf), ("-infinity", -math.inf), ("-nan", None), ("+NaN", None), ("info", None),
    ],
)  # fmt: skip
def test_go_float(text: str, value: float | None) -> None:
    assert go_float(text) == value


def test_go_float_nan_is_unsigned_only() -> None:
    nan = go_float("nan")
    assert nan is not None and math.isnan(nan)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("5", True), ("05", True), ("9223372036854775807", True), ("9223372036854775808", False),
     ("1_0", False), ("5.0", False), ("1e2", False), ("0x5", False), ("", False)],
)  # fmt: skip
def test_go_atoi(text: str, ok: bool) -> None:
    assert go_atoi_ok(text) is ok


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ('"abc"', "abc"), ("`a\\b`", "a\\b"), ('"\\t\\n\\\\\\""', '\t\n\\"'), ('"\\x41\\101\\u00e9\\U0001F600"', "AAé😀"),
        ('"\\xff"', "\udcff"), ('"\\ud800"', "\ufffd"),
        ('"\\q"', None), ('"\\400"', None), ('"\\U00110000"', None), ('"a\'"', "a'"), ('"\\\'"', None),
        ('"a', None), ("`a`b`", None), ('""', ""),
    ],
)  # fmt: skip
def test_go_unquote(token: str, value: str | None) -> None:
    assert go_unquote(token) == value


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0", True), ("5m", True), ("1h30m", True), ("1y2w3d4h5m6s7ms", True), ("90s", True),
     ("", False), ("5", False), ("1.5h", False), ("5m1h", False), ("5m5m", False), ("5us", False),
     ("-5m", False), ("106751d", True), ("106752d", False)],
)  # fmt: skip
def test_prom_duration(text: str, ok: bool) -> None:
    assert (prom_duration_error(text) is None) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0", True), ("-0", True), ("+5s", True), ("1.5h", True), (".5s", True), ("1.s", True),
     ("300ms", True), ("1h30m", True), ("5µs", True), ("5μs", True), ("10ns", True), ("-2562047h", True),
     ("", False), ("-", False), ("5", False), ("5d", False), (".s", False), ("1e3s", False),
     ("2562048h", False)],
)  # fmt: skip
def test_time_duration(text: str, ok: bool) -> None:
    assert time_duration_ok(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("10KB", True), ("10kB", True), ("1.5MiB", True), ("3B", True), ("5", True), ("1,000KB", True),
     ("2PiB", True), ("16EiB", False), ("10XB", False), ("KB", False), ("1.2.3KB", False), ("1٣KB", False)],
)  # fmt: skip
def test_humanize_bytes(text: str, ok: bool) -> None:
    assert humanize_bytes_ok(text) is ok
