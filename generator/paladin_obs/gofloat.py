"""Numbers printed the way Go prints them.

Sloth writes its factors and ratios with Go's ``%v`` (``14.4``, ``6`` not
``6.0``, ``0.0009999999999999432``, ``1e-05``) and its objective label with
``strconv.FormatFloat(f, 'f', -1, 64)``; Prometheus 3 writes a bucket's ``le``
as Go's shortest ``%g`` plus ``.0`` when it has neither point nor exponent.
Anything matching those rules by name or by label has to print the same text,
so the three forms live here, built on Python's shortest round-trip digits
(the same digits Go's shortest formatting picks).
"""

from __future__ import annotations

import math
from decimal import Decimal


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``abs(value)`` and the decimal point position."""
    sign, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    del sign
    text = "".join(map(str, digits))
    assert isinstance(exponent, int)
    return text, len(text) + exponent


def _special(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    return None


def _fixed(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def go_g(value: float) -> str:
    """Go's ``%v`` / ``strconv.FormatFloat(v, 'g', -1, 64)``."""
    special = _special(value)
    if special is not None:
        return special
    digits, point = _digits(value)
    sign = "-" if value < 0 else ""
    exp = point - 1
    # strconv: for the shortest form, %e below 1e-4 and from 1e+06 on.
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _fixed(digits, point)


def go_f(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'f', -1, 64)``: shortest digits, never an exponent."""
    special = _special(value)
    if special is not None:
        return special
    digits, point = _digits(value)
    return ("-" if value < 0 else "") + _fixed(digits, point)


def openmetrics_float(value: float) -> str:
    """How Prometheus 3 normalises ``le`` and ``quantile`` values at ingestion."""
    text = go_g(value)
    if any(c in text for c in ".eIN"):
        return text
    return text + ".0"
