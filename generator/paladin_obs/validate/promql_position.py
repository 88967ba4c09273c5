"""Where a character of a rule's ``expr`` stands in the YAML file it came from.

promtool locates a parse error twice: the ``expr`` node's line:col in the file,
and the line:col inside the expression. Editors want one spot, so a parse
error is reported at the file position of the failing character: the value's
start plus the offset, walking the raw text the way YAML decoded it (plain
and quoted scalars, ``''`` and backslash escapes, line folding, ``|`` and
``>`` blocks, where a line of the expression is a line of the block).

The walk checks every character against the decoded expression; whenever
they disagree (the location is in the spec that generated the rule, a tag or
anchor precedes the value, an indentation indicator, a YAML subtlety we do
not model) the value's start is returned unchanged, which is never wrong,
only less precise.
"""

from __future__ import annotations

import functools
import os

from paladin_obs.diagnostics import Location

__all__ = ["expr_position"]

_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


@functools.lru_cache(maxsize=32)
def _lines(file: str, _stamp: tuple[int, int]) -> tuple[str, ...]:
    with open(file, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        text = fh.read()
    return tuple(line.removesuffix("\r") for line in text.split("\n"))


def _file_lines(file: str) -> tuple[str, ...] | None:
    try:
        stat = os.stat(file)
        return _lines(file, (stat.st_mtime_ns, stat.st_size))
    except (OSError, ValueError):
        return None


def expr_position(where: Location, expr: str, offset: int) -> Location:
    """The file position of ``expr[offset]`` (or of its end) whose value starts at ``where``."""
    lines = _file_lines(where.file) if where.line > 0 else None
    if lines is None or where.line > len(lines) or not 0 <= offset <= len(expr):
        return where
    found = _Walk(lines, expr).run(where.line - 1, where.column - 1, offset)
    return where if found is None else Location(where.file, found[0] + 1, found[1] + 1)


class _Mismatch(Exception):
    pass


class _Walk:
    def __init__(self, lines: tuple[str, ...], expr: str) -> None:
        self.lines = lines
        self.expr = expr

    def run(self, line: int, col: int, offset: int) -> tuple[int, int] | None:
        text = self.lines[line]
        if col < 0 or col >= len(text):
            return None
        first = text[col]
        try:
            if first in "|>":
                return self.block(line, text[col + 1 :], first == "|", offset)
            if first in "'\"":
                return self.flow(line, col + 1, first, offset)
            return self.flow(line, col, "", offset)
        except (_Mismatch, IndexError):
            return None

    def take(self, i: int, want: str) -> int:
        if self.expr[i : i + len(want)] != want:
            raise _Mismatch
        return i + len(want)

    def flow(self, line: int, col: int, quote: str, offset: int) -> tuple[int, int]:
        """A plain or quoted scalar: line breaks fold to a space, or to n-1
        newlines for n breaks; a line's surrounding blanks are dropped."""
        i = 0
        while True:
            text = self.lines[line]
            if i >= offset:
                return line, col
            rest = text[col:]
            if not rest.strip(" \t") or (quote == '"' and rest.rstrip(" \t") == "\\"):
                escaped = quote == '"' and rest.rstrip(" \t") == "\\"
                line += 1
                blank = 0
                while not self.lines[line].strip(" \t"):
                    line += 1
                    blank += 1
                text = self.lines[line]
                col = len(text) - len(text.lstrip(" \t"))
                if not escaped:
                    i = self.take(i, "\n" * blank if blank else " ")
                continue
            ch = text[col]
            if quote == "'" and ch == "'":
                if text[col + 1 : col + 2] != "'":
                    raise _Mismatch  # the closing quote before the offset
                i, col = self.take(i, "'"), col + 2
            elif quote == '"' and ch == '"':
                raise _Mismatch
            elif quote == '"' and ch == "\\":
                code = text[col + 1]
                if code in _SIMPLE_ESCAPES:
                    i, col = self.take(i, _SIMPLE_ESCAPES[code]), col + 2
                elif code in _HEX_ESCAPES:
                    width = _HEX_ESCAPES[code]
                    digits = text[col + 2 : col + 2 + width]
                    if len(digits) != width:
                        raise _Mismatch
                    i, col = self.take(i, chr(int(digits, 16))), col + 2 + width
                else:
                    raise _Mismatch
            elif not quote and ch == "#" and col > 0 and text[col - 1] in " \t":
                raise _Mismatch  # a comment ends a plain scalar
            else:
                i, col = self.take(i, ch), col + 1

    def block(self, header_line: int, header: str, literal: bool, offset: int) -> tuple[int, int]:
        """A ``|`` or ``>`` block: a line of the block is a line of the value
        (``>`` folds a break between two text lines to a space)."""
        indicators = header.split("#", 1)[0].strip()
        if any(c.isdigit() for c in indicators) or indicators.strip("+-"):
            raise _Mismatch  # explicit indentation, or not a block header after all
        line = header_line + 1
        while not self.lines[line].strip(" "):
            line += 1
        text = self.lines[line]
        indent = len(text) - len(text.lstrip(" "))
        if indent == 0:
            raise _Mismatch
        head_blank = line - header_line - 1
        i = self.take(0, "\n" * head_blank) if head_blank else 0
        if i > offset:
            raise _Mismatch
        col = indent
        while True:
            text = self.lines[line]
            if i >= offset:
                return line, col
            if col >= len(text):
                last = line
                line += 1
                blank = 0
                while line < len(self.lines) and not self.lines[line].strip(" "):
                    line += 1
                    blank += 1
                if line >= len(self.lines) or _indent(self.lines[line]) < indent:
                    # The block ends: what is left of the value is its final line break.
                    if self.expr[i:].strip("\n"):
                        raise _Mismatch
                    return last, len(self.lines[last])
                folds = ["\n" * (blank + 1)] if literal else [" ", "\n" * blank, "\n" * (blank + 1)]
                fold = next((f for f in folds if f and self.expr.startswith(f, i)), None)
                if fold is None:
                    raise _Mismatch
                i += len(fold)
                col = indent
                continue
            i, col = self.take(i, text[col]), col + 1


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))
