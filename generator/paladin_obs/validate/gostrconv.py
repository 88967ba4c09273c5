"""Go's ``strconv`` literal rules, written once for every Go-based checker.

Two of the languages we validate are read by Go programs that hand their
literals to ``strconv``: Go ``text/template`` (Prometheus alert templates:
``parse.newNumber`` calls ``ParseUint``/``ParseInt``/``ParseFloat`` and
``UnquoteChar``, string tokens go through ``Unquote``) and LogQL (Loki's lexer
unquotes strings with Prometheus's ``strutil.Unquote``, a copy of the old
``strconv.Unquote``; its AST constructors call ``ParseFloat`` and ``Atoi``).
Whether Go accepts a literal decides whether the template or query parses, so
both checkers must apply the very same rules; this module is the one copy
(:mod:`.gotemplate` and :mod:`.logql.golex` import from it).

Failures raise :class:`StrconvError`, whose text is Go's (``invalid syntax``,
``value out of range``), so a caller can repeat Go's message or just test for
success.  Go strings are bytes: an escape such as ``\\xff`` makes a byte that is
not UTF-8, kept in the returned ``str`` as a lone surrogate (Python's
``surrogateescape``), so ``"\\xc3\\xbf"`` and ``"ÿ"`` unquote to the same text
and ``"\\xff"`` to a different one, as in Go.
"""

from __future__ import annotations

import math

__all__ = [
    "ERR_RANGE",
    "ERR_SYNTAX",
    "StrconvError",
    "parse_float",
    "parse_int",
    "parse_uint",
    "prometheus_unquote",
    "underscore_ok",
    "unquote",
    "unquote_char",
]

ERR_SYNTAX = "invalid syntax"  # strconv.ErrSyntax
ERR_RANGE = "value out of range"  # strconv.ErrRange

_UINT64_MAX = 2**64 - 1
_DEC = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
_OCT = frozenset("01234567")


class StrconvError(ValueError):
    """strconv.ErrSyntax or strconv.ErrRange; ``str()`` is Go's text for it."""


def underscore_ok(s: str) -> bool:
    """strconv's underscoreOK: '_' only between digits (a base prefix counts as one)."""
    saw = "^"  # last class seen: ^ start, 0 digit or prefix, _ underscore, ! other
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i, saw, hexa = 2, "0", s[1] in "xX"
    for c in s[i:]:
        if c in _DEC or (hexa and c in _HEX):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


# -- integers -------------------------------------------------------------------


def parse_uint(s: str, base: int = 0) -> int:
    """strconv.ParseUint(s, base, 64).

    Base 0 reads Go's prefixes (``0b``, ``0o``, ``0x``, a bare leading ``0`` for
    octal) and allows underscores; any other base takes plain digits.
    """
    if base != 0 and not 2 <= base <= 36:
        raise ValueError(f"invalid base {base}")
    if not s:
        raise StrconvError(ERR_SYNTAX)
    base0 = base == 0
    digits = s
    if base0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1] in "bBoOxX":
                base, digits = {"b": 2, "o": 8, "x": 16}[s[1].lower()], s[2:]
            else:
                base, digits = 8, s[1:]
    value = 0
    underscores = False
    for c in digits:
        if c == "_" and base0:
            underscores = True
            continue
        if c in _DEC:
            d = ord(c) - ord("0")
        elif c.isascii() and c.isalpha():
            d = ord(c.lower()) - ord("a") + 10
        else:
            raise StrconvError(ERR_SYNTAX)
        if d >= base:
            raise StrconvError(ERR_SYNTAX)
        value = value * base + d
        if value > _UINT64_MAX:
            raise StrconvError(ERR_RANGE)  # Go stops at the first overflow
    if underscores and not underscore_ok(s):
        raise StrconvError(ERR_SYNTAX)
    return value


def parse_int(s: str, base: int = 0) -> int:
    """strconv.ParseInt(s, base, 64); ``parse_int(s, 10)`` is strconv.Atoi on 64 bits."""
    if not s:
        raise StrconvError(ERR_SYNTAX)
    neg = s[0] == "-"
    try:
        magnitude = parse_uint(s[1:] if s[0] in "+-" else s, base)
    except StrconvError as exc:
        if str(exc) != ERR_RANGE:
            raise
        magnitude = _UINT64_MAX
    if magnitude > (2**63 if neg else 2**63 - 1):
        raise StrconvError(ERR_RANGE)
    return -magnitude if neg else magnitude


# -- floats -----------------------------------------------------------------------


def _special(s: str) -> float | None:
    """strconv's special(): ``inf``/``infinity`` with an optional sign, or an
    unsigned ``nan``, in any case (ParseFloat needs the whole text to match)."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body.isascii():
        return None
    word = body.lower()
    if word in ("inf", "infinity"):
        return -math.inf if s[0] == "-" else math.inf
    if word == "nan" and body == s:
        return math.nan
    return None


def _read_float_end(s: str) -> int | None:
    """strconv.readFloat's syntax: where the float in ``s`` ends, None if there is none.

    Underscores are skipped here; :func:`underscore_ok` judges their places.
    """
    n, i = len(s), 0
    if i < n and s[i] in "+-":
        i += 1
    hexa = i + 2 < n and s[i] == "0" and s[i + 1] in "xX"
    if hexa:
        i += 2
    digits = _HEX if hexa else _DEC
    saw_dot = saw_digits = False
    while i < n:
        c = s[i]
        if c == ".":
            if saw_dot:
                break
            saw_dot = True
        elif c in digits:
            saw_digits = True
        elif c != "_":
            break
        i += 1
    if not saw_digits:
        return None
    if i >= n or s[i] not in ("pP" if hexa else "eE"):
        return None if hexa else i  # a hexadecimal mantissa needs a 'p' exponent
    i += 1
    if i < n and s[i] in "+-":
        i += 1
    if i >= n or s[i] not in _DEC:
        return None
    while i < n and (s[i] in _DEC or s[i] == "_"):
        i += 1
    return i


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64): decimal or hexadecimal (``0x1p-2``) syntax,
    underscores as in Go literals, ``inf``/``infinity``/``nan``; a finite
    number too large for float64 is ERR_RANGE (an underflow is just 0)."""
    special = _special(s)
    if special is not None:
        return special
    if _read_float_end(s) != len(s) or ("_" in s and not underscore_ok(s)):
        raise StrconvError(ERR_SYNTAX)
    plain = s.replace("_", "")
    try:
        value = float.fromhex(plain) if "x" in plain or "X" in plain else float(plain)
    except OverflowError:
        raise StrconvError(ERR_RANGE) from None
    if math.isinf(value):
        raise StrconvError(ERR_RANGE)
    return value


