"""Go's literal rules, as far as Loki's lexer and AST constructors lean on them.

Loki decides what a number, a duration or a byte size is by handing text to Go's
``strconv``, ``time.ParseDuration``, Prometheus's ``model.ParseDuration`` and
``go-humanize``'s ``ParseBytes``; where those accept or refuse text decides
whether a query parses (``1h30m`` is one duration token, ``1.5d`` is a number
followed by a label name).  Only validity is needed here, never the values, so
each helper answers "would Go accept this", plus a reason where we report one.
"""

from __future__ import annotations

import unicodedata

from ..gostrconv import StrconvError, parse_float, parse_int, prometheus_unquote

__all__ = [
    "go_atoi_ok",
    "go_float",
    "go_unquote",
    "humanize_bytes_ok",
    "is_go_digit",
    "is_go_letter",
    "is_go_number",
    "is_go_space",
    "prom_duration_error",
    "time_duration_ok",
]

_INT64_MAX = 2**63 - 1
_DEC = frozenset("0123456789")

# unicode.IsSpace: Latin-1 spaces plus the White_Space property above it.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def is_go_space(ch: str) -> bool:
    """unicode.IsSpace."""
    return ch in _GO_SPACE


def is_go_letter(ch: str) -> bool:
    """unicode.IsLetter (categories L*), the scanner's identifier start."""
    return ch.isalpha()


def is_go_digit(ch: str) -> bool:
    """unicode.IsDigit (category Nd)."""
    return ch.isdecimal()


def is_go_number(ch: str) -> bool:
    """unicode.IsNumber (categories N*)."""
    return unicodedata.category(ch).startswith("N")


# -- strconv: thin wrappers; the rules are in ..gostrconv, shared with gotemplate --


def go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64), or None where Go returns an error (syntax or range)."""
    try:
        return parse_float(text)
    except StrconvError:
        return None


def go_atoi_ok(text: str) -> bool:
    """strconv.Atoi: base 10, optional sign, no underscores, fits in int64."""
    try:
        parse_int(text, 10)
    except StrconvError:
        return False
    return True


def go_unquote(token: str) -> str | None:
    """Prometheus strutil.Unquote of a quoted token; None for Go's "invalid syntax".

    Go strings are bytes: ``\\xff`` yields a byte that is not UTF-8, kept here as
    a lone surrogate (``surrogateescape``) so regex checks can see it.
    """
    try:
        return prometheus_unquote(token)
    except StrconvError:
        return None


# -- durations and sizes ----------------------------------------------------------

_PROM_UNITS = {"ms": (7, 10**6), "s": (6, 10**9), "m": (5, 60 * 10**9), "h": (4, 3600 * 10**9),
               "d": (3, 86400 * 10**9), "w": (2, 7 * 86400 * 10**9),
               "y": (1, 365 * 86400 * 10**9)}  # fmt: skip


def _is_ascii_digit(c: str) -> bool:
    return "0" <= c <= "9"


def prom_duration_error(s: str) -> str | None:
    """Why Prometheus's model.ParseDuration refuses ``s`` (None: accepted)."""
    if s == "0":
        return None
    if s == "":
        return "the duration is empty; write e.g. [5m]"
    total = 0
    last_pos = 0
    i = 0
    while i < len(s):
        if not _is_ascii_digit(s[i]):
            return f"{s!r} is not a duration; write e.g. 5m or 1h30m"
        j = i
        while j < len(s) and _is_ascii_digit(s[j]):
            j += 1
        value = int(s[i:j])
        k = j
        while k < len(s) and not _is_ascii_digit(s[k]):
            k += 1
        unit = s[j:k]
        if not unit:
            return f"duration {s!r} lacks a unit; write e.g. 5m or 1h30m"
        if unit not in _PROM_UNITS:
            return f"unknown unit {unit!r} in duration {s!r}; use ms, s, m, h, d, w or y"
        pos, mult = _PROM_UNITS[unit]
        if pos <= last_pos:
            return f"{s!r} is not a valid duration: units must go from largest to smallest, each once"
        last_pos = pos
        if value > 2**63 // mult:
            return f"duration {s!r} is out of range"
        total += value * mult
        if total > _INT64_MAX:
            return f"duration {s!r} is out of range"
        i = k
    return None


_TIME_UNITS = {"ns": 1, "us": 10**3, "\u00b5s": 10**3, "\u03bcs": 10**3, "ms": 10**6,
               "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}  # fmt: skip


def time_duration_ok(s: str) -> bool:
    """Whether Go's time.ParseDuration accepts ``s`` (``1.5h``, ``-5s``, ``300ms``)."""
    orig_neg = s[:1] == "-"
    if s[:1] in ("-", "+"):
        s = s[1:]
    if s == "0":
        return True
    if s == "":
        return False
    total = 0
    i = 0
    while i < len(s):
        if not (s[i] == "." or _is_ascii_digit(s[i])):
            return False
        j = i
        while j < len(s) and _is_ascii_digit(s[j]):
            j += 1
        pre = j > i
        whole = int(s[i:j]) if pre else 0
        if whole > 2**63:
            return False
        frac, scale = 0, 1
        post = False
        if j < len(s) and s[j] == ".":
            k = j + 1
            while k < len(s) and _is_ascii_digit(s[k]):
                if scale < 10**18:
                    frac, scale = frac * 10 + int(s[k]), scale * 10
                k += 1
            post = k > j + 1
            j = k
        if not pre and not post:
            return False
        k = j
        while k < len(s) and not (s[k] == "." or _is_ascii_digit(s[k])):
            k += 1
        unit = s[j:k]
        if unit not in _TIME_UNITS:
            return False
        mult = _TIME_UNITS[unit]
        if whole > 2**63 // mult:
            return False
        value = whole * mult
        if frac:
            value += int(frac * (mult / scale))
            if value > 2**63:
                return False
        total += value
        if total > 2**63:
            return False
        i = k
    return orig_neg or total <= _INT64_MAX


_BYTE_UNITS = frozenset(
    {"b", "kib", "kb", "mib", "mb", "gib", "gb", "tib", "tb", "pib", "pb", "eib", "eb", "",
     "ki", "k", "mi", "m", "gi", "g", "ti", "t", "pi", "p", "ei", "e"}
)  # fmt: skip


def humanize_bytes_ok(s: str) -> bool:
    """Whether go-humanize's ParseBytes accepts ``s`` (``10KB``, ``1.5MiB``).

    Non-ASCII digits never parse: Go slices the text by a rune count as if it
    were bytes, so ParseFloat always sees a broken number.
    """
    if not s.isascii():
        return False
    n = 0
    while n < len(s) and (s[n] in _DEC or s[n] in ".,"):
        n += 1
    value = go_float(s[:n].replace(",", ""))
    unit = s[n:].strip().lower()
    if value is None or unit not in _BYTE_UNITS:
        return False
    letter = unit[:1] if unit not in ("", "b") else ""
    base = 1024 if "i" in unit else 1000
    factor = base ** ("kmgtpe".index(letter) + 1) if letter else 1
    return value * factor < 2.0**64
