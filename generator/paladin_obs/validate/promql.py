"""PromQL validation with the verdict ``promtool check rules`` gives for a target version.

promql-parser (Rust) does the grammar and type checking, and agrees with the Go
parser on almost everything. Where it does not, this module closes the gap:

* it follows Prometheus 3.x, so names and syntax the target does not know are
  rejected here (function/aggregation tables, numbers as durations, quoted
  UTF-8 names, ``or`` inside braces, fill modifiers, @/negative offset/
  subqueries before they existed);
* it compiles regexes with Rust's engine, so every regex goes through our RE2
  checker instead, and regexes Rust cannot compile are swapped for stand-ins
  with the same empty-match behaviour before parsing;
* it lacks Go's range checks on durations and @ timestamps;
* it recurses without limit and can crash the process on absurdly deep input,
  so size and nesting are bounded first and parsing runs on a worker thread
  with a large stack.

``label_replace`` regexes are checked too, although promtool does not (they
only fail when the rule is evaluated, every time).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
import math
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import promql_parser as pp

from paladin_obs.validate.promql_functions import (
    AGGREGATIONS,
    aggregation_allowed,
    feature_allowed,
    function_allowed,
)
from paladin_obs.validate.re2 import check_regex, matches_empty

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_OPERATORS",
    "MAX_UNBALANCED_OPERATORS",
    "PromQLError",
    "check_expr",
    "parse_expr",
]

Version = tuple[int, int]
T = TypeVar("T")

#: Bounds that keep promql-parser fast and its recursion shallow. The parser is
#: super-linear on long left-nested operator chains (~0.1 s at 500 operators,
#: ~1.3 s at 2,000, ~48 s at 8,000) but fast on balanced trees, so a long chain
#: of one operator is rebalanced before parsing (see ``_rebalance``) and only
#: other shapes keep the tight ``MAX_UNBALANCED_OPERATORS`` bound. Generated
#: rule files do contain ``or`` chains of several hundred terms.
MAX_LENGTH = 1_048_576
MAX_DEPTH = 256
MAX_OPERATORS = 20_000
MAX_UNBALANCED_OPERATORS = 500

_STACK_SIZE = 64 * 1024 * 1024
_MAX_DURATION_NS = 2**63 - 1
_MAX_DURATION_S = 2**63 / 1e9
_SPECIAL_FLOATS = frozenset(("inf", "nan"))  # Go lexes these as numbers
_UNIT_NS = {
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
    "d": 86400 * 10**9,
    "w": 7 * 86400 * 10**9,
    "y": 365 * 86400 * 10**9,
}


@dataclass(frozen=True)
class PromQLError:
    """One reason the expression would be rejected (or, for label_replace, fail)."""

    message: str


# -- promql-parser setup ------------------------------------------------------


def _register_holt_winters() -> None:
    """promql-parser dropped holt_winters (3.0); 2.x targets still accept it.

    Registration is process-global, so for 3.x targets the function table
    rejects the name instead.
    """
    hw = pp.Function(
        "holt_winters",
        [pp.ValueType.Matrix, pp.ValueType.Scalar, pp.ValueType.Scalar],
        pp.ValueType.Vector,
    )
    with contextlib.suppress(ValueError):  # already registered, or built in again
        pp.register_extra_functions([hw])


_register_holt_winters()


class _BigStackWorker:
    """One long-lived daemon thread with a large stack, started on first use.

    A thread per call would cost more than the parse. The hand-off is a bare
    queue plus a lock per call: about half the cost of a ThreadPoolExecutor
    future, which matters at ~50 us per parse.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job] | None = None
        self._thread: threading.Thread | None = None

    def run(self, fn: Callable[[], T]) -> T:
        if threading.current_thread() is self._thread:
            return fn()
        jobs = self._jobs or self._start()
        done = threading.Lock()
        done.acquire()
        box: list[object] = []
        jobs.put((fn, box, done))
        done.acquire()
        if isinstance(box[0], _Failure):
            raise box[0].error
        return box[0]  # type: ignore[return-value]  # fn's result, stored untyped

    def _start(self) -> queue.SimpleQueue[_Job]:
        with self._lock:
            if self._jobs is None:
                jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
                previous = threading.stack_size(_STACK_SIZE)
                try:
                    thread = threading.Thread(
                        target=_serve, args=(jobs,), name="promql-parser", daemon=True
                    )
                    thread.start()
                finally:
                    threading.stack_size(previous)
                self._thread, self._jobs = thread, jobs
            return self._jobs


