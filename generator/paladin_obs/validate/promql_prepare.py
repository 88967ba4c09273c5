"""The text promql-parser is given: the user's source with stand-ins where it errs.

promql-parser disagrees with Go on some input that means the same to both:
it compiles regexes with Rust's engine, misreads raw strings, numbers and
very long durations, rejects some comments, and drops a unary "+". Rather
than second-guess its errors afterwards, the source is rewritten token by
token before parsing so that its verdict is Go's; what a stand-in hides is
checked with Go's rules instead (regexes here, ranges in ``promql_dialect``).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass

from paladin_obs.validate.promql_functions import Version
from paladin_obs.validate.promql_regexes import regex_error
from paladin_obs.validate.promql_scan import (
    DURATION,
    SPECIAL_FLOATS,
    Scan,
    duration_ns,
    in_duration_position,
    is_unary,
    number_value,
    unquote,
)
from paladin_obs.validate.re2 import matches_empty

__all__ = ["Prepared", "prepare"]

_LEADING_ZERO_EXPONENT = re.compile(r"0[0-9]*[eE][+-]?[0-9]+")


@dataclass
class Prepared:
    """The text promql-parser gets, plus what we learned while making it."""

    source: str
    #: Regex errors found while swapping regexes for stand-ins.
    errors: list[str]
    #: The source with every "+" operator turned into "-", when the input has a
    #: unary "+" (see ``prepare``); None otherwise.
    minus_source: str | None = None


def prepare(expr: str, scan: Scan, version: Version, regexes: bool) -> Prepared:
    """Make the source acceptable to promql-parser without changing its verdict.

    Token-level substitutions, each for a place where promql-parser disagrees
    with Go on input that means the same to both:

    * comments become spaces (promql-parser rejects a comment inside "[...]");
    * numbers like ``0e0``/``01e3`` (promql-parser reads a leading 0 as an
      octal integer and fails on the exponent) become their decimal value;
    * durations of 2**32 s (136 years) or more become ``1``/``1s``:
      promql-parser panics on unitless ones a time.Duration cannot hold
      (``offset 1e308``, ``[Inf]``) and rejects long ones Go accepts
      (``[9223372036s]``); the dialect pass checks Go's real range instead;
    * with ``regexes``: raw strings become double-quoted ones (promql-parser
      wrongly interprets backslashes in them), and regex values become ``.*``
      or ``.+`` so Rust never compiles them; the empty-match property
      Prometheus checks is preserved, and the real regexes are checked here
      with the Go rules.

    promql-parser drops a unary "+" instead of type-checking its operand, so
    when one is present a second text is made with "+" turned into "-": unary
    and binary "-" have the same precedence and type rules as "+" in Go, so
    that text fails exactly when Go rejects the original.
    """
    errors: list[str] = []
    toks = scan.tokens
    edits: list[tuple[int, int, str]] = []
    for a, b in scan.comments:
        # Go rejects a comment right after "[" (it lexes a duration there), so
        # that one stays for promql-parser to reject too.
        before = bisect.bisect_left(toks, a, key=lambda t: t.start) - 1
        if before < 0 or toks[before].text != "[":
            edits.append((a, b, " " * (b - a)))
    plus: list[int] = []
    for k, tok in enumerate(toks):
        if tok.kind == "op":
            if tok.text == "+":
                plus.append(tok.start)
            continue
        text = tok.text
        if tok.kind == "num" or (tok.kind == "ident" and text.lower() in SPECIAL_FLOATS):
            if in_duration_position(toks, k) and _too_long_for_promql_parser(text):
                stand_in = "1s" if DURATION.fullmatch(text) else "1"
                edits.append((tok.start, tok.start + len(text), stand_in))
            elif _LEADING_ZERO_EXPONENT.fullmatch(text):
                edits.append((tok.start, tok.start + len(text), repr(float(text))))
            continue
        if tok.kind != "str" or not regexes:
            continue
        is_regex = k > 0 and toks[k - 1].text in ("=~", "!~")
        if not is_regex and not text.startswith("`"):
            continue
        value = unquote(text)
        if value is None:
            continue
        if is_regex:
            problem = regex_error(value, version)
            if problem:
                errors.append(f"error parsing regexp: {problem}")
            value = ".*" if matches_empty(value) else ".+"
        edits.append((tok.start, tok.start + len(text), json.dumps(value, ensure_ascii=False)))
    source = _apply(expr, edits)
    minus_source = None
    if any(is_unary(toks, k) for k, tok in enumerate(toks) if tok.text == "+"):
        minus_source = _apply(expr, edits + [(pos, pos + 1, "-") for pos in plus])
    return Prepared(source, errors, minus_source)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping (start, end, replacement) edits applied."""
    if not edits:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        parts += [text[pos:start], replacement]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _too_long_for_promql_parser(text: str) -> bool:
    """promql-parser keeps seconds in 32 bits: longer durations fail or panic there."""
    if DURATION.fullmatch(text):
        return duration_ns(text) >= 2**32 * 10**9
    value = number_value(text)
    return value is not None and not (math.isfinite(value) and abs(value) < 2**32)
