"""What promql-parser accepts but the target Prometheus would not, read off the tokens.

promql-parser follows Prometheus 3.x and does not do Go's range checks, so
after it has parsed an expression two kinds of rejection are still missing:
names and syntax the target version does not know yet (or any more), and
numbers, durations and @ timestamps out of Go's range. Both are questions
about token text, which the AST does not keep.
"""

from __future__ import annotations

import math

from paladin_obs.validate.promql_functions import (
    AGGREGATIONS,
    Version,
    aggregation_allowed,
    feature_allowed,
    function_allowed,
)
from paladin_obs.validate.promql_scan import (
    DURATION,
    DURATION_PART,
    GROUPING,
    SPECIAL_FLOATS,
    Scan,
    Token,
    duration_ns,
    in_duration_position,
    is_offset,
    number_value,
    unquote,
)

__all__ = ["Dialect"]

_MAX_DURATION_NS = 2**63 - 1
_MAX_DURATION_S = 2**63 / 1e9
_NOT_CALLS = GROUPING | frozenset(("bool", "and", "or", "unless", "atan2", "offset"))


class Dialect:
    """Checks on the token stream: what the target knows, and Go's range checks.

    The AST cannot answer these (it does not keep token text, and walking it
    costs more than the parse), and after a successful parse every token's
    role is unambiguous enough: an identifier followed by "(" is a call or an
    aggregation unless it is a keyword.
    """

    def __init__(self, scan: Scan, version: Version) -> None:
        self.toks = scan.tokens
        self.version = version
        self.errors: list[str] = []
        self.regexes: list[str] = []  # regex matcher values, decoded

    def add(self, message: str | None) -> None:
        if message and message not in self.errors:
            self.errors.append(message)

    def run(self, parsed: bool) -> list[str]:
        toks = self.toks
        brackets: list[str] = []  # "{", "(", "label-list", "["
        for k, tok in enumerate(toks):
            prev = toks[k - 1] if k else None
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if tok.kind == "op":
                self._op(k, brackets)
            elif tok.kind == "num":
                for message in _number_errors(toks, k, brackets, self.version):
                    self.add(message)
            elif tok.kind == "str":
                self._string(tok, prev, brackets)
            elif tok.text.lower() in SPECIAL_FLOATS:
                for message in _number_errors(toks, k, brackets, self.version):
                    self.add(message)
            elif parsed:
                self._ident(tok, prev, nxt, brackets)
        return self.errors

    def _op(self, k: int, brackets: list[str]) -> None:
        tok = self.toks[k]
        prev = self.toks[k - 1] if k else None
        text = tok.text
        if text in "({[":
            is_list = text == "(" and prev is not None and prev.text.lower() in GROUPING
            brackets.append("label-list" if is_list else text)
        elif text in ")}]":
            if brackets:
                brackets.pop()
        elif text == "@":
            self.add(feature_allowed("@ modifier", self.version))
        elif text == ":" and brackets[-1:] == ["["]:
            self.add(feature_allowed("subquery", self.version))
        elif text == "-" and is_offset(self.toks, k - 1):
            self.add(feature_allowed("negative offset", self.version))
        elif text == "+" and is_offset(self.toks, k - 1):
            # Go's 2.x (and 3.0) grammar has only "offset" ["-"] duration; see FEATURES.
            why = feature_allowed("plus sign in offset", self.version)
            if why:
                self.add(f'unexpected "+" in offset, expected duration ({why})')

    def _string(self, tok: Token, prev: Token | None, brackets: list[str]) -> None:
        if prev is not None and prev.text in ("=~", "!~"):
            value = unquote(tok.text)
            if value is not None:
                self.regexes.append(value)
        elif self.version < (3, 0) and _is_quoted_name(prev, brackets):
            self.add(
                f"quoted label or metric name {tok.text} needs Prometheus 3.0, "
                f"target is {self.version[0]}.{self.version[1]}"
            )

    def _ident(
        self, tok: Token, prev: Token | None, nxt: Token | None, brackets: list[str]
    ) -> None:
        word = tok.text.lower()
        if brackets[-1:] == ["{"]:
            if word == "or" and prev is not None and prev.kind == "str":
                self.add("'or' between label matchers is not PromQL (a promql-parser extension)")
            return
        if word == "atan2":
            self.add(feature_allowed("atan2 operator", self.version))
            return
        if nxt is None or word in _NOT_CALLS or brackets[-1:] == ["label-list"]:
            return
        if prev is not None and prev.text == "@":
            return  # "@ start()" and "@ end()" are modifiers, not calls
        if word in AGGREGATIONS and (nxt.text == "(" or nxt.text.lower() in ("by", "without")):
            self.add(aggregation_allowed(word, self.version))
        elif nxt.text == "(":
            self.add(function_allowed(tok.text, self.version))


def _is_quoted_name(prev: Token | None, brackets: list[str]) -> bool:
    if not brackets or prev is None:
        return False
    if brackets[-1] == "label-list":
        return True
    return brackets[-1] == "{" and (prev.text in ("{", ",") or prev.text.lower() == "or")


def _duration_out_of_range(text: str) -> bool:
    """A unitless duration Go's time.Duration (int64 nanoseconds) cannot hold."""
    value = number_value(text)
    return value is not None and not (math.isfinite(value) and abs(value) < _MAX_DURATION_S)


def _number_errors(toks: list[Token], k: int, brackets: list[str], version: Version) -> list[str]:
    """Go's complaints about the number or duration token at ``k``.

    Where the token stands decides which apply: unit and range rules where a
    duration belongs ("[...]", offset), the int64 range after "@", and in 2.x
    whether a duration may stand for a number or a number for a duration.
    """
    tok = toks[k]
    prev = toks[k - 1] if k else None
    if prev is not None and prev.text in ("-", "+") and k > 1:
        prev = toks[k - 2]
    is_duration = DURATION.fullmatch(tok.text) is not None
    if not in_duration_position(toks, k):
        # Durations where a number belongs ("time() - 1d", "x @ 1h"): Go 2.x
        # says 'unexpected duration "1d"'.
        out = []
        if is_duration:
            why = feature_allowed("duration as number", version)
            if why:
                out.append(f"{why}: {tok.text!r}")
        if prev is not None and prev.text == "@":
            out += _timestamp_errors(tok.text)
        return out
    if brackets[-1:] != ["["] and not (prev is not None and prev.kind == "ident"):
        return []
    if not is_duration:
        why = feature_allowed("number as duration", version)
        if why:
            return [f"{why}: {tok.text!r} has no unit"]
        return [f"duration out of range: {tok.text}"] if _duration_out_of_range(tok.text) else []
    out = []
    if duration_ns(tok.text) > _MAX_DURATION_NS:
        out.append(f"duration out of range: {tok.text}")
    if len(DURATION_PART.findall(tok.text)) > 1:
        why = feature_allowed("composite duration", version)
        if why:
            out.append(f"{why}: {tok.text}")
    return out


def _timestamp_errors(text: str) -> list[str]:
    """Go rejects @ timestamps that do not fit an int64 (or are not finite)."""
    value = number_value(text)
    if DURATION.fullmatch(text):
        value = duration_ns(text) / 1e9
    if value is None:
        return []
    if not math.isfinite(value) or abs(value) >= 2.0**63:
        return [f"timestamp out of bounds for @ modifier: {text}"]
    return []