@dataclass(frozen=True)
class _Failure:
    error: BaseException


_Job = tuple[Callable[[], object], list[object], threading.Lock]


def _serve(jobs: queue.SimpleQueue[_Job]) -> None:
    while True:
        fn, box, done = jobs.get()
        try:
            box.append(fn())
        except BaseException as error:  # handed back to the caller, who re-raises
            box.append(_Failure(error))
        finally:
            done.release()


_WORKER = _BigStackWorker()


# -- lexical pre-scan ---------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>\#[^\n]*)
    |(?P<str>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?)
    |(?P<num>0[xX][0-9a-fA-F]*|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[0-9a-zA-Z_.]*)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_:]*)
    |(?P<op>==|!=|>=|<=|=~|!~|.)""",
    re.VERBOSE | re.DOTALL,
)
_DURATION = re.compile(r"(?:[0-9]+(?:ms|[smhdwy]))+")
_DURATION_PART = re.compile(r"([0-9]+)(ms|[smhdwy])")
_BINARY_OPS = frozenset(
    ["+", "-", "*", "/", "%", "^", "==", "!=", ">=", "<=", "<", ">", "and", "or", "unless", "atan2"]
)
_GROUPING = frozenset(("by", "without", "on", "ignoring", "group_left", "group_right"))
_NOT_CALLS = _GROUPING | frozenset(("bool", "and", "or", "unless", "atan2", "offset"))


@dataclass
class _Token:
    kind: str  # str, num, ident, op
    text: str
    start: int


@dataclass
class _Scan:
    tokens: list[_Token] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)  # (start, end)
    depth: int = 0
    operators: int = 0
    error: str | None = None


def _scan(expr: str, bounded: bool = True) -> _Scan:
    """Tokenize just enough to bound the input and see lexical dialect features.

    Characters PromQL does not know become one-character tokens: reporting
    them is the real parser's job. ``bounded=False`` is for text we generated
    ourselves (a rebalanced chain), whose size was already checked.
    """
    out = _Scan()
    if bounded and len(expr) > MAX_LENGTH:
        out.error = f"expression is {len(expr)} characters long; the limit is {MAX_LENGTH}"
        return out
    depth = 0
    tokens = out.tokens
    for m in _TOKEN.finditer(expr):
        kind = m.lastgroup or "op"
        if kind == "comment":
            out.comments.append((m.start(), m.end()))
            continue
        if kind == "ws":
            continue
        text = m.group()
        tokens.append(_Token(kind, text, m.start()))
        if kind == "op":
            if text in "({[":
                depth += 1
                out.depth = max(out.depth, depth)
            elif text in ")}]":
                depth -= 1
        if text.lower() in _BINARY_OPS:
            out.operators += 1
    if not bounded:
        return out
    if out.depth > MAX_DEPTH:
        out.error = f"expression nests {out.depth} levels deep; the limit is {MAX_DEPTH}"
    elif out.operators > MAX_OPERATORS:
        out.error = f"expression has {out.operators} operators; the limit is {MAX_OPERATORS}"
    return out


_STRING_ESCAPE = re.compile(
    r"\\(?:x([0-9a-fA-F]{2})|([0-7]{3})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL
)
_SIMPLE_ESCAPES = {
    "a": b"\a", "b": b"\b", "f": b"\f", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v",
    "\\": b"\\", "'": b"'", '"': b'"',
}  # fmt: skip


def _unquote(token: str) -> str | None:
    """A PromQL string token's value as Go decodes it; None if malformed.

    ``\\x`` and octal escapes are bytes in Go, so the value is assembled as
    bytes; bytes that are not UTF-8 come back as lone surrogates, which the
    regex checker reports as invalid UTF-8, as Go does.
    """
    if len(token) < 2 or token[-1] != token[0]:
        return None
    body = token[1:-1]
    if token[0] == "`":
        return body
    out = bytearray()
    pos = 0
    for m in _STRING_ESCAPE.finditer(body):
        out += body[pos : m.start()].encode("utf-8", "surrogatepass")
        pos = m.end()
        hex2, octal, hex4, hex8, other = m.groups()
        if other is not None:
            if other not in _SIMPLE_ESCAPES:
                return None
            out += _SIMPLE_ESCAPES[other]
        elif hex2 or octal:
            value = int(hex2, 16) if hex2 else int(octal, 8)
            if value > 255:
                return None
            out.append(value)
        else:
            code = int(hex4 or hex8, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None
            out += chr(code).encode("utf-8")
    out += body[pos:].encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "surrogateescape")


class _Dialect:
    """Checks on the token stream: what the target knows, and Go's range checks.

    The AST cannot answer these (it does not keep token text, and walking it
    costs more than the parse), and after a successful parse every token's
    role is unambiguous enough: an identifier followed by "(" is a call or an
    aggregation unless it is a keyword.
    """

    def __init__(self, scan: _Scan, version: Version) -> None:
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
            elif tok.text.lower() in _SPECIAL_FLOATS:
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
            is_list = text == "(" and prev is not None and prev.text.lower() in _GROUPING
            brackets.append("label-list" if is_list else text)
        elif text in ")}]":
            if brackets:
                brackets.pop()
        elif text == "@":
            self.add(feature_allowed("@ modifier", self.version))
        elif text == ":" and brackets[-1:] == ["["]:
            self.add(feature_allowed("subquery", self.version))
        elif text == "-" and _is_offset(self.toks, k - 1):
            self.add(feature_allowed("negative offset", self.version))
        elif text == "+" and _is_offset(self.toks, k - 1):
            # Go's 2.x (and 3.0) grammar has only "offset" ["-"] duration; see FEATURES.
            why = feature_allowed("plus sign in offset", self.version)
            if why:
                self.add(f'unexpected "+" in offset, expected duration ({why})')

    def _string(self, tok: _Token, prev: _Token | None, brackets: list[str]) -> None:
        if prev is not None and prev.text in ("=~", "!~"):
            value = _unquote(tok.text)
            if value is not None:
                self.regexes.append(value)
        elif self.version < (3, 0) and _is_quoted_name(prev, brackets):
            self.add(
                f"quoted label or metric name {tok.text} needs Prometheus 3.0, "
                f"target is {self.version[0]}.{self.version[1]}"
            )

    def _ident(
        self, tok: _Token, prev: _Token | None, nxt: _Token | None, brackets: list[str]
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


def _is_quoted_name(prev: _Token | None, brackets: list[str]) -> bool:
    if not brackets or prev is None:
        return False
    if brackets[-1] == "label-list":
        return True
    return brackets[-1] == "{" and (prev.text in ("{", ",") or prev.text.lower() == "or")


def _is_offset(toks: list[_Token], j: int) -> bool:
    """Whether token ``j`` is the offset modifier, not a metric called offset."""
    if j < 0 or toks[j].kind != "ident" or toks[j].text.lower() != "offset":
        return False
    return not _is_unary(toks, j)


def _in_duration_position(toks: list[_Token], k: int) -> bool:
    """Whether token ``k`` is where Go's 2.x grammar wants a duration.

    That is right after "[" or a subquery ":", or after "offset" (with an
    optional sign). A ":" token only occurs in subqueries: metric names with
    colons are identifier tokens.
    """
    j = k - 2 if k > 1 and toks[k - 1].text in ("-", "+") else k - 1
    return j >= 0 and (toks[j].text in ("[", ":") or _is_offset(toks, j))


def _number_value(text: str) -> float | None:
    """The value of a number token (Go syntax), or None if it is not one."""
    try:
        if text.lower().startswith("0x"):
            return float(int(text, 16))
        return float(text)
    except (ValueError, OverflowError):
        return None


def _duration_out_of_range(text: str) -> bool:
    """A unitless duration Go's time.Duration (int64 nanoseconds) cannot hold."""
    value = _number_value(text)
    return value is not None and not (math.isfinite(value) and abs(value) < _MAX_DURATION_S)


