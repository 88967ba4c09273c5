from __future__ import annotations

import pytest

from paladin_obs.durations import Duration, parse_duration


@pytest.mark.parametrize(
    ("text", "millis", "canonical"),
    [
        ("0", 0, "0s"),
        ("5m", 300_000, "5m"),
        ("90m", 5_400_000, "1h30m"),
        ("1h30m", 5_400_000, "1h30m"),
        ("30d", 2_592_000_000, "30d"),  # not 4w2d: weeks only when exact, as Prometheus
        ("28d", 2_419_200_000, "4w"),
        ("26h", 93_600_000, "1d2h"),
        ("500ms", 500, "500ms"),
        ("1y", 31_536_000_000, "1y"),
    ],
)
def test_parse_and_print(text: str, millis: int, canonical: str) -> None:
    parsed = parse_duration(text)
    assert parsed == Duration(millis)
    assert str(parsed) == canonical


@pytest.mark.parametrize("text", ["", "5", "5x", "m5", "5m1h", "1.5h", "-5m", "5 m", "\u0661m", "\uff15m"])
def test_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)
