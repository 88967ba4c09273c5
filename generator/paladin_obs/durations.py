"""Prometheus durations: parsed once into milliseconds, printed in canonical form.

Canonical printing (largest units first, ``28d`` as ``4w``, ``30d`` as ``30d``) keeps generated
names and windows identical to what Prometheus and Sloth print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS: tuple[tuple[str, int], ...] = (
    ("y", 365 * 24 * 3600 * 1000),
    ("w", 7 * 24 * 3600 * 1000),
    ("d", 24 * 3600 * 1000),
    ("h", 3600 * 1000),
    ("m", 60 * 1000),
    ("s", 1000),
    ("ms", 1),
)
#: Prometheus keeps durations as int64 nanoseconds: about 292 years.
MAX_MILLIS = (2**63 - 1) // 1_000_000
_PATTERN = re.compile(
    r"^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$"
)


@dataclass(frozen=True, order=True)
class Duration:
    """A non-negative duration in milliseconds, Prometheus's own resolution."""

    millis: int

    @property
    def seconds(self) -> float:
        return self.millis / 1000

    def __str__(self) -> str:
        if self.millis == 0:
            return "0s"
        out, rest = "", self.millis
        for unit, size in _UNITS:
            # Like Prometheus: years and weeks only when exact (90d, not 12w6d).
            if unit in ("y", "w") and rest % size:
                continue
            count, rest = divmod(rest, size)
            if count:
                out += f"{count}{unit}"
        return out


def parse_duration(text: str) -> Duration:
    """Parse a Prometheus duration such as ``1h30m``; ValueError says why not."""
    if text == "0":
        return Duration(0)
    match = _PATTERN.match(text)
    if not text or match is None:
        raise ValueError(
            f"invalid duration {text!r}: use Prometheus units y, w, d, h, m, s, ms, "
            "largest first (e.g. 5m, 1h30m)"
        )
    millis = sum(int(g) * size for g, (_, size) in zip(match.groups(), _UNITS, strict=True) if g)
    if millis > MAX_MILLIS:
        raise ValueError(
            f"duration {text!r} is out of range: Prometheus durations end at about 292y"
        )
    return Duration(millis)


def go_duration(value: Duration) -> str:
    """``value`` as Go's ``time.ParseDuration`` reads it (no d, w or y units):
    what Alloy and Promtail settings take. ``1d`` → ``24h``, ``90s`` → ``1m30s``."""
    if value.millis == 0:
        return "0s"
    out, rest = "", value.millis
    for unit, size in (("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        count, rest = divmod(rest, size)
        if count:
            out += f"{count}{unit}"
    return out
