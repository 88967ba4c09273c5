"""A fast path for the YAML rule files are written in, exact or not at all.

Composing libyaml's events into located nodes costs about a second for a
10,000-rule file, most of it one Python object per event and per node. Rule
files use a small part of YAML: block mappings and sequences, plain, quoted
and ``|``/``>`` block scalars, comments. This module reads that part line by
line, straight into data and positions, and gives up (``None``) on anything
else or anything it is not sure of: flow collections, anchors, aliases, tags,
merge keys, directives, documents markers, tabs, line breaks other than LF
(CR, NEL, LS, PS), multi-line plain or quoted scalars, empty values, quoted
or unusual keys, duplicate keys, whitespace-only lines inside block scalars,
odd indentation and every error. The located loader then reads the file as before, so the result, and
every message about a bad file, is always exactly what it gives; the tests
compare both on every YAML file of the repository and on generated input.

Only ``text_scalars`` loading (rule files) takes this path: every scalar but
a null is its source text, so no YAML 1.1 typing is involved. Positions are
kept packed (``yaml_positions``), keys interned: a big file's nodes are
mostly the same few keys.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any

from paladin_obs import heap
from paladin_obs.diagnostics import Path
from paladin_obs.document import Document
from paladin_obs.limits import MAX_NODES
from paladin_obs.yaml_positions import SHIFT, Positions

__all__ = ["line_based", "load_block_part", "load_block_yaml"]

#: Nesting the fast path handles; deeper files (none real) take the slow one.
_MAX_DEPTH = 40
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-/]*):(?: +|$)")
_NULLS = frozenset(("~", "null", "Null", "NULL"))
#: First characters of a value the fast path leaves to the located loader.
_UNSURE_START = frozenset("&*![]{}%@`?:,#-")
_BLOCK_HEADER = re.compile(r"([|>])([-+]?) *(?:#.*)?")
_AFTER_QUOTE = re.compile(r"(?: +#.*| *)")
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0abtnvfre "/\\N_LP])')
_SIMPLE = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


class _Unsure(Exception):
    """Not certainly read as the located loader reads it: let that one read it."""


def load_block_yaml(text: str, file: str) -> Document | None:
    """``text`` (checked and without BOM) loaded as ``load_text(text_scalars=True,
    first_document=True)`` would load it, or None when not certain to."""
    part = load_block_part(text, file)
    return None if part is None else part[0]


def load_block_part(text: str, file: str, first_item: int = 0) -> tuple[Document, int] | None:
    """``load_block_yaml``, and the number of nodes read (``MAX_NODES`` applies
    to a whole file read in parts: ``validate.rules_split``).

    ``first_item`` is the index of the first item of the sequence under the
    root's key: a part of a file cut at an item starts with the items before
    it blanked out, so its items keep the paths they have in the whole file;
    the blanked ones are ``None`` in the data.
    """
    if not line_based(text):
        return None
    doc = Document(file, None, Positions(file), Positions(file), text=text)
    reader = _Reader(text, doc)
    reader.first_item = first_item
    try:
        with heap.building():
            doc.data = reader.document()
    except (_Unsure, RecursionError):
        return None
    return doc, reader.nodes()


#: Characters that make lines not what ``str.split("\n")`` gives: tabs, and
#: the line breaks YAML knows besides LF (CR, NEL, LS, PS).
_NOT_LINE_BASED = re.compile("[\t\r\x85\u2028\u2029]")


def line_based(text: str) -> bool:
    """Whether ``text`` can be read a line at a time: it ends with a line break,
    its only line break is LF, and it has no tab. YAML also breaks lines at
    U+0085, U+2028 and U+2029: split at LF alone, such a line would be read
    as one where the located loader reads two."""
    if not text.endswith("\n"):
        return False
    if text.isascii():  # the common case: two scans in C, not a regex (20 ms on 4 MB)
        return "\t" not in text and "\r" not in text
    return _NOT_LINE_BASED.search(text) is None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    __slots__ = (
        "block_scalars",
        "file",
        "first_item",
        "i",
        "key_positions",
        "lines",
        "positions",
        "ready",
        "ready_indent",
    )

    def __init__(self, text: str, doc: Document) -> None:
        self.lines = text.split("\n")
        self.i = 0
        self.file = doc.file
        # Packed positions (``yaml_positions.Positions``), typed as stored.
        self.positions: dict[Path, Any] = doc.positions
        self.key_positions: dict[Path, Any] = doc.key_positions
        self.block_scalars = doc.block_scalars
        self.first_item = 0
        self.ready = -1
        self.ready_indent = -1

    def skip(self) -> int:
        """Move to the next line with content; its indentation (-1 at the end).

        Remembered for the line it stops at: a scalar looks ahead for a
        continuation and its mapping then asks again about the same line.
        """
        i = self.i
        if i == self.ready:
            return self.ready_indent
        lines = self.lines
        found = -1
        while i < len(lines):
            line = lines[i]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                found = len(line) - len(stripped)
                break
            i += 1
        self.i = self.ready = i
        self.ready_indent = found
        return found

    def nodes(self) -> int:
        """Nodes read: one position per value, one per key (no path is read twice)."""
        return len(self.positions) + len(self.key_positions)

    def document(self) -> Any:
        if self.skip() != 0:
            raise _Unsure  # empty, or a root indented (both rare: the loader decides)
        first = self.lines[self.i]
        if first.startswith(("---", "...", "%")):
            raise _Unsure
        data = self.block(0, ())
        if self.skip() != -1 or self.nodes() > MAX_NODES:
            raise _Unsure  # counted at the end: reading is linear in the text anyway
        return data

    def block(self, indent: int, path: Path) -> Any:
        if len(path) > _MAX_DEPTH:
            raise _Unsure
        content = self.lines[self.i][indent:]
        if content == "-" or content.startswith("- "):
            return self.sequence(indent, path)
        return self.mapping(indent, path)

    def mapping(self, indent: int, path: Path) -> dict[str, Any]:
        self.positions[path] = (self.i + 1) << SHIFT | (indent + 1)
        out: dict[str, Any] = {}
        while True:
            found = self.skip()
            if found < indent:
                return out
            if found > indent:
                raise _Unsure
            line = self.lines[self.i]
            match = _KEY.match(line, indent)
            if match is None:
                raise _Unsure  # a list item among keys, a quoted key, an error...
            key = intern(match.group(1))
            if key in out or key == "<<":
                raise _Unsure
            child = (*path, key)
            self.key_positions[child] = (self.i + 1) << SHIFT | (indent + 1)
            start = match.end()
            if start == len(line) or line[start] == "#":
                self.i += 1
                below = self.skip()
                if below > indent:
                    out[key] = self.block(below, child)
                elif below == indent and self.lines[self.i][indent] == "-":
                    out[key] = self.sequence(indent, child)
                else:
                    raise _Unsure  # an empty value: its position is libyaml's to tell
                continue
            out[key] = self.scalar(line, start, indent, child)

    def sequence(self, indent: int, path: Path) -> list[Any]:
        self.positions[path] = (self.i + 1) << SHIFT | (indent + 1)
        out: list[Any] = []
        if self.first_item and len(path) == 1:
            out, self.first_item = [None] * self.first_item, 0
        while True:
            found = self.skip()
            if found < indent:
                return out
            if found > indent:
                raise _Unsure
            line = self.lines[self.i]
            if line[indent] != "-":
                return out  # a key of the mapping this list is the value of
            if not line.startswith("- ", indent):
                raise _Unsure
            child = (*path, len(out))
            start = _indent(line[indent + 1 :]) + indent + 1
            if start == len(line) or line[start] == "#":
                raise _Unsure  # the item's content below its dash: rare
            if _KEY.match(line, start):
                # "- key: value": the dash is indentation of the item's mapping.
                self.lines[self.i] = line[:indent] + " " + line[indent + 1 :]
                self.ready = -1  # that line's indentation changed
                out.append(self.mapping(start, child))
            else:
                out.append(self.scalar(line, start, indent, child))

    def scalar(self, line: str, start: int, parent: int, path: Path) -> str | None:
        """The scalar at ``line[start:]``, a value of a node indented ``parent``."""
        self.positions[path] = (self.i + 1) << SHIFT | (start + 1)
        first = line[start]
        value: str | None
        if first == '"':
            end = start + 1
            while True:
                end = line.find('"', end)
                if end < 0:
                    raise _Unsure
                if line[end - 1] != "\\":
                    break  # the common case: no escape before the quote
                body = line[start + 1 : end]
                if (len(body) - len(body.rstrip("\\"))) % 2 == 0:
                    break
                end += 1
            value = _double(line[start + 1 : end])
            if not _AFTER_QUOTE.fullmatch(line, end + 1):
                raise _Unsure
            self.i += 1
        elif first == "'":
            end = start + 1
            while True:
                end = line.find("'", end)
                if end < 0:
                    raise _Unsure
                if line.startswith("''", end):
                    end += 2
                    continue
                break
            value = line[start + 1 : end].replace("''", "'")
            if not _AFTER_QUOTE.fullmatch(line, end + 1):
                raise _Unsure
            self.i += 1
        elif first == "|" or first == ">":
            value = self.block_scalar(line, start, parent)
            self.block_scalars.add(path)
            return value
        elif first in _UNSURE_START and not (
            first == ":" and line[start + 1 : start + 2] not in ("", " ")
        ):
            raise _Unsure
        else:
            cut = line.find(" #", start)
            text = (line[start:] if cut < 0 else line[start:cut]).rstrip(" ")
            if ": " in text or text.endswith(":"):
                raise _Unsure
            value = None if text in _NULLS else text
            self.i += 1
        if self.skip() > parent:
            raise _Unsure  # a continuation line (or an error): the loader decides
        return value

    def block_scalar(self, line: str, start: int, parent: int) -> str:
        header = _BLOCK_HEADER.fullmatch(line, start)
        if header is None:
            raise _Unsure  # an indentation indicator, or text after the header
        style, chomp = header.group(1), header.group(2)
        lines = self.lines
        self.i += 1
        if self.i >= len(lines) or not lines[self.i]:
            raise _Unsure
        indent = _indent(lines[self.i])
        if indent <= parent:
            raise _Unsure  # empty block scalar
        body: list[str] = []
        trailing = 0
        while self.i < len(lines):
            current = lines[self.i]
            if not current:
                trailing += 1
                self.i += 1
                continue
            found = _indent(current)
            if found == len(current):
                raise _Unsure  # spaces only: which of them are content is subtle
            if found < indent:
                break
            body.extend([""] * trailing)
            trailing = 0
            body.append(current[indent:])
            self.i += 1
        if self.i == len(lines):
            trailing -= 1  # the empty string after the file's last line break
        if style == ">":
            if "" in body or any(part[0] == " " or part[-1] == " " for part in body):
                raise _Unsure  # folding around blank or more-indented lines
            text = " ".join(body)
        else:
            text = "\n".join(body)
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (trailing + 1)
        return text + "\n"


def _double(body: str) -> str:
    """A one-line double-quoted scalar's value (YAML's escapes)."""
    if "\\" not in body:
        return body
    if _ESCAPE.sub("", body).count("\\"):
        raise _Unsure  # an escape YAML does not know: the loader words the error
    return _ESCAPE.sub(_unescape, body)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 1:
        return _SIMPLE[code]
    value = int(code[1:], 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _Unsure
    return chr(value)
