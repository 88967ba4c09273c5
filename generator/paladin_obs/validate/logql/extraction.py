"""The expressions of ``| json a="b.c[0]"`` and ``| logfmt a="b"``.

Loki parses each with a small grammar of its own when it builds the pipeline,
and the whole query fails on the first one it cannot read.  JSON paths are
``field``, ``["key"]`` and ``[index]`` accessors joined by ``.``/``[...]``;
logfmt expressions are a single key (no dots, no brackets).  The lexers are
Loki's, quirks included: a quoted key ends at ``"`` *or* ``]``, a NUL ends
the input, whitespace is skipped.
"""

from __future__ import annotations

__all__ = ["json_path_error", "logfmt_key_error"]

_SPACE = frozenset(" \t\n")


def _is_start(ch: str) -> bool:
    return ch == "_" or (ch.isascii() and ch.isalpha())


def _is_part(ch: str) -> bool:
    return _is_start(ch) or "0" <= ch <= "9"


def _tokens(text: str, *, json: bool) -> tuple[list[str], str | None]:
    """Token kinds (FIELD, STRING, INDEX, [, ], .) and the lexer's error, if any."""
    kinds: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\0":
            break
        if c in _SPACE:
            i += 1
        elif json and "0" <= c <= "9":
            j = i
            while j < n and "0" <= text[j] <= "9":
                j += 1
            if j < n and text[j] == ".":
                return kinds, "an array index must be an integer"
            if j < n and text[j] not in _SPACE and text[j] != "]":
                return kinds, f"an array index must be an integer, not {text[i : j + 1]!r}"
            if j >= n:
                return kinds, "the array index is not closed with ]"
            if int(text[i:j]) > 2**63 - 1:
                return kinds, f"array index {text[i:j]} is out of range"
            kinds.append("INDEX")
            i = j
        elif json and c in "[].":
            kinds.append(c)
            i += 1
        elif _is_start(c):
            while i < n and _is_part(text[i]):
                i += 1
            kinds.append("FIELD")
        elif c == '"':
            i += 1
            while i < n and text[i] not in '"]\0':
                i += 1
            i += 1  # the closing quote or ']' is consumed either way
            kinds.append("STRING")
        else:
            return kinds, f"unexpected character {c!r}"
    return kinds, None


def json_path_error(text: str) -> str | None:
    """Why Loki's JSON expression parser refuses ``text`` (None: accepted)."""
    kinds, problem = _tokens(text, json=True)
    if problem:
        return problem
    i = 0
    if not kinds:
        return "the path is empty"
    if kinds[0] == "FIELD":
        i = 1
    elif kinds[0] != "[":
        return "a path starts with a field name or [...]"
    while i < len(kinds):
        if kinds[i] == "[" and kinds[i + 1 : i + 3] in (["STRING", "]"], ["INDEX", "]"]):
            i += 3
        elif kinds[i] == "." and kinds[i + 1 : i + 2] == ["FIELD"]:
            i += 2
        else:
            return 'expected .field, ["key"] or [index]'
    return None


def logfmt_key_error(text: str) -> str | None:
    """Why Loki's logfmt expression parser refuses ``text`` (None: accepted)."""
    kinds, problem = _tokens(text, json=False)
    if problem:
        return f"{problem}; a logfmt expression is a plain key such as request_id"
    if not kinds:
        return "the key is empty"
    if any(kind != "STRING" for kind in kinds[1:]):
        return "a logfmt expression is a single key such as request_id"
    return None
