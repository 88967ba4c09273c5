"""Syntax errors in words: what was found, and what could have come instead.

An LALR state can accept thirty terminals; listing them all (as a raw lark
error does) hides the point.  Terminals are named in plain words, families of
them (operators, line filters, the starts of an expression) collapse into one
phrase, and a few classic mistakes get a hint of their own.
"""

from __future__ import annotations

from collections.abc import Collection

from .lexer import FUNCTIONS, KEYWORDS

__all__ = ["describe_found", "syntax_error_message"]

_WORDS = {
    "IDENTIFIER": "a label name",
    "STRING": "a string",
    "NUMBER": "a number",
    "DURATION": "a duration such as 5m",
    "RANGE": "a range such as [5m]",
    "BYTES": "a byte size such as 10KB",
    "FLAG": "--strict or --keep-empty",
    "RANGE_OP": "a range function such as rate(",
    "VECTOR_OP": "an aggregation such as sum(",
    "CONV_OP": "bytes(, duration( or duration_seconds(",
    "VECTOR": "vector(",
    "LABEL_REPLACE": "label_replace(",
    "IP": "ip(",
    "$END": "end of query",
}
_SYMBOLS = {kind: text for text, kind in KEYWORDS.items()}

# Families, tried in order; named (and all their members dropped from the list)
# once at least `need` of their members are expected.
_FAMILIES: tuple[tuple[str, frozenset[str], int], ...] = (
    ("an expression", frozenset({"LBRACE", "RANGE_OP", "VECTOR_OP", "NUMBER", "LABEL_REPLACE", "VECTOR", "LPAREN", "ADD", "SUB"}), 4),
    ("a binary operator", frozenset({"ADD", "SUB", "MUL", "DIV", "MOD", "POW", "CMP_EQ", "NEQ", "GT", "GTE", "LT", "LTE", "AND", "UNLESS", "OR"}), 4),
    ('a line filter such as |= "text"', frozenset({"PIPE_EXACT", "PIPE_MATCH", "PIPE_PATTERN", "NRE", "NPA", "NEQ"}), 3),
    ("a comparison", frozenset({"GT", "GTE", "LT", "LTE", "CMP_EQ", "EQ", "NEQ"}), 4),
    ("a matcher operator (=, !=, =~, !~)", frozenset({"EQ", "NEQ", "RE", "NRE"}), 4),
    ("a value (string, number, duration, byte size or ip(...))", frozenset({"STRING", "NUMBER", "DURATION", "BYTES", "IP", "ADD", "SUB"}), 4),
    ("a stage such as json, logfmt or line_format", frozenset({"JSON", "LOGFMT", "REGEXP", "PATTERN", "UNPACK", "LINE_FORMAT", "LABEL_FORMAT", "DECOLORIZE", "DROP", "KEEP", "UNWRAP"}), 3),
)  # fmt: skip
_MAX_ITEMS = 5
_RESERVED = frozenset(KEYWORDS.values())


def _word(kind: str) -> str:
    """Plain words for a terminal; operators and keywords quoted as written."""
    if kind in _WORDS:
        return _WORDS[kind]
    return '"' + _SYMBOLS.get(kind, kind.lower()) + '"'


def describe_expected(expected: Collection[str]) -> str:
    """The terminals an LALR state accepts, as a short phrase (families first)."""
    left = set(expected) - {"LBRACKET", "RBRACKET", "DOT"}
    phrases: list[str] = []
    for phrase, family, need in _FAMILIES:
        hits = left & family
        if len(hits) >= need:
            phrases.append(phrase)
            left -= family
    order = sorted(left, key=lambda k: (k not in ("RPAREN", "RBRACE", "COMMA", "PIPE"), _word(k)))
    phrases.extend(_word(k) for k in order)
    if len(phrases) > _MAX_ITEMS:
        phrases = [*phrases[: _MAX_ITEMS - 1], "..."]
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def describe_found(kind: str, text: str) -> str:
    """The offending token as the user wrote it."""
    if kind == "$END":
        return "end of query"
    shown = text if len(text) <= 30 else text[:27] + "..."
    if kind == "STRING":
        return f"string {shown}"
    if kind in ("IDENTIFIER", "NUMBER", "DURATION", "BYTES", "RANGE"):
        return f"{_word(kind).split(' such as')[0].removeprefix('a ')} {shown}"
    return repr(shown).replace("'", '"') if '"' not in shown else f"`{shown}`"


def _hint(kind: str, text: str, expected: Collection[str]) -> str:
    lower = text.lower()
    if kind == "IDENTIFIER" and text.startswith("'"):
        return "; quote strings with double quotes or backticks"
    if kind == "IDENTIFIER" and lower in FUNCTIONS:
        return f"; {lower} is a function only when ( follows it"
    if "IDENTIFIER" in expected and kind in _RESERVED and text.replace("_", "").isalpha():
        return f"; {text} is a reserved word and cannot be used as a label name here"
    if kind == "RANGE" and "RANGE" not in expected:
        return "; a range [..] only goes inside a range function such as rate(... [5m])"
    if kind == "OFFSET" and "OFFSET" not in expected:
        return "; offset goes right after the range, inside the function: rate({...}[5m] offset 1h)"
    return ""


def syntax_error_message(kind: str, text: str, expected: Collection[str]) -> str:
    """``unexpected <found>, expected <what>`` plus a hint for known mistakes."""
    return f"unexpected {describe_found(kind, text)}, expected {describe_expected(expected)}{_hint(kind, text, expected)}"