# -- quoted strings -----------------------------------------------------------------

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def unquote_char(
    s: str, i: int, quote: str, *, allow_surrogates: bool = False
) -> tuple[int, bool, int]:
    """strconv.UnquoteChar on ``s[i:]``: (value, multibyte, index after the character).

    ``value`` is a byte when ``multibyte`` is false (plain ASCII, ``\\n``,
    ``\\xff``, ``\\377``), a code point otherwise.  An unescaped ``quote`` is an
    error and ``\\'``/``\\"`` are accepted only for the matching ``quote``.
    Go rejects a ``\\u``/``\\U`` escape naming a surrogate half;
    ``allow_surrogates`` is Prometheus's ``strutil`` copy, which only rejects
    code points above U+10FFFF.
    """
    if i >= len(s) or s[i] == quote:
        raise StrconvError(ERR_SYNTAX)
    c = s[i]
    if c != "\\":
        return ord(c), not c.isascii(), i + 1
    if i + 1 >= len(s):
        raise StrconvError(ERR_SYNTAX)
    c = s[i + 1]
    i += 2
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], False, i
    if c in _HEX_WIDTH:
        width = _HEX_WIDTH[c]
        digits = s[i : i + width]
        if len(digits) < width or any(d not in _HEX for d in digits):
            raise StrconvError(ERR_SYNTAX)
        value = int(digits, 16)
        if c == "x":
            return value, False, i + width  # a single byte, possibly not UTF-8
        if value > 0x10FFFF or (not allow_surrogates and 0xD800 <= value <= 0xDFFF):
            raise StrconvError(ERR_SYNTAX)
        return value, True, i + width
    if c in _OCT:
        digits = s[i : i + 2]
        if len(digits) < 2 or any(d not in _OCT for d in digits):
            raise StrconvError(ERR_SYNTAX)
        value = int(c + digits, 8)
        if value > 255:
            raise StrconvError(ERR_SYNTAX)
        return value, False, i + 2
    if c in "'\"" and c == quote:
        return ord(c), False, i
    raise StrconvError(ERR_SYNTAX)


def _unescape(body: str, quote: str, *, single: bool, allow_surrogates: bool) -> str:
    """The UnquoteChar loop of Unquote, joining bytes and runes as Go does."""
    parts: list[str] = []
    raw = bytearray()  # bytes since the last rune: escapes may spell UTF-8 together
    i = 0
    while i < len(body):
        value, multibyte, i = unquote_char(body, i, quote, allow_surrogates=allow_surrogates)
        if not multibyte:
            raw.append(value)
        else:
            if raw:
                parts.append(raw.decode("utf-8", "surrogateescape"))
                raw.clear()
            # utf8.EncodeRune writes U+FFFD for a surrogate half (and Go decodes
            # a byte that is not UTF-8 in the source as U+FFFD too).
            parts.append("\ufffd" if 0xD800 <= value <= 0xDFFF else chr(value))
        if single and i != len(body):
            raise StrconvError(ERR_SYNTAX)  # a character literal holds one character
    parts.append(raw.decode("utf-8", "surrogateescape"))
    return "".join(parts)


def _split_quoted(s: str) -> tuple[str, str]:
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'`":
        raise StrconvError(ERR_SYNTAX)
    quote, body = s[0], s[1:-1]
    if quote == "`" and "`" in body:
        raise StrconvError(ERR_SYNTAX)
    if quote != "`" and "\n" in body:
        raise StrconvError(ERR_SYNTAX)
    return quote, body


def unquote(s: str) -> str:
    """strconv.Unquote: a double-quoted, single-quoted (one character) or raw
    string literal.  Carriage returns are dropped from raw strings."""
    quote, body = _split_quoted(s)
    if quote == "`":
        return body.replace("\r", "")
    if "\\" not in body and quote not in body and quote == '"' and body.isascii():
        return body  # the common case, and what the loop below would give
    return _unescape(body, quote, single=quote == "'", allow_surrogates=False)


def prometheus_unquote(s: str) -> str:
    """Prometheus's ``util/strutil.Unquote`` (used by PromQL and Loki's LogQL).

    A copy of Go's old strconv.Unquote with three changes: single-quoted strings
    may hold any number of characters, ``\\ud800``-style escapes of surrogate
    halves are accepted (they become U+FFFD), and raw strings keep their
    carriage returns.
    """
    quote, body = _split_quoted(s)
    if quote == "`" or ("\\" not in body and quote not in body):
        return body
    return _unescape(body, quote, single=False, allow_surrogates=True)
