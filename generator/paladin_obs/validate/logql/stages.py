"""Checks of pipeline stages, as Loki applies them when it builds a query's pipeline.

Some of these run while Loki parses (regexes of label matchers, the ``regexp``
and ``pattern`` parsers); the rest run when the pipeline is built, which every
execution of the query does first, so the query fails either way (line-filter
regexes and patterns, ``ip()`` patterns, ``line_format``/``label_format``
templates, ``json``/``logfmt`` expressions).  Each function returns the problem
in words, or None.
"""

from __future__ import annotations

from functools import lru_cache

from ..gotemplate import GO_BUILTIN_FUNCTIONS, check_template
from ..re2 import check_regex, matches_empty

__all__ = [
    "ERROR_LABEL",
    "GO_VERSION",
    "TEMPLATE_FUNCTIONS",
    "label_matcher_regex_error",
    "line_filter_regex_error",
    "matcher_matches_empty",
    "regexp_parser_error",
    "template_error",
]

#: Loki v3 is built with Go 1.26; regex syntax follows that toolchain.
GO_VERSION = (1, 26)
#: The label Loki reserves for pipeline errors; label_format may not set it.
ERROR_LABEL = "__error__"
_REGEX_META = frozenset("\\.+*?()[]{}^$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Loki's template function map (pkg/logql/log/fmt.go): its own functions, the
# sprig subset it imports, and the two per-line helpers.
_LOKI_TEMPLATE_FUNCTIONS = _words(
    """
    ToLower ToUpper Replace Trim TrimLeft TrimRight TrimPrefix TrimSuffix TrimSpace
    regexReplaceAll regexReplaceAllLiteral count urldecode urlencode bytes duration
    duration_seconds unixEpochMillis unixEpochNanos toDateInZone unixToTime alignLeft
    alignRight b64dec
    b64enc lower upper title trunc substr contains hasPrefix hasSuffix indent nindent replace
    repeat trim trimAll trimSuffix trimPrefix int float64 add sub mul div mod addf subf mulf
    divf max min maxf minf ceil floor round fromJson date toDate now unixEpoch default
    __line__ __timestamp__
    """
)
TEMPLATE_FUNCTIONS = GO_BUILTIN_FUNCTIONS | _LOKI_TEMPLATE_FUNCTIONS


def _is_literal_alternation(value: str) -> bool:
    """Prometheus's shortcut: ``a|b|c`` with no other regex syntax is matched as strings."""
    return not any(c in _REGEX_META for c in value)


@lru_cache(maxsize=4096)
def _regex_error(pattern: str) -> str | None:
    return check_regex(pattern, go_version=GO_VERSION)


def label_matcher_regex_error(value: str) -> str | None:
    """A ``=~``/``!~`` matcher's regex problem, as Prometheus's matcher reports it.

    Prometheus skips parsing when the value is a plain alternation of literals
    (``a|b``), so only other values are parsed.
    """
    if _is_literal_alternation(value):
        return None
    return _regex_error(value)


def line_filter_regex_error(value: str) -> str | None:
    """A ``|~``/``!~`` line filter's regex problem (always parsed)."""
    return _regex_error(value)


def matcher_matches_empty(op: str, value: str) -> bool:
    """Whether a selector matcher matches the empty string (so selects nothing alone)."""
    if op == "=":
        return value == ""
    if op == "!=":
        return value != ""
    if _is_literal_alternation(value):
        empty = "" in value.split("|")
    else:
        parsed = matches_empty(value, go_version=GO_VERSION)
        if parsed is None:  # an invalid regex is reported on its own
            return True
        empty = parsed
    return empty if op == "=~" else not empty


def _captures(pattern: str) -> tuple[int, list[str]]:
    """Number of capture groups of a valid RE2 pattern and the names among them."""
    count = 0
    names: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if pattern.startswith("\\Q", i):
                end = pattern.find("\\E", i + 2)
                i = n if end < 0 else end + 2
            else:
                i += 2
        elif c == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                if pattern[i] == "\\":
                    i += 1
                elif pattern.startswith("[:", i) and ":]" in pattern[i + 2 :]:
                    i = pattern.index(":]", i + 2) + 1
                i += 1
            i += 1
        elif c == "(":
            rest = pattern[i + 1 : i + 4]
            if rest.startswith(("?P<", "?<")):
                start = i + (4 if rest.startswith("?P<") else 3)
                end = pattern.index(">", start)
                names.append(pattern[start:end])
                count += 1
            elif not rest.startswith("?"):
                count += 1
            i += 1
        else:
            i += 1
    return count, names


def regexp_parser_error(pattern: str) -> str | None:
    """Why ``| regexp`` refuses ``pattern``: bad syntax, or no (unique) named group."""
    problem = _regex_error(pattern)
    if problem:
        return f"invalid regex: {problem}"
    count, names = _captures(pattern)
    if count == 0 or not names:
        return "the regex needs at least one named capture group, e.g. (?P<status>\\d+)"
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return f"duplicate capture group name {name!r}: each extracted label needs its own name"
        seen.add(name)
    return None


def template_error(text: str, name: str) -> str | None:
    """Go's parse error for a ``line_format``/``label_format`` template."""
    errors = check_template(text, functions=TEMPLATE_FUNCTIONS, template_name=name)
    if not errors:
        return None
    first = errors[0]
    return f"{first.message} (template line {first.line}, column {first.column})"
