"""PyYAML's block layout, written directly: the same bytes in a fraction of the time.

Generated files are mappings, sequences and scalars laid out in PyYAML's
block style, and the layout is simple: keys at the mapping's column,
sequences under a key not indented, a mapping in a sequence starting on the
item's line. What is hard, and differs between scalars, is how each scalar
is written (plain, quoted, escaped, a literal block). That is left to PyYAML
itself, once per distinct scalar: a fleet's rule files repeat the same
label values, durations and keys thousands of times, so nearly every scalar
is found in the memo. Its representer walk was most of the time of writing
YAML otherwise.

Anything this layout does not cover (a long or multi-line key, a quoted
scalar spanning lines, a type it does not know) raises ``Unusual`` and the
caller asks PyYAML for the whole document; a test compares both on real
output and on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class Unusual(Exception):
    """A document this layout does not reproduce; PyYAML writes it."""


#: Exact types only: PyYAML's safe dumper refuses subclasses (OrderedDict, str
#: subclasses), and so must this layout, by leaving them to it.
_SCALARS = frozenset({str, int, float, bool, type(None)})
_MEMO_LIMIT = 500_000
#: Longer scalars are not kept in the memo: they seldom recur (a dashboard's
#: JSON in its operator resource), and a fleet's would all stay alive.
_MEMO_MAX_CHARS = 4096
#: Text PyYAML writes as a literal block whatever else it holds: printable
#: ASCII lines, none ending in a space, none empty, a first one not indented,
#: one final line break (``|``, no indentation or chomping indicator).
_LITERAL = re.compile(r"[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?(?:\n[\x20-\x7E]*[\x21-\x7E])*\n")


class Emitter:
    """Writes documents with scalars rendered by ``render`` (a one-item list dumped by PyYAML)."""

    def __init__(self, render: Callable[[Any], str]) -> None:
        self._render = render
        self._values: dict[tuple[type, Any], list[str]] = {}
        self._keys: dict[tuple[type, Any], str] = {}

    def dump(self, data: Any) -> str:
        if type(data) is not dict or not data:
            raise Unusual
        out: list[str] = []
        self._mapping(data, 0, out)
        return "".join(out)

    def _mapping(self, data: dict[Any, Any], column: int, out: list[str]) -> None:
        """Every entry at ``column``; the caller has written the first entry's indentation."""
        pad = " " * column
        first = True
        for key, value in data.items():
            if not first:
                out.append(pad)
            first = False
            out.append(self._key(key))
            self._value(value, column, out)

    def _value(self, value: Any, column: int, out: list[str]) -> None:
        """A mapping value after ``key:``, the key at ``column``."""
        if type(value) is dict:
            if not value:
                out.append(": {}\n")
                return
            out.append(":\n" + " " * (column + 2))
            self._mapping(value, column + 2, out)
        elif type(value) is list:
            if not value:
                out.append(": []\n")
                return
            out.append(":\n")
            self._sequence(value, column, out)  # PyYAML's indentless sequence
        else:
            out.append(": ")
            self._scalar(value, column, out)

    def _sequence(self, items: list[Any], column: int, out: list[str]) -> None:
        pad = " " * column
        for item in items:
            out.append(pad + "- ")
            self._item(item, column, out)

    def _item(self, item: Any, column: int, out: list[str]) -> None:
        """A sequence item after its ``- ``, the dash at ``column``."""
        if type(item) is dict:
            if not item:
                out.append("{}\n")
                return
            self._mapping(item, column + 2, out)
        elif type(item) is list:
            if not item:
                out.append("[]\n")
                return
            inner = " " * (column + 2)
            for i, sub in enumerate(item):
                out.append("- " if i == 0 else inner + "- ")
                self._item(sub, column + 2, out)
        else:
            self._scalar(item, column, out)

    def _scalar(self, value: Any, column: int, out: list[str]) -> None:
        """A scalar after ``key: `` or ``- ``: literal blocks indented from ``column``."""
        if type(value) not in _SCALARS:
            raise Unusual
        if type(value) is str and len(value) > _MEMO_MAX_CHARS:
            if _LITERAL.fullmatch(value):
                # One replace, where PyYAML checks and writes each character.
                inner = "\n" + " " * (column + 2)
                out.append("|" + inner + value[:-1].replace("\n", inner) + "\n")
                return
            lines = self._lines(value)
        else:
            memo = _memo_key(value)
            found = self._values.get(memo)
            if found is None:
                found = self._lines(value)
                if len(self._values) >= _MEMO_LIMIT:  # a long-lived process: stay bounded
                    self._values.clear()
                self._values[memo] = found
            lines = found
        out.append(lines[0])
        if len(lines) > 1:
            pad = " " * column
            out.extend(pad + line if line != "\n" else line for line in lines[1:])

    def _lines(self, value: Any) -> list[str]:
        text = self._render([value])
        if not text.startswith("- ") or text.endswith("\n...\n"):
            # "..." closes a document whose scalar keeps its final line breaks
            # ("|+"): where it goes depends on the whole document.
            raise Unusual
        lines = text[2:].splitlines(keepends=True)
        if len(lines) > 1 and not lines[0].startswith(("|", ">")):
            raise Unusual  # a quoted scalar over several lines: its continuation rules differ
        return lines

    def _key(self, key: Any) -> str:
        if type(key) not in _SCALARS:
            raise Unusual
        memo = _memo_key(key)
        text = self._keys.get(memo)
        if text is None:
            rendered = self._render({key: None})
            # A simple key is written "key: null"; anything else (a "? " complex
            # key for long or multi-line text) is not this layout.
            if not rendered.endswith(": null\n") or "\n" in rendered[:-1] or rendered.startswith("?"):
                raise Unusual
            text = rendered[: -len(": null\n")]
            self._keys[memo] = text
        return text


def _memo_key(value: Any) -> tuple[type, Any]:
    """Equal scalars that are written differently stay apart: 1 and True by
    type, 0.0 and -0.0 (equal as numbers) by their text."""
    return (type(value), repr(value) if isinstance(value, float) else value)
