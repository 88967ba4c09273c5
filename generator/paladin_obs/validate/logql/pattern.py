"""Loki's pattern expressions (``| pattern "<ip> - <_>"``, ``|> "<_> error <_>"``).

Loki lexes a pattern into captures ``<name>`` (a letter or ``_`` then letters,
digits or ``_``, ASCII only) and literal text; anything else, including a ``<``
that does not open a valid capture, is literal.  The parser stage and the line
filter then refuse different things (see the two check functions), and the
query fails when they do.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

__all__ = ["line_filter_pattern_error", "parser_pattern_error"]


class _Node(NamedTuple):
    capture: bool
    text: str  # the capture name, or the literal text


def _is_start(ch: str) -> bool:
    return ch == "_" or ("a" <= ch.lower() <= "z" and ch.isascii())


def _is_part(ch: str) -> bool:
    return _is_start(ch) or "0" <= ch <= "9"


def _capture_end(text: str, i: int) -> int:
    """End of a capture starting at ``text[i] == '<'``, or -1 when it is literal."""
    j = i + 1
    if j >= len(text) or not _is_start(text[j]):
        return -1
    j += 1
    while j < len(text) and _is_part(text[j]):
        j += 1
    return j + 1 if j < len(text) and text[j] == ">" else -1


def _parse(text: str) -> list[_Node]:
    nodes: list[_Node] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if "\ud800" <= text[i] <= "\udfff":
            break  # Loki's lexer stops at bytes that are not UTF-8
        end = _capture_end(text, i) if text[i] == "<" else -1
        if end < 0:
            literal.append(text[i])
            i += 1
            continue
        if literal:
            nodes.append(_Node(False, "".join(literal)))
            literal = []
        nodes.append(_Node(True, text[i + 1 : end - 1]))
        i = end
    if literal:
        nodes.append(_Node(False, "".join(literal)))
    return nodes


def _consecutive(nodes: list[_Node]) -> str | None:
    for left, right in pairwise(nodes):
        if left.capture and right.capture:
            return f"<{left.text}><{right.text}>"
    return None


def parser_pattern_error(text: str) -> str | None:
    """Why ``| pattern`` refuses ``text`` (None: accepted)."""
    nodes = _parse(text)
    if not nodes:
        return "the pattern is empty"
    names = [n.text for n in nodes if n.capture and n.text != "_"]
    if not names:
        return "the pattern needs at least one named capture such as <status> (<_> does not count)"
    pair = _consecutive(nodes)
    if pair:
        return f"captures {pair} follow each other: put literal text between them"
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return f"duplicate capture <{name}>: each name can be captured once"
        seen.add(name)
    return None


def line_filter_pattern_error(text: str) -> str | None:
    """Why a ``|>``/``!>`` line filter refuses ``text`` (None: accepted)."""
    if not text:
        return None
    nodes = _parse(text)
    pair = _consecutive(nodes)
    if pair:
        return f"captures {pair} follow each other: put literal text between them"
    for node in nodes:
        if node.capture and node.text != "_":
            return f"named capture <{node.text}> is not allowed in a pattern line filter, only <_>; use | pattern to extract labels"
    return None