def _too_long_for_promql_parser(text: str) -> bool:
    """promql-parser keeps seconds in 32 bits: longer durations fail or panic there."""
    if _DURATION.fullmatch(text):
        return sum(int(v) * _UNIT_NS[u] for v, u in _DURATION_PART.findall(text)) >= 2**32 * 10**9
    value = _number_value(text)
    return value is not None and not (math.isfinite(value) and abs(value) < 2**32)


def _number_errors(toks: list[_Token], k: int, brackets: list[str], version: Version) -> list[str]:
    tok = toks[k]
    prev = toks[k - 1] if k else None
    if prev is not None and prev.text in ("-", "+") and k > 1:
        prev = toks[k - 2]
    is_duration = _DURATION.fullmatch(tok.text) is not None
    if not _in_duration_position(toks, k):
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
    parts = _DURATION_PART.findall(tok.text)
    if sum(int(v) * _UNIT_NS[u] for v, u in parts) > _MAX_DURATION_NS:
        out.append(f"duration out of range: {tok.text}")
    if len(parts) > 1:
        why = feature_allowed("composite duration", version)
        if why:
            out.append(f"{why}: {tok.text}")
    return out


def _timestamp_errors(text: str) -> list[str]:
    """Go rejects @ timestamps that do not fit an int64 (or are not finite)."""
    value = _number_value(text)
    if _DURATION.fullmatch(text):
        parts = _DURATION_PART.findall(text)
        value = sum(int(v) * _UNIT_NS[u] for v, u in parts) / 1e9
    if value is None:
        return []
    if not math.isfinite(value) or abs(value) >= 2.0**63:
        return [f"timestamp out of bounds for @ modifier: {text}"]
    return []


