"""Verdicts of expressions that differ only in the values of equality matchers.

A big rule file repeats one expression per service or instance with another
``job="..."``: the tokens, the dialect and regex checks and the size bounds
are the same for all of them, only promql-parser's tree differs. So a clean
verdict is remembered under the expression's *shape*, the text with the
value of every ``=``/``!=`` matcher made ``x``, and later expressions of
that shape are only parsed (the tree is needed for lint, and a parse error
sends them through every check again).

Only shapes where that is certain are keyed: no character that could hide a
quote from a simple scan (``'``, backquotes, ``#`` comments, backslashes),
every double-quoted string closed on its line, no ``label_replace`` (whose
string arguments are regexes checked on their own), and a length far below
the size bounds. Empty values stay empty (``{job=""}`` selects differently
and Go checks it), and regex matchers (``=~``/``!~``) keep their values.
"""

from __future__ import annotations

import functools
import re

from paladin_obs.validate.promql_functions import Version

__all__ = ["remember_clean", "seen_clean", "shape"]

#: Longest expression keyed; real ones are under 2,000 characters.
MAX_KEYED = 8192
#: Most shapes remembered (a long-lived process checks many files).
MAX_SHAPES = 100_000

_UNSAFE = re.compile(r"['`#\\]|label_replace")
_STRING = re.compile(r'"[^"\n]*"')
_EQUAL_VALUE = re.compile(r'(!?=)(\s*)"[^"\n]+"|"[^"\n]*"')

_CLEAN: set[tuple[str, Version]] = set()


@functools.lru_cache(maxsize=4096)
def shape(expr: str) -> str | None:
    """``expr`` with the values of its equality matchers made ``x``, or None
    when that cannot be done with certainty (see the module docstring).

    Remembered: the parser and lint ask for the shape of the same text in
    turn (``lint.labels``), and a big file's rules arrive sorted by text."""
    if len(expr) > MAX_KEYED or '"' not in expr or _UNSAFE.search(expr):
        return None
    if '"' in _STRING.sub("", expr):
        return None  # a quote no simple scan pairs up
    return _EQUAL_VALUE.sub(_blank, expr)


def _blank(match: re.Match[str]) -> str:
    op = match.group(1)
    return match.group() if op is None else f'{op}{match.group(2)}"x"'


def seen_clean(key: str, version: Version) -> bool:
    return (key, version) in _CLEAN


def remember_clean(key: str, version: Version) -> None:
    if len(_CLEAN) >= MAX_SHAPES:
        _CLEAN.clear()
    _CLEAN.add((key, version))
