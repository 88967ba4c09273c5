"""Reductions of the LogQL grammar: build the thin tree and run Loki's checks.

The parser calls one method per grammar rule as soon as the rule is reduced
(lark's LALR ``transformer``), so no parse tree is kept and nothing here
recurses: a query nested ten thousand levels deep costs no Python stack.
Checks run where Loki runs them, in the constructor of the node they concern;
their problems go to :attr:`Builder.problems`.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from . import rules
from .extraction import json_path_error, logfmt_key_error
from .netip import ip_pattern_error
from .nodes import Expr, Grouping, IpTerm, Kind, LabelFilter, LogRange, Matcher, Selector
from .pattern import line_filter_pattern_error, parser_pattern_error
from .stages import (
    ERROR_LABEL,
    label_matcher_regex_error,
    line_filter_regex_error,
    regexp_parser_error,
    template_error,
)

__all__ = ["Builder"]

Children = list[Any]

_REGEX_FILTERS = frozenset({"|~", "!~"})
_PATTERN_FILTERS = frozenset({"|>", "!>"})
_IP_FILTERS = frozenset({"|=", "!="})


def _pos(tok: Token) -> int:
    return tok.start_pos or 0


def _tokens(children: Children, kind: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == kind]


def _first(children: Children, cls: type[Any]) -> Any:
    return next((c for c in children if isinstance(c, cls)), None)


def _param(children: Children) -> Token | None:
    """The leading ``NUMBER ,`` argument of topk(5, ...) or quantile_over_time(0.9, ...)."""
    for i, child in enumerate(children[:-1]):
        if isinstance(child, Token) and child.type == "NUMBER":
            following = children[i + 1]
            if isinstance(following, Token) and following.type == "COMMA":
                return child
            return None
    return None


class Builder(Transformer[Token, Expr]):
    """Callbacks named after the grammar's rules; see :mod:`.grammar`."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.problems: list[tuple[str, int]] = []

    def _report(self, found: list[tuple[str, int]]) -> None:
        self.problems.extend(found)

    # -- expressions ---------------------------------------------------------

    def start(self, c: Children) -> Expr:
        expr: Expr = c[0]
        return expr

    def binop(self, c: Children) -> Expr:
        lhs, op, rhs = c[0], c[1], c[-1]
        kind, problems = rules.binop(lhs, op, rhs)
        self._report(problems)
        return Expr(kind, lhs.start)

    def paren(self, c: Children) -> Expr:
        inner: Expr = c[1]
        return inner

    def literal(self, c: Children) -> Expr:
        number = c[-1]
        self._report(rules.literal(number))
        return Expr(Kind.LITERAL, _pos(c[0]))

    def vector_lit(self, c: Children) -> Expr:
        self._report(rules.vector_literal(c[2]))
        return Expr(Kind.METRIC, _pos(c[0]))

    def log_query(self, c: Children) -> Expr:
        return Expr(Kind.LOG, c[0].start)

    def range_agg(self, c: Children) -> Expr:
        op = c[0]
        self._report(rules.range_aggregation(op, _param(c), _first(c, LogRange), _first(c, Grouping)))
        return Expr(Kind.METRIC, _pos(op))

    def vector_agg(self, c: Children) -> Expr:
        op = c[0]
        body = _first(c, Expr)
        self._report(rules.vector_aggregation(op, _param(c), body, _first(c, Grouping)))
        return Expr(Kind.METRIC, _pos(op))

    def label_replace(self, c: Children) -> Expr:
        self._report(rules.label_replace(c[2], c[10]))
        return Expr(Kind.METRIC, _pos(c[0]))

    def grouping(self, c: Children) -> Grouping:
        labels = _first(c, tuple)
        return Grouping(_pos(c[0]), labels or ())

    def label_list(self, c: Children) -> tuple[str, ...]:
        return tuple(t.value for t in _tokens(c, "IDENTIFIER"))

    def bin_mod(self, c: Children) -> None:
        return None

    def matching(self, c: Children) -> None:
        return None

    def group_mod(self, c: Children) -> None:
        return None

    # -- selectors and ranges --------------------------------------------------

    def matcher(self, c: Children) -> Matcher:
        name, op, value = c
        valid = True
        if op.value in ("=~", "!~"):
            problem = label_matcher_regex_error(value.value)
            if problem:
                self._report([(f"invalid regex in {name.value}{op.value}: {problem}", _pos(value))])
                valid = False
        return Matcher(name.value, op.value, value.value, _pos(name), valid)

    def selector(self, c: Children) -> Selector:
        sel = Selector(_pos(c[0]), tuple(m for m in c if isinstance(m, Matcher)))
        self._report(rules.selector(sel))
        return sel

    def log_range(self, c: Children) -> LogRange:
        unwrap = _first(c, _Unwrap)
        return LogRange(_first(c, Selector), unwrap.start if unwrap else None)

    def paren_range(self, c: Children) -> LogRange:
        inner: LogRange = c[1]
        return inner

    def offset(self, c: Children) -> None:
        return None

    def unwrap(self, c: Children) -> _Unwrap:
        return _Unwrap(_pos(c[0]))

    def unwrap_filter(self, c: Children) -> _Unwrap:
        first: _Unwrap = c[0]
        return first  # filters after unwrap never get their ip() pattern checked by Loki

    # -- pipeline stages ---------------------------------------------------------

    def line_filter(self, c: Children) -> None:
        op = c[0].value
        for value in c[1:]:
            if isinstance(value, IpTerm):
                if op not in _IP_FILTERS:
                    self._report([(f"ip() only works with |= and != line filters, not {op}", value.pattern_start)])
                self._ip(value)
            elif isinstance(value, Token) and value.type == "STRING":
                if op in _REGEX_FILTERS:
                    problem = line_filter_regex_error(value.value)
                    if problem:
                        self._report([(f"invalid regex in {op} line filter: {problem}", _pos(value))])
                elif op in _PATTERN_FILTERS:
                    problem = line_filter_pattern_error(value.value)
                    if problem:
                        self._report([(f"invalid pattern in {op} line filter: {problem}", _pos(value))])

    def ip_value(self, c: Children) -> IpTerm:
        return IpTerm(c[2].value, _pos(c[2]))

    def _ip(self, term: IpTerm) -> None:
        problem = ip_pattern_error(term.pattern)
        if problem:
            self._report([(problem, term.pattern_start)])

    def logfmt_parser(self, c: Children) -> None:
        self._extractions(c, logfmt_key_error, "logfmt")

    def json_parser(self, c: Children) -> None:
        self._extractions(c, json_path_error, "json")

    def _extractions(self, c: Children, check: Any, what: str) -> None:
        for pairs in c:
            if isinstance(pairs, list):
                for text, at in pairs:
                    problem = check(text)
                    if problem:
                        self._report([(f"invalid {what} expression {text!r}: {problem}", at)])

    def extractions(self, c: Children) -> list[tuple[str, int]]:
        return [e for e in c if isinstance(e, tuple)]

    def extraction(self, c: Children) -> tuple[str, int]:
        target = c[-1]  # the quoted expression, or the label name standing for itself
        return target.value, _pos(target)

    def regexp_parser(self, c: Children) -> None:
        problem = regexp_parser_error(c[2].value)
        if problem:
            self._report([(f"invalid | regexp parser: {problem}", _pos(c[2]))])

    def pattern_parser(self, c: Children) -> None:
        problem = parser_pattern_error(c[2].value)
        if problem:
            self._report([(f"invalid | pattern parser: {problem}", _pos(c[2]))])

    def unpack_parser(self, c: Children) -> None:
        return None

    def decolorize(self, c: Children) -> None:
        return None

    def line_format(self, c: Children) -> None:
        problem = template_error(c[2].value, "line")
        if problem:
            self._report([(f"invalid line_format template: {problem}", _pos(c[2]))])

    def label_format(self, c: Children) -> None:
        seen: set[str] = set()
        for name, value in (x for x in c if isinstance(x, tuple)):
            if name.value == ERROR_LABEL:
                self._report([(f"label_format cannot set {ERROR_LABEL}", _pos(name))])
            elif name.value in seen:
                self._report([(f"label_format sets {name.value} twice: each label once per stage", _pos(name))])
            seen.add(name.value)
            if value.type == "STRING":
                problem = template_error(value.value, "label")
                if problem:
                    self._report([(f"invalid label_format template for {name.value}: {problem}", _pos(value))])

    def label_fmt(self, c: Children) -> tuple[Token, Token]:
        return c[0], c[2]

    def drop_labels(self, c: Children) -> None:
        return None

    def keep_labels(self, c: Children) -> None:
        return None

    def named_matcher(self, c: Children) -> None:
        return None

    # -- label filters --------------------------------------------------------------

    def label_filter_stage(self, c: Children) -> None:
        chain: LabelFilter = c[1]
        if isinstance(chain.single, IpTerm):
            self._ip(chain.single)  # Loki checks the pattern only of a lone ip() filter

    def label_filter(self, c: Children) -> LabelFilter:
        terms = [t for t in c if not isinstance(t, Token)]
        single = terms[0] if len(terms) == 1 else None
        if isinstance(single, LabelFilter):
            single = single.single
        return LabelFilter(single)

    def paren_filter(self, c: Children) -> LabelFilter:
        inner: LabelFilter = c[1]
        return inner

    def ip_filter(self, c: Children) -> IpTerm:
        return IpTerm(c[4].value, _pos(c[4]))

    def unit_filter(self, c: Children) -> object:
        return _TERM

    def number_filter(self, c: Children) -> object:
        return _TERM


class _Unwrap:
    __slots__ = ("start",)

    def __init__(self, start: int) -> None:
        self.start = start


_TERM = object()  # a label-filter term no check looks into