# -- regex stand-ins ----------------------------------------------------------


def _go_version(version: Version) -> Version:
    """The Go release the target's official binaries were built with (approximate)."""
    if version >= (3, 7):
        return (1, 25)
    if version >= (2, 51):
        return (1, 22)
    if version >= (2, 47):
        return (1, 21)
    return (1, 19)


_LEADING_ZERO_EXPONENT = re.compile(r"0[0-9]*[eE][+-]?[0-9]+")


@dataclass
class _Prepared:
    """The text promql-parser gets, plus what we learned while making it."""

    source: str
    errors: list[PromQLError]
    #: The source with every "+" operator turned into "-", when the input has a
    #: unary "+" (see ``_prepare``); None otherwise.
    minus_source: str | None = None


def _prepare(expr: str, scan: _Scan, version: Version, regexes: bool) -> _Prepared:
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
    errors: list[PromQLError] = []
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
        if tok.kind == "num" or (tok.kind == "ident" and text.lower() in _SPECIAL_FLOATS):
            if _in_duration_position(toks, k) and _too_long_for_promql_parser(text):
                stand_in = "1s" if _DURATION.fullmatch(text) else "1"
                edits.append((tok.start, tok.start + len(text), stand_in))
            elif _LEADING_ZERO_EXPONENT.fullmatch(text):
                edits.append((tok.start, tok.start + len(text), repr(float(text))))
            continue
        if tok.kind != "str" or not regexes:
            continue
        is_regex = k > 0 and toks[k - 1].text in ("=~", "!~")
        if not is_regex and not text.startswith("`"):
            continue
        value = _unquote(text)
        if value is None:
            continue
        if is_regex:
            problem = _cached_regex_error(value, version)
            if problem:
                errors.append(PromQLError(f"error parsing regexp: {problem}"))
            value = ".*" if matches_empty(value) else ".+"
        edits.append((tok.start, tok.start + len(text), json.dumps(value, ensure_ascii=False)))
    source = _apply(expr, edits)
    minus_source = None
    if any(_is_unary(toks, k) for k, tok in enumerate(toks) if tok.text == "+"):
        minus_source = _apply(expr, edits + [(pos, pos + 1, "-") for pos in plus])
    return _Prepared(source, errors, minus_source)


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


