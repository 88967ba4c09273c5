"""The error record every LogQL check returns (re-exported by the package)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LogQLError"]


@dataclass(frozen=True)
class LogQLError:
    """One problem Loki would report; ``offset`` is a 0-based index into the query."""

    message: str
    offset: int
