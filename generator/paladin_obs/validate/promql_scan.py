"""The lexical layer under the PromQL checks: tokens, their values and their roles.

promql-parser's AST keeps no token text and must not see unbounded input, so
the checks that need either work on a token stream instead: the size and
nesting bounds (before any parsing), the dialect checks, the source stand-ins
and the rebalancing of long chains. This module is what they share: the
tokenizer, Go's decoding of string and number tokens, and the few questions
about a token that its neighbours answer (is this "-" a sign, is this
"offset" the modifier, does a duration belong here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "BINARY_OPS",
    "DURATION",
    "DURATION_PART",
    "GROUPING",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_OPERATORS",
    "MAX_UNBALANCED_OPERATORS",
    "SPECIAL_FLOATS",
    "Scan",
    "Token",
    "duration_ns",
    "in_duration_position",
    "is_offset",
    "is_unary",
    "number_value",
    "scan",
    "unquote",
]

#: Bounds that keep promql-parser fast and its recursion shallow. The parser is
#: super-linear on long left-nested operator chains (~0.1 s at 500 operators,
#: ~1.3 s at 2,000, ~48 s at 8,000) but fast on balanced trees, so a long chain
#: of one operator is rebalanced before parsing (see ``promql_chains``) and only
#: other shapes keep the tight ``MAX_UNBALANCED_OPERATORS`` bound. Generated
#: rule files do contain ``or`` chains of several hundred terms.
MAX_LENGTH = 1_048_576
MAX_DEPTH = 256
MAX_OPERATORS = 20_000
MAX_UNBALANCED_OPERATORS = 500

SPECIAL_FLOATS = frozenset(("inf", "nan"))  # Go lexes these as numbers
_UNIT_NS = {
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
    "d": 86400 * 10**9,
    "w": 7 * 86400 * 10**9,
    "y": 365 * 86400 * 10**9,
}

_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>\#[^\n]*)
    |(?P<str>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?)
    |(?P<num>0[xX][0-9a-fA-F]*|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[0-9a-zA-Z_.]*)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_:]*)
    |(?P<op>==|!=|>=|<=|=~|!~|.)""",
    re.VERBOSE | re.DOTALL,
)
DURATION = re.compile(r"(?:[0-9]+(?:ms|[smhdwy]))+")
DURATION_PART = re.compile(r"([0-9]+)(ms|[smhdwy])")
BINARY_OPS = frozenset(
    ["+", "-", "*", "/", "%", "^", "==", "!=", ">=", "<=", "<", ">", "and", "or", "unless", "atan2"]
)
GROUPING = frozenset(("by", "without", "on", "ignoring", "group_left", "group_right"))
#: Identifiers after which a "+"/"-" is a sign, not a binary operator.
_BEFORE_OPERAND = frozenset(("and", "or", "unless", "atan2", "bool", "offset")) | GROUPING


@dataclass(slots=True)
class Token:
    kind: str  # str, num, ident, op
    text: str
    start: int


@dataclass
class Scan:
    tokens: list[Token] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)  # (start, end)
    depth: int = 0
    operators: int = 0
    error: str | None = None


def scan(expr: str, bounded: bool = True) -> Scan:
    """Tokenize just enough to bound the input and see lexical dialect features.

    Characters PromQL does not know become one-character tokens: reporting
    them is the real parser's job. ``bounded=False`` is for text we generated
    ourselves (a rebalanced chain), whose size was already checked.
    """
    out = Scan()
    if bounded and len(expr) > MAX_LENGTH:
        out.error = f"expression is {len(expr)} characters long; the limit is {MAX_LENGTH}"
        return out
    depth = max_depth = operators = 0
    tokens = out.tokens
    append = tokens.append
    binary = BINARY_OPS
    # The loop runs for every token of every rule: locals, and no lower() of
    # tokens that cannot be an operator (numbers, strings).
    for m in _TOKEN.finditer(expr):
        kind = m.lastgroup or "op"
        if kind == "ws":
            continue
        if kind == "comment":
            out.comments.append((m.start(), m.end()))
            continue
        text = m.group()
        append(Token(kind, text, m.start()))
        if kind == "op":
            if text in "({[":
                depth += 1
                if depth > max_depth:
                    max_depth = depth
            elif text in ")}]":
                depth -= 1
            elif text in binary:
                operators += 1
        elif kind == "ident" and text.lower() in binary:
            operators += 1
    out.depth, out.operators = max_depth, operators
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


def unquote(token: str) -> str | None:
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


def number_value(text: str) -> float | None:
    """The value of a number token (Go syntax), or None if it is not one."""
    try:
        if text.lower().startswith("0x"):
            return float(int(text, 16))
        return float(text)
    except (ValueError, OverflowError):
        return None


def duration_ns(text: str) -> int:
    """A duration token's length, as exact integer nanoseconds.

    Go's range checks are on int64 nanoseconds, which a float would round.
    """
    return sum(int(v) * _UNIT_NS[u] for v, u in DURATION_PART.findall(text))


def is_unary(toks: list[Token], k: int) -> bool:
    """Whether the "+" or "-" at ``k`` is a sign (nothing operand-like before it)."""
    prev = toks[k - 1] if k else None
    if prev is None:
        return True
    if prev.kind == "op":
        return prev.text not in (")", "]", "}")
    return prev.kind == "ident" and prev.text.lower() in _BEFORE_OPERAND


def is_offset(toks: list[Token], j: int) -> bool:
    """Whether token ``j`` is the offset modifier, not a metric called offset."""
    if j < 0 or toks[j].kind != "ident" or toks[j].text.lower() != "offset":
        return False
    return not is_unary(toks, j)


def in_duration_position(toks: list[Token], k: int) -> bool:
    """Whether token ``k`` is where Go's 2.x grammar wants a duration.

    That is right after "[" or a subquery ":", or after "offset" (with an
    optional sign). A ":" token only occurs in subqueries: metric names with
    colons are identifier tokens.
    """
    j = k - 2 if k > 1 and toks[k - 1].text in ("-", "+") else k - 1
    return j >= 0 and (toks[j].text in ("[", ":") or is_offset(toks, j))