#: Identifiers after which a "+"/"-" is a sign, not a binary operator.
_BEFORE_OPERAND = frozenset(("and", "or", "unless", "atan2", "bool", "offset")) | _GROUPING


def _is_unary(toks: list[_Token], k: int) -> bool:
    """Whether the "+" or "-" at ``k`` is a sign (nothing operand-like before it)."""
    prev = toks[k - 1] if k else None
    if prev is None:
        return True
    if prev.kind == "op":
        return prev.text not in (")", "]", "}")
    return prev.kind == "ident" and prev.text.lower() in _BEFORE_OPERAND


# -- long operator chains -------------------------------------------------------

#: Operators whose chains may be regrouped without changing the verdict. Go's
#: type rules for them only look at each operand's own type (arithmetic: scalar
#: or instant vector; set operators: instant vector), and every operand stays a
#: direct operand of one of the operators however the chain is grouped.
#: Comparisons are left out: "1 < 2 > x" fails (scalars need "bool") but
#: "1 < (2 > x)" does not. "^" is right-associative and atan2 is rare.
_REGROUPABLE = frozenset(("or", "and", "unless", "+", "-", "*", "/", "%"))
#: Regrouping these does not change the value either, so the AST of the
#: regrouped text is still a faithful one for lint.
_ASSOCIATIVE = frozenset(("or", "and", "+", "*"))
_MODIFIERS = frozenset(("bool", "on", "ignoring", "group_left", "group_right"))


def _rebalance(expr: str, scan: _Scan) -> tuple[str, bool] | None:
    """A long top-level chain of one operator, regrouped as a balanced tree.

    promql-parser is super-linear on long left-nested chains and fast on
    balanced ones. Returns (text, whether the regrouped AST keeps the meaning),
    or None if ``expr`` is not such a chain: more than one operator at the top
    level, a modifier (bool, on, ignoring, group_*), or an operator outside
    ``_REGROUPABLE``. Operands are copied verbatim; each group gets its own
    parentheses and line breaks, so a comment at the end of an operand cannot
    swallow what follows.
    """
    toks = scan.tokens
    depth = 0
    op: str | None = None
    cuts: list[_Token] = []
    for k, tok in enumerate(toks):
        text = tok.text
        if tok.kind == "op" and text in "([{":
            depth += 1
        elif tok.kind == "op" and text in ")]}":
            depth -= 1
        elif depth == 0:
            word = text.lower()
            if tok.kind == "ident" and word in _MODIFIERS:
                return None
            if word not in _BINARY_OPS or (
                tok.kind == "op" and word in "+-" and _is_unary(toks, k)
            ):
                continue
            if tok.kind == "ident" and (k == 0 or _is_unary(toks, k)):
                return None  # a keyword where an operand belongs: leave it to the parser
            if op is None:
                op = word
            elif word != op:
                return None
            cuts.append(tok)
    if op is None or op not in _REGROUPABLE:
        return None
    items: list[str] = []
    pos = 0
    for tok in cuts:
        items.append(expr[pos : tok.start])
        pos = tok.start + len(tok.text)
    items.append(expr[pos:])
    symbol = cuts[0].text
    while len(items) > 2:
        paired = [f"({a}\n{symbol} {b}\n)" for a, b in zip(items[::2], items[1::2], strict=False)]
        if len(items) % 2:
            paired.append(items[-1])
        items = paired
    # The root stays unparenthesised, so the AST's top node is the operator.
    return f"{items[0]}\n{symbol} {items[1]}", op in _ASSOCIATIVE


# -- AST checks ---------------------------------------------------------------


def _label_replace_errors(ast: pp.Expr, version: Version) -> list[str]:
    """promtool does not compile label_replace's regex; evaluation does, every time."""
    found: list[str] = []

    def visit(node: pp.Expr) -> bool:
        if isinstance(node, pp.Call) and node.func.name == "label_replace" and len(node.args) == 5:
            regex = node.args[4]
            if isinstance(regex, pp.StringLiteral):
                problem = _cached_regex_error(regex.val, version, anchored_only=True)
                if problem:
                    found.append(
                        f"invalid regular expression in label_replace(): {problem} "
                        "(promtool accepts it, but the rule fails at every evaluation)"
                    )
        return True

    pp.walk(ast, visit)
    return found


