"""Where a PromQL parse error is, and why, as promtool says it.

promql-parser reports syntax errors as a bare "invalid promql query" and its
lexer errors ("unclosed left parenthesis") without a position; promtool
prints both with the line and column inside the expression
(``1:7: parse error: unexpected end of input``). This module finds them
again from the token stream of ``promql_scan``:

* a small recursive-descent recogniser of PromQL's syntax (no types) stops at
  the first token Go's LALR parser would not accept, and names it the way Go
  does (``unexpected identifier "bar"``, ``unexpected <op:>>``,
  ``unexpected end of input``, with Go's context where it gives one);
* lexer errors are placed where Go's lexer places them (the end of input for
  anything unclosed, just after an unbalanced ``)``);
* type errors are placed at the token they name when the message names one
  (``unknown function``, ``in call to 'rate'``); otherwise the position is
  unknown and only the reason is kept.

Only ever used on input promql-parser already refused, to explain it: a
disagreement here changes where a message points, never a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from paladin_obs.validate.promql_scan import DURATION, Token, scan, unquote

__all__ = ["Located", "explain", "line_column"]

_AGGREGATIONS = frozenset(
    {
        "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk",
        "bottomk", "count_values", "quantile", "limitk", "limit_ratio",
    }
)  # fmt: skip
_SET_AND_ATAN = frozenset({"and", "or", "unless", "atan2"})
_OPS = frozenset({"+", "-", "*", "/", "%", "^", "==", "!=", ">=", "<=", "<", ">"})
_COMPARISONS = frozenset({"==", "!=", ">=", "<=", "<", ">"})
_MATCH_OPS = frozenset({"=", "!=", "=~", "!~"})
_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"}
)
_KNOWN_PUNCT = frozenset("(){}[],:@=") | _OPS | _MATCH_OPS


@dataclass(frozen=True)
class Located:
    """A parse error's reason and its character offset in the expression (None: unknown)."""

    offset: int | None
    reason: str


class _Fail(Exception):
    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def _describe(tok: Token) -> str:
    """A token as Go's parser names it in "unexpected ..." messages."""
    low = tok.text.lower()
    if tok.kind == "ident":
        if low in _SET_AND_ATAN:
            return f"<op:{low}>"
        if low in _AGGREGATIONS:
            return f"<aggr:{low}>"
        if low in _KEYWORDS:
            return f"<{low}>"
        return f"identifier {tok.text!r}".replace("'", '"')
    if tok.kind == "num":
        return f'duration "{tok.text}"' if DURATION.fullmatch(tok.text) else f'number "{tok.text}"'
    if tok.kind == "str":
        return f"string {tok.text!r}"
    if tok.text in _OPS:
        return f"<op:{tok.text}>"
    return f'"{tok.text}"'


