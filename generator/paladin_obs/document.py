"""A loaded YAML document: plain data plus the location of every node.

Every stage after loading reports problems through ``where``/``at``, so a
message points at the line a person wrote, whichever stage found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Location, Path


@dataclass
class Document:
    """Loaded data plus the location of every value and every mapping key."""

    file: str
    data: Any
    positions: dict[Path, Location] = field(default_factory=dict)
    key_positions: dict[Path, Location] = field(default_factory=dict)
    yaml11_bools: dict[Path, str] = field(default_factory=dict)
    #: Scalars written as ``|`` or ``>`` blocks: their text starts on the next line.
    block_scalars: set[Path] = field(default_factory=set)
    #: The source text (comments hold lint suppressions).
    text: str = ""

    def where(self, path: Path, *, key: bool = False) -> Location:
        """Best location for ``path``: the key when asked, else the value,
        else the nearest enclosing node that exists."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        probe = path
        while True:
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe[:-1]

    def yaml11_hint(self, path: Path) -> str:
        """Why a value at (or under) ``path`` is a boolean although text was meant."""
        for probe, text in self.yaml11_bools.items():
            if probe[: len(path)] == path:
                return f'YAML 1.1 reads unquoted {text!r} as a boolean; quote it ("{text}")'
        return ""

    def at(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.where(path, key=key), message, path)