def _parse(source: str) -> tuple[pp.Expr | None, str | None]:
    """promql-parser's AST, or its complaint as a parse error message.

    Rust panics surface as pyo3's PanicException, a BaseException: one escaping
    here would take down the caller (and used to kill the worker's caller
    through the re-raise), so everything but an interrupt or exit becomes a
    parse error. Known panics are avoided beforehand (see ``_prepare``).
    """
    try:
        return pp.parse(source), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:  # ValueError, OverflowError, PanicException
        return None, f"parse error: {err}"


def _analyse(
    prepared: _Prepared, scan: _Scan, version: Version, regexes_done: bool
) -> tuple[pp.Expr | None, list[str]]:
    """Everything that touches promql-parser; runs on the big-stack worker."""
    ast, parse_error = _parse(prepared.source)
    if ast is not None and prepared.minus_source is not None:
        _, parse_error = _parse(prepared.minus_source)  # unary "+" checked as "-"
    dialect = _Dialect(scan, version)
    errors = dialect.run(parsed=ast is not None)
    if parse_error is not None:
        errors.append(parse_error)
    if ast is None:
        return None, errors
    if not regexes_done:
        for value in dialect.regexes:
            problem = _cached_regex_error(value, version)
            if problem:
                errors.append(f"error parsing regexp: {problem}")
    if "label_replace" in prepared.source:
        errors += _label_replace_errors(ast, version)
    return ast, errors


@functools.lru_cache(maxsize=4096)
def _cached_regex_error(value: str, version: Version, anchored_only: bool = False) -> str | None:
    """Regexes repeat across a rule set; the check is pure, so cache it."""
    go = _go_version(version)
    flags = "?s:" if version >= (3, 0) else "?:"
    problem = check_regex(f"^({flags}{value})$", go_version=go)
    if problem or anchored_only:
        return problem
    return check_regex(value, go_version=go)


# -- public API ---------------------------------------------------------------


def parse_expr(expr: str, version: Version) -> tuple[pp.Expr | None, list[PromQLError]]:
    """Parse ``expr`` for a Prometheus ``version`` target: (AST or None, errors).

    The AST is returned whenever parsing succeeded, even with errors, so
    callers can lint it. It carries the stand-ins of ``_prepare`` (rare: regexes
    Rust cannot compile, raw strings, absurd durations), and for a long chain
    of one associative operator it is the regrouped chain (see
    ``_rebalance``); for other long chains it is None, since the regrouped
    tree would not mean the same.
    """
    scan = _scan(expr)
    if scan.error:
        return None, [PromQLError(f"expression too large to check: {scan.error}")]
    source, source_scan, faithful = expr, scan, True
    if scan.operators > MAX_UNBALANCED_OPERATORS:
        chain = _rebalance(expr, scan)
        if chain is None:
            return None, [
                PromQLError(
                    f"expression too large to check: expression has {scan.operators} operators; "
                    f"the limit is {MAX_UNBALANCED_OPERATORS} unless they form one chain of "
                    f"a single arithmetic or set operator (then {MAX_OPERATORS})"
                )
            ]
        source, faithful = chain
        source_scan = _scan(source, bounded=False)
    regexes_done = "`" in expr
    prepared = _prepare(source, source_scan, version, regexes=regexes_done)
    ast, messages = _WORKER.run(lambda: _analyse(prepared, scan, version, regexes_done))
    if ast is None and not regexes_done and "illegal regex" in messages[-1]:
        prepared = _prepare(source, source_scan, version, regexes=True)
        ast, messages = _WORKER.run(lambda: _analyse(prepared, scan, version, True))
    errors = prepared.errors + [PromQLError(m) for m in messages]
    return (ast if faithful else None), list(dict.fromkeys(errors))


def check_expr(expr: str, version: Version) -> list[PromQLError]:
    """Errors ``promtool check rules`` of ``version`` would report for ``expr`` (empty: valid)."""
    return parse_expr(expr, version)[1]