class _Recogniser:
    def __init__(self, expr: str, tokens: list[Token]) -> None:
        self.expr = expr
        self.toks = tokens
        self.pos = 0
        self.inside: list[str] = []  # the brackets the lexer is in: "{" or "["

    # -- tokens ---------------------------------------------------------------
    def peek(self, k: int = 0) -> Token | None:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

    def text(self, k: int = 0) -> str:
        tok = self.peek(k)
        return "" if tok is None else tok.text.lower() if tok.kind == "ident" else tok.text

    def next(self) -> Token:
        tok = self.peek()
        if tok is None:
            self.fail(None)
        assert tok is not None
        self.pos += 1
        return tok

    def expect(self, text: str, context: str = "", expected: str = "") -> Token:
        tok = self.peek()
        if tok is None or self.text() != text:
            self.fail(tok, context, expected or f'"{text}"')
        return self.next()

    def fail(self, tok: Token | None, context: str = "", expected: str = "") -> NoReturn:
        if tok is None:
            raise _Fail(len(self.expr), self._eof(context, expected))
        lexer = self._lexer_error(tok)
        if lexer is not None:
            raise lexer
        reason = f"unexpected {_describe(tok)}"
        if context:
            reason += f" in {context}"
        if expected:
            reason += f", expected {expected}"
        raise _Fail(tok.start, reason)

    def _eof(self, context: str, expected: str) -> str:
        if "{" in self.inside:
            return "unexpected end of input inside braces"
        if "[" in self.inside:
            return "unclosed left bracket"
        depth = 0
        for tok in self.toks:
            depth += {"(": 1, ")": -1}.get(tok.text, 0)
        if depth > 0:
            return "unclosed left parenthesis"
        reason = "unexpected end of input"
        if context:
            reason += f" in {context}"
        if expected:
            reason += f", expected {expected}"
        return reason

    def _lexer_error(self, tok: Token) -> _Fail | None:
        """Go's lexer complains before the parser does about these tokens."""
        if tok.kind == "op" and tok.text not in _KNOWN_PUNCT and tok.text not in "!~":
            return _Fail(tok.start, f"unexpected character: {tok.text!r}")
        if tok.text == ")":
            depth = 0
            for other in self.toks:
                depth += {"(": 1, ")": -1}.get(other.text, 0)
                if other is tok:
                    break
            if depth < 0:
                return _Fail(tok.start + 1, "unexpected right parenthesis ')'")
        return None

    # -- grammar --------------------------------------------------------------
    def parse(self) -> None:
        self.expr_()
        if self.peek() is not None:
            self.fail(self.peek())

    def is_binop(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        return tok.text in _OPS if tok.kind == "op" else self.text() in _SET_AND_ATAN

    def expr_(self) -> None:
        self.unary()
        while self.is_binop():
            op = self.text()
            self.next()
            if op in _COMPARISONS and self.text() == "bool":
                self.next()
            if self.text() in ("on", "ignoring"):
                self.next()
                self.labels("grouping opts")
                if self.text() in ("group_left", "group_right"):
                    self.next()
                    if self.text() == "(":
                        self.labels("grouping opts")
            self.unary()

    def unary(self) -> None:
        while self.text() in ("+", "-"):
            self.next()
        self.primary()
        self.postfix()

    def primary(self) -> None:
        tok = self.peek()
        if tok is None:
            self.fail(None)
        assert tok is not None
        low = self.text()
        if tok.kind in ("num", "str"):
            self.next()
        elif low == "(":
            self.next()
            self.expr_()
            self.expect(")", "", '")"')
        elif low == "{":
            self.matchers()
        elif tok.kind == "ident" and low in _AGGREGATIONS:
            self.aggregation()
        elif tok.kind == "ident" and self.text(1) == "(":
            self.next()
            self.call_args()
        elif tok.kind == "ident" and low not in _SET_AND_ATAN:
            self.next()
            if self.text() == "{":
                self.matchers()
        else:
            self.fail(tok)

    def call_args(self) -> None:
        self.expect("(")
        if self.text() == ")":
            self.next()
            return
        self.expr_()
        while self.text() == ",":
            self.next()
            self.expr_()
        self.expect(")", "", '")"')

    def aggregation(self) -> None:
        self.next()
        grouped = False
        if self.text() in ("by", "without"):
            self.next()
            self.labels("grouping opts")
            grouped = True
        self.expect("(", "aggregation", '"("')
        self.expr_()
        while self.text() == ",":
            self.next()
            self.expr_()
        self.expect(")", "", '")"')
        if not grouped and self.text() in ("by", "without"):
            self.next()
            self.labels("grouping opts")

    def labels(self, context: str) -> None:
        self.expect("(", context, '"("')
        while self.text() != ")":
            tok = self.peek()
            if tok is None or tok.kind not in ("ident", "str"):
                self.fail(tok, context, '")" or label')
            self.next()
            if self.text() == ",":
                self.next()
            elif self.text() != ")":
                self.fail(self.peek(), context, '"," or ")"')
        self.next()

    def matchers(self) -> None:
        self.expect("{")
        self.inside.append("{")
        while self.text() != "}":
            tok = self.peek()
            if tok is None or tok.kind not in ("ident", "str"):
                self.fail(tok, "label matching", 'identifier or "}"')
            self.next()
            if tok.kind == "str" and self.text() in (",", "}"):
                pass  # a quoted metric name (3.x)
            else:
                if self.text() not in _MATCH_OPS:
                    self.fail(self.peek(), "label matching", "label matching operator")
                self.next()
                value = self.peek()
                if value is None or value.kind != "str":
                    self.fail(value, "label matching", "string")
                self.next()
            if self.text() == ",":
                self.next()
            elif self.text() != "}":
                self.fail(self.peek(), "label matching", '"," or "}"')
        self.inside.pop()
        self.next()

    def duration(self, context: str) -> None:
        tok = self.peek()
        if tok is None or tok.kind != "num":
            self.fail(tok, context, "duration")
        self.next()

    def postfix(self) -> None:
        while True:
            low = self.text()
            if low == "[":
                self.next()
                self.inside.append("[")
                self.duration("")
                if self.text() == ":":
                    self.next()
                    if self.text() != "]":
                        self.duration("subquery")
                self.expect("]", "", '"]"')
                self.inside.pop()
            elif low == "offset":
                self.next()
                if self.text() in ("+", "-"):
                    self.next()
                self.duration("offset")
            elif low == "@":
                self.next()
                if self.text() in ("+", "-"):
                    self.next()
                if self.text() in ("start", "end") and self.text(1) == "(":
                    self.next()
                    self.expect("(")
                    self.expect(")")
                else:
                    tok = self.peek()
                    if tok is None or tok.kind != "num":
                        self.fail(tok, "@", "timestamp")
                    self.next()
            else:
                return


def _syntax_error(expr: str) -> _Fail | None:
    recogniser = _Recogniser(expr, scan(expr, bounded=False).tokens)
    try:
        recogniser.parse()
    except _Fail as fail:
        return fail
    return None


_NAMED_CALL = re.compile(r"(?:unknown function with name|in call to (?:function )?)\s*'([^']+)'")
_BAD_DURATION = re.compile(r"not a valid duration string: \"?([^\"\s]+)")
#: promql-parser's type names in type errors, as Go names them.
_GO_TYPES = re.compile(r"(expected type|got:?) (matrix|vector)\b")
_TYPE_NAMES = {"matrix": "range vector", "vector": "instant vector"}
_END_OF_INPUT = ("end of input", "unclosed left")


def explain(expr: str, reason: str) -> Located:
    """promql-parser's ``reason`` for refusing ``expr``, with Go's position and,
    for its bare "invalid promql query", Go's reason too."""
    if reason == "invalid promql query":
        fail = _syntax_error(expr)
        return Located(None, reason) if fail is None else Located(fail.offset, fail.reason)
    if any(words in reason for words in _END_OF_INPUT):
        return Located(len(expr), reason)
    reason = _GO_TYPES.sub(lambda m: f"{m.group(1)} {_TYPE_NAMES[m.group(2)]}", reason)
    toks = scan(expr, bounded=False).tokens
    if reason.startswith(("unterminated", "unknown escape")):
        for tok in toks:
            if tok.kind == "str" and unquote(tok.text) is None:
                return Located(tok.start, reason)
    duration = _BAD_DURATION.search(reason)
    if duration:
        for tok in toks:
            if tok.text == duration.group(1):
                return Located(tok.start, reason)
    if "in aggregation expression, got range vector" in reason:
        for k, tok in enumerate(toks):
            if tok.kind == "ident" and tok.text.lower() in _AGGREGATIONS:
                paren = k + 1
                if paren < len(toks) and toks[paren].text.lower() in ("by", "without"):
                    paren = next(
                        (j + 1 for j in range(paren, len(toks)) if toks[j].text == ")"), paren
                    )
                start = _argument(toks, paren, reason)
                if start is not None:
                    return Located(start, reason)
        return Located(None, reason)
    named = _NAMED_CALL.search(reason)
    if named:
        for k, tok in enumerate(toks):
            if tok.kind == "ident" and tok.text == named.group(1):
                if reason.startswith("expected type"):
                    return Located(_argument(toks, k + 1, reason), reason)
                return Located(tok.start, reason)
        return Located(None, reason)
    if reason.startswith("unexpected"):
        fail = _syntax_error(expr)
        if fail is not None:
            return Located(fail.offset, reason)
    return Located(None, reason)


def _argument(toks: list[Token], paren: int, reason: str) -> int | None:
    """Where the argument a type error is about starts (Go points at it): the
    first one that is not a range when a range is expected, else the first."""
    if paren >= len(toks) or toks[paren].text != "(":
        return None
    args: list[tuple[int, bool]] = []  # (start, has a range)
    depth, start, ranged = 0, None, False
    for tok in toks[paren + 1 :]:
        if depth == 0 and tok.text in (",", ")"):
            if start is not None:
                args.append((start, ranged))
            if tok.text == ")":
                break
            start, ranged = None, False
            continue
        if start is None:
            start = tok.start
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(tok.text, 0)
        ranged = ranged or tok.text == "["
    if not args:
        return None
    if "got range vector" in reason:
        return next((a for a, has_range in args if has_range), args[0][0])
    if "expected type range vector" in reason:
        return next((a for a, has_range in args if not has_range), args[0][0])
    return args[0][0]


def line_column(expr: str, offset: int) -> tuple[int, int]:
    """Go's ``ParseErr`` position: 1-based line, and column in bytes, of ``offset``."""
    before = expr[:offset]
    line = before.count("\n") + 1
    start = before.rfind("\n") + 1
    return line, len(before[start:].encode("utf-8", "surrogatepass")) + 1
