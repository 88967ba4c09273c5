"""What importers share: reading a source field by field, and checking and
printing the spec they produce.

A migration is only trusted if every refusal points at the line of the
source that caused it. So sources are read through ``Source`` (each problem
located and collected, all reported in one run), and the produced spec keeps,
in ``Imported``, where each of its values came from: our schema's verdict on
the spec is then reported at the source line, not at a file that does not
exist yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.document import Document
from paladin_obs.formats.yaml_text import dump_yaml
from paladin_obs.spec_schema import validate_spec

_MISSING = object()


class Source:
    """One loaded source document, read field by field.

    Readers return ``None`` (or an empty value) for an absent or wrong field
    and record why, so a caller can carry on and find the next problem.
    """

    def __init__(self, doc: Document, errors: list[Diagnostic]) -> None:
        self.doc = doc
        self.errors = errors

    def get(self, path: Path) -> Any:
        """The value at ``path``; ``_MISSING`` when a step is absent."""
        value: Any = self.doc.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return _MISSING
            elif not isinstance(value, dict) or part not in value:
                return _MISSING
            value = value[part]
        return value

    def has(self, path: Path) -> bool:
        return self.get(path) is not _MISSING

    def loc(self, path: Path, *, key: bool = False) -> Location:
        return self.doc.where(path, key=key)

    def error(self, path: Path, message: str, *, key: bool = False) -> None:
        self.errors.append(Diagnostic(self.loc(path, key=key), message))

    def _typed(self, path: Path, kinds: tuple[type, ...], what: str, required: bool) -> Any:
        value = self.get(path)
        if value is _MISSING or value is None:
            if required:
                self.error(path, f"{_name(path)} is required")
            return None
        if isinstance(value, kinds) and not (bool not in kinds and isinstance(value, bool)):
            return value
        hint = self.doc.yaml11_hint(path)
        self.error(path, f"{_name(path)}: expected {what}" + (f": {hint}" if hint else ""))
        return None

    def text(self, path: Path, *, required: bool = False) -> str | None:
        value = self._typed(path, (str,), "text", required)
        if value == "" and required:
            self.error(path, f"{_name(path)} must not be empty")
            return None
        return value  # type: ignore[no-any-return]

    def number(self, path: Path, *, required: bool = False) -> int | float | None:
        return self._typed(path, (int, float), "a number", required)  # type: ignore[no-any-return]

    def flag(self, path: Path) -> bool:
        return bool(self._typed(path, (bool,), "true or false", False))

    def items(self, path: Path, *, required: bool = False) -> list[Any]:
        value = self._typed(path, (list,), "a list", required)
        return value if isinstance(value, list) else []

    def mapping(
        self,
        path: Path,
        allowed: Iterable[str],
        *,
        refused: Mapping[str, str] | None = None,
        required: bool = False,
    ) -> dict[str, Any] | None:
        """The mapping at ``path``, each key known: a key in ``refused`` is
        reported with its reason, any other unknown key as unknown."""
        value = self._typed(path, (dict,), "a mapping", required)
        if value is None:
            return None
        known = list(allowed)
        for key in value:
            if refused and key in refused:
                self.error((*path, key), refused[key], key=True)
            elif key not in known:
                self.error(
                    (*path, key),
                    f"unknown key {key!r} in {_name(path)}; allowed: {', '.join(known)}",
                    key=True,
                )
        return value  # type: ignore[no-any-return]

    def labels(self, path: Path) -> dict[str, str]:
        """A name-to-text mapping (labels, annotations), as Go's map[string]string reads it."""
        value = self._typed(path, (dict,), "a mapping of names to text", False)
        out: dict[str, str] = {}
        for key, item in (value or {}).items():
            if isinstance(item, str):
                out[key] = item
            elif isinstance(item, int) and not isinstance(item, bool):
                out[key] = str(item)  # Sloth's YAML reader turns a bare integer into its text
            else:
                hint = self.doc.yaml11_hint((*path, key))
                if not hint:
                    hint = "give it a text value" if item is None else f'quote it ("{item}")'
                self.error((*path, key), f"{_name((*path, key))}: expected text; {hint}")
        return out


def _name(path: Path) -> str:
    """``slos[0].sli`` style, as the source writes it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out or "the document"


@dataclass
class Imported:
    """Produced spec data plus, for each of its paths, where the source said it."""

    file: str
    data: dict[str, Any] = field(default_factory=dict)
    positions: dict[Path, Location] = field(default_factory=dict)
    key_positions: dict[Path, Location] = field(default_factory=dict)

    def put(self, path: Path, value: Any, where: Location, *, key: Location | None = None) -> None:
        """Set ``value`` at ``path`` (creating mappings on the way) from ``where``."""
        node: Any = self.data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
        self.positions[path] = where
        self.key_positions[path] = key or where

    def data_at(self, path: Path) -> Any:
        node: Any = self.data
        for part in path:
            node = node[part]
        return node

    def drop(self, path: Path) -> None:
        """Remove a value placed earlier (a mapping that stayed empty)."""
        del self.data_at(path[:-1])[path[-1]]

    def locate(self, path: Path, where: Location, *, key: Location | None = None) -> None:
        """Remember where an already placed value (or a mapping's key) came from."""
        self.positions.setdefault(path, where)
        self.key_positions.setdefault(path, key or where)


def check_spec(imported: Imported) -> list[Diagnostic]:
    """Our schema's verdict on the produced spec, located in the source."""
    positions = dict(imported.positions)
    positions.setdefault((), Location(imported.file, 1, 1))
    doc = Document(imported.file, imported.data, positions, dict(imported.key_positions))
    return validate_spec(doc)


def render_spec(data: Mapping[str, Any], header: Iterable[str]) -> str:
    """The spec as YAML text under a comment header (one ``#`` line per entry)."""
    lines = "".join(f"# {_UNPRINTABLE.sub(_escape, line)}\n" for line in header)
    return lines + dump_yaml(dict(data))


#: Line breaks (YAML's, NEL and U+2028/9 included) and controls: a file name
#: holding one must not end the comment and start spec text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")
