"""Node positions of a big YAML file as small integers, made Locations when asked.

A 10,000-rule file has 230,000 located nodes; as ``Location`` objects its
value and key positions took 60 MB and a tenth of its loading time, and
almost none of them is ever shown (only where a problem is). ``Positions``
is the ``dict[Path, Location]`` ``Document.where`` reads, holding
``line << 25 | column`` (a file is at most 16 MiB: a column fits in 25 bits)
and giving a ``Location`` on every read through its methods.

Reading it through the C API (``dict(p)``, ``{**p}``, ``dict.update``) sees
the integers: only ``Document`` methods and the rule-file validation read
these documents, both through the methods here.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, ValuesView
from typing import Any

from paladin_obs.diagnostics import Location, Path

__all__ = ["COLUMN", "SHIFT", "Positions", "pack"]

SHIFT = 25
COLUMN = (1 << SHIFT) - 1


def pack(line: int, column: int) -> int:
    """A 1-based line and column as stored."""
    return line << SHIFT | column


class Positions(dict[Path, Any]):
    """Packed positions (``pack``) of one file, read as ``Location``s."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def location(self, packed: int) -> Location:
        return Location(self.file, packed >> SHIFT, packed & COLUMN)

    def __getitem__(self, path: Path) -> Location:
        return self.location(dict.__getitem__(self, path))

    def get(self, path: Path, default: Any = None) -> Any:
        packed = dict.get(self, path)
        return default if packed is None else self.location(packed)

    def items(self) -> ItemsView[Path, Location]:  # type: ignore[override]
        return {p: self.location(v) for p, v in dict.items(self)}.items()

    def values(self) -> ValuesView[Location]:  # type: ignore[override]
        return {p: self.location(v) for p, v in dict.items(self)}.values()

    def __iter__(self) -> Iterator[Path]:
        return dict.__iter__(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Positions):
            return self.file == other.file and dict.__eq__(self, other)
        return isinstance(other, dict) and dict(self.items()) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # as dict's

    def __repr__(self) -> str:
        return repr(dict(self.items()))
