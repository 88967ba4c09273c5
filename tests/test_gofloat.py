"""Go's float printing, checked against text Go produced (Sloth's published
rules and Prometheus's ingestion), not against our own output."""

from __future__ import annotations

import math

import pytest

from paladin_obs.gofloat import go_f, go_g, openmetrics_float


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # From Sloth's golden rules (Go's %v).
        ((100 - 99.9) / 100, "0.0009999999999999432"),
        (99.9 / 100, "0.9990000000000001"),
        (14.4, "14.4"),
        (6.0, "6"),
        (2 * 672 / 100 / 1, "13.44"),
        (5 * 672 / 100 / 6, "5.6000000000000005"),
        (10 * 672 / 100 / 24, "2.8000000000000003"),
        (10 * 672 / 100 / 72, "0.9333333333333333"),
        (0.95, "0.95"),
        (30.0, "30"),
        # strconv's shortest %g switches to exponents below 1e-4 and from 1e+06.
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (123456.0, "123456"),
        (1e6, "1e+06"),
        (1234567.5, "1.2345675e+06"),
        (-2.5, "-2.5"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
        (math.nan, "NaN"),
        (0.0, "0"),
    ],
)
def test_go_g(value: float, text: str) -> None:
    assert go_g(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(99.9, "99.9"), (95.0, "95"), (99.95, "99.95"), (0.00001, "0.00001"), (1e6, "1000000")],
)
def test_go_f_never_uses_an_exponent(value: float, text: str) -> None:
    # Sloth's sloth_objective label: strconv.FormatFloat(objective, 'f', -1, 64).
    assert go_f(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    # Prometheus 3 stores le="1.0", le="0.05", le="+Inf", le="1e+06".
    [(1.0, "1.0"), (2.0, "2.0"), (0.05, "0.05"), (10.0, "10.0"), (1e6, "1e+06"), (math.inf, "+Inf")],
)
def test_openmetrics_float(value: float, text: str) -> None:
    assert openmetrics_float(value) == text
