"""Loki's LogQL lexer, token for token.

Loki does not tokenise with regular expressions: it runs Go's ``text/scanner``
and then re-reads each token in ``lex.go`` with look-ahead rules of its own
(``rate`` is a function only when ``(`` or ``by (``/``without (`` follows,
``5m`` becomes a duration and ``10KB`` a byte size, ``[...]`` is read raw as a
range, ``--strict`` is a flag, keywords are case-insensitive, ``#``/``//``/
``/* */`` are comments, any other stray character is an *identifier*).  Which
token a piece of text becomes decides whether a query parses, so this module
reproduces those rules instead of approximating them with a regex lexer.

Offsets are Python string indices; Go's scanner errors are reported through
:class:`LexError` at the first one met, the one Loki reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .golex import (
    go_unquote,
    humanize_bytes_ok,
    is_go_number,
    is_go_space,
    prom_duration_error,
    time_duration_ok,
)
from .scanner import FLOAT, INT, RAW, STRING, LexError, Scanner

__all__ = ["FUNCTIONS", "KEYWORDS", "LexError", "Tok", "tokenize"]


class Tok(NamedTuple):
    """One token: ``value`` is the decoded text for strings, the lower-case name
    for keywords and functions, the source text otherwise."""

    type: str
    value: str
    start: int
    end: int


def _words(text: str) -> list[str]:
    return text.split()


_RANGE_OPS = _words(
    "count_over_time rate rate_counter bytes_over_time bytes_rate avg_over_time sum_over_time "
    "min_over_time max_over_time stdvar_over_time stddev_over_time quantile_over_time "
    "first_over_time last_over_time absent_over_time"
)
_VECTOR_OPS = _words("sum avg max min count stddev stdvar bottomk topk sort sort_desc approx_topk")

#: Names that are tokens only when a call follows (``name (``, ``name by (``).
FUNCTIONS: dict[str, str] = {
    **dict.fromkeys(_RANGE_OPS, "RANGE_OP"),
    **dict.fromkeys(_VECTOR_OPS, "VECTOR_OP"),
    **dict.fromkeys(("bytes", "duration", "duration_seconds"), "CONV_OP"),
    "vector": "VECTOR",
    "label_replace": "LABEL_REPLACE",
    "ip": "IP",
}

#: Always-reserved words and operators (words match case-insensitively).
KEYWORDS: dict[str, str] = {
    ",": "COMMA", ".": "DOT", "{": "LBRACE", "}": "RBRACE", "=": "EQ", "!=": "NEQ",
    "=~": "RE", "!~": "NRE", "!>": "NPA", "|=": "PIPE_EXACT", "|~": "PIPE_MATCH",
    "|>": "PIPE_PATTERN", "|": "PIPE", "(": "LPAREN", ")": "RPAREN", "[": "LBRACKET",
    "]": "RBRACKET", "by": "BY", "without": "WITHOUT", "bool": "BOOL", "offset": "OFFSET",
    "on": "ON", "ignoring": "IGNORING", "group_left": "GROUP_LEFT",
    "group_right": "GROUP_RIGHT", "or": "OR", "and": "AND", "unless": "UNLESS", "+": "ADD",
    "-": "SUB", "*": "MUL", "/": "DIV", "%": "MOD", "^": "POW", "==": "CMP_EQ", ">": "GT",
    ">=": "GTE", "<": "LT", "<=": "LTE", "json": "JSON", "regexp": "REGEXP",
    "logfmt": "LOGFMT", "unpack": "UNPACK", "pattern": "PATTERN", "label_format": "LABEL_FORMAT",
    "line_format": "LINE_FORMAT", "decolorize": "DECOLORIZE", "drop": "DROP", "keep": "KEEP",
    "unwrap": "UNWRAP", "label_replace": "LABEL_REPLACE", "ip": "IP",
}  # fmt: skip

_FLAGS = frozenset({"--strict", "--keep-empty"})
_DURATION_RUNES = frozenset("numµshdwy.")
_BYTES_RUNES = frozenset("BikKMGTP.")


class _Lexer(Scanner):
    """Loki's ``Lex`` (lex.go) on top of the Go scanner."""

    def _is_function(self, i: int) -> bool:
        """lex.go's isFunction: a call follows (``(``, ``by (``, ``without (``)."""
        src, n = self.src, self.n
        while i < n and is_go_space(src[i]):
            i += 1
        if src.startswith("(", i):
            return True
        for word in ("by", "without"):
            if src[i : i + len(word)].lower() == word:
                j = i + len(word)
                while j < n and is_go_space(src[j]):
                    j += 1
                return self.at(j) == "("
        return False

    def _unit_run(self, i: int, allowed: frozenset[str]) -> int:
        """End of the characters Loki's tryScanDuration/tryScanBytes would take."""
        src, n = self.src, self.n
        while i < n and not is_go_space(src[i]) and (src[i] in allowed or is_go_number(src[i])):
            i += 1
        return i

    def _quantity(self, head: str, start: int, end: int) -> Tok | None:
        """A duration or byte-size token glued to ``head`` (a number or '-')."""
        stop = self._unit_run(end, _DURATION_RUNES)
        if stop > end:
            text = head + self.src[end:stop]
            if prom_duration_error(text) is None or time_duration_ok(text):
                return Tok("DURATION", self.src[start:stop], start, stop)
        if head == "-":
            return None
        stop = self._unit_run(end, _BYTES_RUNES)
        if stop > end and humanize_bytes_ok(head + self.src[end:stop]):
            return Tok("BYTES", self.src[start:stop], start, stop)
        return None

    def _check_read(self, upto: int) -> None:
        """Raise Go's error if a NUL or invalid UTF-8 lies at or before ``upto``."""
        if self.bad <= upto:
            what = "a NUL character" if self.at(self.bad) == "\0" else "invalid UTF-8"
            raise LexError(f"the expression contains {what}", self.bad)

    def tokens(self) -> Iterator[Tok]:
        src = self.src
        while True:
            kind, start, end = self.scan()
            # Go has read one character past the token when it hands the token over.
            self._check_read(end)
            if start >= self.n:
                return
            text = src[start:end]
            if text == "#":
                if self.at(end) == "\n":
                    self.pos = end
                else:
                    newline = src.find("\n", end)
                    self.pos = self.n if newline < 0 else newline + 1
                continue
            tok: Tok | None = None
            if kind in (INT, FLOAT):
                tok = self._quantity(text, start, end) or Tok("NUMBER", text, start, end)
            elif text == "-":
                tok = self._dash(start, end)
            elif kind in (STRING, RAW):
                value = go_unquote(text)
                if value is None:
                    raise LexError(f"invalid string literal {text}", start)
                tok = Tok("STRING", value, start, end)
            elif text == "[":
                tok = self._range(start, end)
            if tok is None:
                tok = self._word(text, start, end)
            self.pos = tok.end
            self._check_read(tok.end)
            yield tok

    def _dash(self, start: int, end: int) -> Tok | None:
        if self.at(end) == "-":
            stop = end
            while stop < self.n and (self.src[stop].isalpha() or self.src[stop] == "-"):
                stop += 1
            if self.src[start:stop] in _FLAGS:
                return Tok("FLAG", self.src[start:stop], start, stop)
        return self._quantity("-", start, end)

    def _range(self, start: int, end: int) -> Tok:
        close = self.src.find("]", end)
        if close < 0:
            raise LexError("range is not terminated: add ']' after the duration, e.g. [5m]", start)
        body = self.src[end:close]
        problem = prom_duration_error(body)
        if problem is not None:
            raise LexError(f"invalid range [{body}]: {problem}", start)
        return Tok("RANGE", body, start, close + 1)

    def _word(self, text: str, start: int, end: int) -> Tok:
        lower = text.lower()
        with_next = (text + (self.at(end) or "\ufffd")).lower()
        if with_next in FUNCTIONS and self._is_function(end + 1):
            return Tok(FUNCTIONS[with_next], with_next, start, end + 1)
        if lower in FUNCTIONS:
            if self._is_function(end):
                return Tok(FUNCTIONS[lower], lower, start, end)
            return Tok("IDENTIFIER", text, start, end)
        if with_next in KEYWORDS:
            return Tok(KEYWORDS[with_next], with_next, start, end + 1)
        if lower in KEYWORDS:
            return Tok(KEYWORDS[lower], lower, start, end)
        return Tok("IDENTIFIER", text, start, end)


def tokenize(text: str) -> Iterator[Tok]:
    """Loki's tokens for ``text``; raises :class:`LexError` where Loki's lexer fails."""
    return _Lexer(text).tokens()
