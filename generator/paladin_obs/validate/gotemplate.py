"""Parse-time checker for Go ``text/template`` as Prometheus uses it in alert rules.

``promtool check rules`` parses every alert label value and annotation value as a
Go template (prefixed with the ``$labels``/``$externalLabels``/``$externalURL``/
``$value`` declarations) and reports Go's *parse* errors; it never executes the
template.  We re-implement that parse step so the generator can reject bad rule
files without shelling out to promtool, and so the verdict is the one promtool
would give.  The behaviour modelled is Go 1.19's ``text/template/parse`` (the
toolchain of the Debian ``prometheus`` 2.42 package used as our oracle); Go-side
quirks are reproduced on purpose, even where they look surprising (for example
``{{$x = 1}}`` with an undeclared ``$x`` and ``{{nil}}`` both *parse* fine).

Known, deliberate divergences from Go:

* nesting (parentheses, ``if``/``range``/``with``/``block`` bodies) deeper than
  :data:`MAX_NESTING` is reported as an error.  Go has no limit; we need one so
  a hostile input cannot exhaust the Python stack.  ``else if`` chains are
  handled iteratively and do not count towards the limit.
* ``{{else with}}`` (Go 1.23+, so Prometheus 3.x builds) is rejected exactly as
  Go 1.19 rejects it.
* columns count Unicode code points, where Go counts bytes (Go's messages only
  carry a line, which we match).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, NamedTuple, Protocol

from .gostrconv import StrconvError, parse_float, parse_int, parse_uint, unquote, unquote_char

__all__ = [
    "GO_BUILTIN_FUNCTIONS",
    "MAX_NESTING",
    "PROMETHEUS_FUNCTIONS_SINCE",
    "PROMETHEUS_TEMPLATE_VARIABLES",
    "TemplateError",
    "actions_of",
    "check_template",
    "prometheus_template_functions",
]

# Go has no nesting limit; this one only exists to keep Python's stack safe
# (each level costs at most five Python frames, well under the default 1000).
MAX_NESTING = 100


@dataclass(frozen=True)
class TemplateError:
    """One parse error; positions are 1-based within the checked text."""

    line: int
    column: int
    message: str


# text/template's builtins() as of Go 1.19 (``slice`` arrived in Go 1.13).
GO_BUILTIN_FUNCTIONS: frozenset[str] = frozenset(
    {
        "and", "call", "html", "index", "slice", "js", "len", "not", "or",
        "print", "printf", "println", "urlquery",
        "eq", "ge", "gt", "le", "lt", "ne",
    }
)  # fmt: skip

PROMETHEUS_TEMPLATE_VARIABLES: frozenset[str] = frozenset(
    {"$labels", "$externalLabels", "$externalURL", "$value"}
)

# First Prometheus release whose template function map contains each name.
# Everything present in 2.0 is listed as (2, 0); sources: prometheus/prometheus
# PRs #2716 (externalURL, 1.7), #5670 (humanizePercentage, 2.11), #8817
# (parseDuration, 2.32), #10002 (stripPort, 2.33), #10475 (stripDomain, 2.36),
# #10993 (toTime, 2.38), #16619 (toDuration/now, 3.6), #17404 (urlQueryEscape,
# merged after 3.7 was cut, so 3.8).  2.42 was verified name by name against
# promtool 2.42.
PROMETHEUS_FUNCTIONS_SINCE: dict[str, tuple[int, int]] = {
    "query": (2, 0),
    "first": (2, 0),
    "label": (2, 0),
    "value": (2, 0),
    "strvalue": (2, 0),
    "args": (2, 0),
    "reReplaceAll": (2, 0),
    "safeHtml": (2, 0),
    "match": (2, 0),
    "title": (2, 0),
    "toUpper": (2, 0),
    "toLower": (2, 0),
    "graphLink": (2, 0),
    "tableLink": (2, 0),
    "sortByLabel": (2, 0),
    "humanize": (2, 0),
    "humanize1024": (2, 0),
    "humanizeDuration": (2, 0),
    "humanizeTimestamp": (2, 0),
    "pathPrefix": (2, 0),
    "externalURL": (2, 0),
    "humanizePercentage": (2, 11),
    "parseDuration": (2, 32),
    "stripPort": (2, 33),
    "stripDomain": (2, 36),
    "toTime": (2, 38),
    "toDuration": (3, 6),
    "now": (3, 6),
    "urlQueryEscape": (3, 8),
}


@functools.cache  # called once per alert rule; the answer depends on the version only
def prometheus_template_functions(version: tuple[int, int]) -> frozenset[str]:
    """Names a rule template may call in Prometheus ``version`` (builtins included).

    Using a function that only a newer Prometheus knows is a parse error on the
    older server, so the set must follow the target version, not the newest one.
    """
    added = {name for name, since in PROMETHEUS_FUNCTIONS_SINCE.items() if since <= version}
    return GO_BUILTIN_FUNCTIONS | added


# ---------------------------------------------------------------------------
# Go compatibility helpers (fmt / unicode behaviour we must mirror; strconv's
# parsing rules are in .gostrconv, shared with the LogQL checker)
# ---------------------------------------------------------------------------

_ACTION_SPACE = " \t\r\n"  # text/template's isSpace since Go 1.16
_SPACE_CHARS = frozenset(_ACTION_SPACE)
_TERMINATORS = frozenset({"", ".", ",", "|", ":", ")", "(", *_ACTION_SPACE})
# unicode.IsSpace: what bytes.TrimSpace strips when deciding a tree is empty.
_GO_UNICODE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SIMPLE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                   "\r": "\\r", "\t": "\\t", "\v": "\\v"}  # fmt: skip


class _GoSyntaxError(Exception):
    """A failed literal check (fmt, parse.newNumber); ``str()`` is the Go error text."""


def _is_alnum(ch: str) -> bool:
    """Go's isAlphaNumeric: '_', any Unicode letter (L*) or decimal digit (Nd)."""
    if ch.isascii():
        return ch == "_" or ch.isalnum()
    cat = unicodedata.category(ch)
    return cat[0] == "L" or cat == "Nd"


def _go_is_print(ch: str) -> bool:
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols, ASCII space."""
    return ch.isprintable()


def _go_quote(s: str) -> str:
    """fmt's %q for a string (strconv.Quote)."""
    out = ['"']
    for ch in s:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif _go_is_print(ch):
            out.append(ch)
        elif ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        else:
            out.append(_go_escape_rune(ord(ch)))
    out.append('"')
    return "".join(out)


def _go_escape_rune(r: int) -> str:
    if r < 0x20 or r == 0x7F:
        return f"\\x{r:02x}"
    if 0xDC80 <= r <= 0xDCFF:  # a byte that is not UTF-8 (gostrconv keeps it so)
        return f"\\x{r - 0xDC00:02x}"
    if 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return f"\\u{r:04x}" if r < 0x10000 else f"\\U{r:08x}"


def _go_rune(ch: str) -> str:
    """fmt's %#U."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if _go_is_print(ch) else code


def _go_byte_len(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def _check_char_constant(text: str) -> None:
    _, _, after = unquote_char(text, 1, "'")
    if text[after:] != "'":
        raise _GoSyntaxError(f"malformed character constant: {text}")


def _succeeds(parse: Callable[[str], object], text: str) -> bool:
    """Whether a strconv parser accepts ``text`` (Go: ``err == nil``)."""
    try:
        parse(text)
    except StrconvError:
        return False
    return True


def _parse_float(s: str) -> None:
    """strconv.ParseFloat(s, 64); raises with Go's message on failure."""
    try:
        parse_float(s)
    except StrconvError as exc:
        raise _GoSyntaxError(f"strconv.ParseFloat: parsing {_go_quote(s)}: {exc}") from None


def _scan_float_token(s: str, i: int) -> int:
    """fmt's floatToken (used by Sscan for complex numbers); returns end index."""

    def accept(chars: str) -> bool:
        nonlocal i
        if i < len(s) and s[i] in chars:
            i += 1
            return True
        return False

    if accept("nN") and accept("aA") and accept("nN"):
        return i
    accept("+-")
    if accept("iI") and accept("nN") and accept("fF"):
        return i
    digits, exp = "0123456789_", "eEpP"
    if accept("0") and accept("xX"):
        digits, exp = "0123456789abcdefABCDEF_", "pP"
    while accept(digits):
        pass
    if accept("."):
        while accept(digits):
            pass
    if accept(exp):
        accept("+-")
        while accept("0123456789_"):
            pass
    return i


def _check_complex(text: str) -> None:
    """fmt.Sscan(text, &complex128) as newNumber does for ``1+2i`` tokens."""
    real_end = _scan_float_token(text, 0)
    if real_end >= len(text) or text[real_end] not in "+-":
        raise _GoSyntaxError("syntax error scanning complex number")
    imag_end = _scan_float_token(text, real_end + 1)
    if imag_end >= len(text) or text[imag_end] != "i":
        raise _GoSyntaxError("syntax error scanning complex number")
    _convert_scanned_float(text[:real_end])
    _convert_scanned_float(text[real_end] + text[real_end + 1 : imag_end])


def _convert_scanned_float(s: str) -> None:
    """fmt's convertFloat.  Its decimal-mantissa-with-'p'-exponent special case
    is unreachable here: the lexer only lets 'p' follow a 0x prefix."""
    _parse_float(s)


def _check_number(text: str, complex_token: bool) -> None:
    """parse.newNumber's validation, with its exact error messages."""
    if complex_token:
        _check_complex(text)
        return
    if text.endswith("i") and _succeeds(parse_float, text[:-1]):
        return
    if _succeeds(parse_uint, text) or _succeeds(parse_int, text):
        return
    if _succeeds(parse_float, text):
        if not any(ch in text for ch in ".eEpP"):
            raise _GoSyntaxError(f"integer overflow: {_go_quote(text)}")
        return
    raise _GoSyntaxError(f"illegal number syntax: {_go_quote(text)}")


# ---------------------------------------------------------------------------
# Lexer (mirrors text/template/parse/lex.go state by state)
# ---------------------------------------------------------------------------


class _T(IntEnum):
    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMPLEX = 4
    ASSIGN = 5
    DECLARE = 6
    EOF = 7
    FIELD = 8
    IDENTIFIER = 9
    LEFT_DELIM = 10
    LEFT_PAREN = 11
    NUMBER = 12
    PIPE = 13
    RAW_STRING = 14
    RIGHT_DELIM = 15
    RIGHT_PAREN = 16
    SPACE = 17
    STRING = 18
    TEXT = 19
    VARIABLE = 20
    KEYWORD = 21  # everything above is printed as <word>
    BLOCK = 22
    BREAK = 23
    CONTINUE = 24
    DOT = 25
    DEFINE = 26
    ELSE = 27
    END = 28
    IF = 29
    NIL = 30
    RANGE = 31
    TEMPLATE = 32
    WITH = 33


_KEYWORDS = {
    "block": _T.BLOCK, "break": _T.BREAK, "continue": _T.CONTINUE, "define": _T.DEFINE,
    "else": _T.ELSE, "end": _T.END, "if": _T.IF, "nil": _T.NIL, "range": _T.RANGE,
    "template": _T.TEMPLATE, "with": _T.WITH,
}  # fmt: skip


class _Item(NamedTuple):
    typ: _T
    pos: int
    val: str


def _item_str(item: _Item) -> str:
    """parse.item.String(): how Go names a token in "unexpected X" messages."""
    if item.typ == _T.EOF:
        return "EOF"
    if item.typ == _T.ERROR:
        return item.val
    if item.typ > _T.KEYWORD:
        return f"<{item.val}>"
    if _go_byte_len(item.val) > 10:
        return _go_quote(item.val[:10]) + "..."
    return _go_quote(item.val)


class _StateFn(Protocol):
    """A lexer state: consumes some input and names the next state (None ends)."""

    def __call__(self) -> _StateFn | None: ...


_StateResult = _StateFn | None


class _Lexer:
    """Tokenizes the whole input up front; an error item ends the stream."""

    def __init__(self, text: str, *, break_ok: bool, continue_ok: bool) -> None:
        self.text = text
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.items: list[_Item] = []
        self.break_ok = break_ok
        self.continue_ok = continue_ok

    def run(self) -> list[_Item]:
        state: _StateResult = self.lex_text
        while state is not None:
            state = state()
        return self.items

    # -- primitives ---------------------------------------------------------
    def emit(self, typ: _T) -> None:
        self.items.append(_Item(typ, self.start, self.text[self.start : self.pos]))
        self.start = self.pos

    def errorf(self, message: str) -> None:
        self.items.append(_Item(_T.ERROR, self.start, message))

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def accept(self, valid: str) -> bool:
        if self.pos < len(self.text) and self.text[self.pos] in valid:
            self.pos += 1
            return True
        return False

    def accept_run(self, valid: str) -> None:
        while self.accept(valid):
            pass

    def has_left_trim(self, at: int) -> bool:
        return self.text.startswith("-", at) and self.text[at + 1 : at + 2] in _SPACE_CHARS

    def has_right_trim(self, at: int) -> bool:
        return self.text[at : at + 1] in _SPACE_CHARS and self.text.startswith("-", at + 1)

    def at_right_delim(self) -> tuple[bool, bool]:
        if self.has_right_trim(self.pos) and self.text.startswith("}}", self.pos + 2):
            return True, True
        return self.text.startswith("}}", self.pos), False

    def skip_left_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _ACTION_SPACE:
            self.pos += 1

    def at_terminator(self) -> bool:
        # Go 1.19 wants the whole "}}" here: a lone "}" is a bad character.
        return self.peek() in _TERMINATORS or self.text.startswith("}}", self.pos)

    # -- states -------------------------------------------------------------
    def lex_text(self) -> _StateResult:
        x = self.text.find("{{", self.pos)
        if x < 0:
            self.pos = len(self.text)
            if self.pos > self.start:
                self.emit(_T.TEXT)
            self.emit(_T.EOF)
            return None
        self.pos = x
        if self.has_left_trim(x + 2):
            while self.pos > self.start and self.text[self.pos - 1] in _ACTION_SPACE:
                self.pos -= 1
        if self.pos > self.start:
            self.emit(_T.TEXT)
        self.pos = self.start = x
        return self.lex_left_delim

    def lex_left_delim(self) -> _StateResult:
        self.pos += 2
        after = 2 if self.has_left_trim(self.pos) else 0
        if self.text.startswith("/*", self.pos + after):
            self.pos += after
            self.start = self.pos
            return self.lex_comment
        self.emit(_T.LEFT_DELIM)
        self.pos += after
        self.start = self.pos
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self) -> _StateResult:
        self.pos += 2
        x = self.text.find("*/", self.pos)
        if x < 0:
            self.errorf("unclosed comment")
            return None
        self.pos = x + 2
        delim, trim = self.at_right_delim()
        if not delim:
            self.errorf("comment ends before closing delimiter")
            return None
        self.pos += 4 if trim else 2
        if trim:
            self.skip_left_spaces()
        self.start = self.pos
        return self.lex_text

    def lex_right_delim(self) -> _StateResult:
        trim = self.has_right_trim(self.pos)
        if trim:
            self.pos += 2
            self.start = self.pos
        self.pos += 2
        self.emit(_T.RIGHT_DELIM)
        if trim:
            self.skip_left_spaces()
            self.start = self.pos
        return self.lex_text

    def lex_inside_action(self) -> _StateResult:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.errorf("unclosed left paren")
            return None
        if self.pos >= len(self.text):
            self.errorf("unclosed action")
            return None
        ch = self.text[self.pos]
        self.pos += 1
        handler = self._DISPATCH.get(ch)
        if handler is not None:
            return handler(self)
        return self.lex_other(ch)

    def lex_other(self, ch: str) -> _StateResult:
        if ch == "." or ch in "+-" or "0" <= ch <= "9":
            return self.lex_dot_or_number(ch)
        if _is_alnum(ch):
            self.pos -= 1
            return self.lex_identifier
        if " " <= ch <= "~":
            self.emit(_T.CHAR)
            return self.lex_inside_action
        self.errorf(f"unrecognized character in action: {_go_rune(ch)}")
        return None

    def lex_dot_or_number(self, ch: str) -> _StateResult:
        if ch == "." and self.pos < len(self.text) and not "0" <= self.text[self.pos] <= "9":
            return self.lex_field
        self.pos -= 1
        return self.lex_number

    def lex_space(self) -> _StateResult:
        self.pos -= 1
        spaces = 0
        while self.peek() in _SPACE_CHARS:
            self.pos += 1
            spaces += 1
        if self.has_right_trim(self.pos - 1) and self.text.startswith("}}", self.pos + 1):
            self.pos -= 1
            if spaces == 1:
                return self.lex_inside_action
        self.emit(_T.SPACE)
        return self.lex_inside_action

    def lex_assign(self) -> _StateResult:
        self.emit(_T.ASSIGN)
        return self.lex_inside_action

    def lex_colon(self) -> _StateResult:
        if not self.accept("="):
            self.errorf("expected :=")
            return None
        self.emit(_T.DECLARE)
        return self.lex_inside_action

    def lex_pipe(self) -> _StateResult:
        self.emit(_T.PIPE)
        return self.lex_inside_action

    def lex_left_paren(self) -> _StateResult:
        self.emit(_T.LEFT_PAREN)
        self.paren_depth += 1
        return self.lex_inside_action

    def lex_right_paren(self) -> _StateResult:
        self.emit(_T.RIGHT_PAREN)
        self.paren_depth -= 1
        if self.paren_depth < 0:
            self.errorf("unexpected right paren U+0029 ')'")
            return None
        return self.lex_inside_action

    def lex_identifier(self) -> _StateResult:
        while self.pos < len(self.text) and _is_alnum(self.text[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            self.errorf(f"bad character {_go_rune(self.text[self.pos])}")
            return None
        word = self.text[self.start : self.pos]
        self.emit(self.identifier_type(word))
        return self.lex_inside_action

    def identifier_type(self, word: str) -> _T:
        typ = _KEYWORDS.get(word)
        if typ == _T.BREAK and not self.break_ok:
            return _T.IDENTIFIER
        if typ == _T.CONTINUE and not self.continue_ok:
            return _T.IDENTIFIER
        if typ is not None:
            return typ
        if word in ("true", "false"):
            return _T.BOOL
        return _T.IDENTIFIER

    def lex_field(self) -> _StateResult:
        return self.lex_field_or_variable(_T.FIELD)

    def lex_variable(self) -> _StateResult:
        if self.at_terminator():
            self.emit(_T.VARIABLE)
            return self.lex_inside_action
        return self.lex_field_or_variable(_T.VARIABLE)

    def lex_field_or_variable(self, typ: _T) -> _StateResult:
        if self.at_terminator():
            self.emit(_T.VARIABLE if typ == _T.VARIABLE else _T.DOT)
            return self.lex_inside_action
        while self.pos < len(self.text) and _is_alnum(self.text[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            self.errorf(f"bad character {_go_rune(self.text[self.pos])}")
            return None
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self) -> _StateResult:
        return self.lex_quoted("'", _T.CHAR_CONSTANT, "unterminated character constant")

    def lex_quote(self) -> _StateResult:
        return self.lex_quoted('"', _T.STRING, "unterminated quoted string")

    def lex_quoted(self, quote: str, typ: _T, message: str) -> _StateResult:
        text, n = self.text, len(self.text)
        while True:
            ch = text[self.pos] if self.pos < n else ""
            self.pos += 1 if ch else 0
            if ch == "\\":
                nxt = text[self.pos] if self.pos < n else ""
                self.pos += 1 if nxt else 0
                if nxt not in ("", "\n"):
                    continue
                ch = ""
            if ch in ("", "\n"):
                self.errorf(message)
                return None
            if ch == quote:
                break
        self.emit(typ)
        return self.lex_inside_action

    def lex_raw_quote(self) -> _StateResult:
        end = self.text.find("`", self.pos)
        if end < 0:
            self.pos = len(self.text)
            self.errorf("unterminated raw quoted string")
            return None
        self.pos = end + 1
        self.emit(_T.RAW_STRING)
        return self.lex_inside_action

    def lex_number(self) -> _StateResult:
        if not self.scan_number():
            self.errorf(f"bad number syntax: {_go_quote(self.text[self.start : self.pos])}")
            return None
        if self.peek() in ("+", "-"):
            if not self.scan_number() or self.text[self.pos - 1] != "i":
                self.errorf(f"bad number syntax: {_go_quote(self.text[self.start : self.pos])}")
                return None
            self.emit(_T.COMPLEX)
        else:
            self.emit(_T.NUMBER)
        return self.lex_inside_action

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if (len(digits) == 11 and self.accept("eE")) or (len(digits) == 23 and self.accept("pP")):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if self.peek() != "" and _is_alnum(self.peek()):
            self.pos += 1
            return False
        return True

    _DISPATCH: ClassVar[dict[str, Callable[[_Lexer], _StateResult]]] = {
        " ": lambda lx: lx.lex_space(),
        "\t": lambda lx: lx.lex_space(),
        "\r": lambda lx: lx.lex_space(),
        "\n": lambda lx: lx.lex_space(),
        "=": lambda lx: lx.lex_assign(),
        ":": lambda lx: lx.lex_colon(),
        "|": lambda lx: lx.lex_pipe(),
        '"': lambda lx: lx.lex_quote(),
        "`": lambda lx: lx.lex_raw_quote(),
        "$": lambda lx: lx.lex_variable(),
        "'": lambda lx: lx.lex_char(),
        "(": lambda lx: lx.lex_left_paren(),
        ")": lambda lx: lx.lex_right_paren(),
    }


# ---------------------------------------------------------------------------
# Parser (mirrors text/template/parse/parse.go, keeping only what errors need)
# ---------------------------------------------------------------------------


class _Failure(Exception):
    """Stops the parse, as Go's errorf panic does."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class _K(IntEnum):
    """Node kinds; only the distinctions Go's parse-time checks make."""

    TEXT = 0
    OTHER = 1  # action, if, range, with, template, break, continue
    END = 2
    ELSE = 3


class _Node(NamedTuple):
    kind: _K
    nonempty: bool


# Arguments that may not start a later pipeline stage, and may not carry fields.
_LITERAL_TYPES = frozenset({_T.BOOL, _T.DOT, _T.NIL, _T.NUMBER, _T.STRING, _T.RAW_STRING,
                            _T.CHAR_CONSTANT, _T.COMPLEX})  # fmt: skip
_TERM_START = frozenset({_T.BOOL, _T.CHAR_CONSTANT, _T.COMPLEX, _T.DOT, _T.FIELD,
                         _T.IDENTIFIER, _T.NUMBER, _T.NIL, _T.RAW_STRING, _T.STRING,
                         _T.VARIABLE, _T.LEFT_PAREN})  # fmt: skip
_NODE_NAMES = {_K.END: "{{end}}", _K.ELSE: "{{else}}"}


class _Operand(NamedTuple):
    """A parsed operand: the token that started it, for Go's literal checks."""

    start: _Item


class _TreeState(NamedTuple):
    var_stack: list[str]
    var_count: Counter[str]
    range_depth: int
    action_line: int
    hi: int


class _Parser:
    def __init__(
        self,
        items: list[_Item],
        *,
        functions: frozenset[str],
        variables: frozenset[str],
        line_of: Callable[[int], int],
        template_name: str | None,
    ) -> None:
        self.items = items
        self.i = 0
        self.hi = 0  # one past the furthest token read: Go's t.token[0]
        self.functions = functions
        self.var_stack: list[str] = ["$", *sorted(variables)]
        self.var_count: Counter[str] = Counter(self.var_stack)
        self.range_depth = 0
        self.action_line = 0
        self.depth = 0
        self.trees: dict[str, bool] = {}
        self.line_of = line_of
        self.template_name = template_name

    # -- token stream ---------------------------------------------------------
    def next(self) -> _Item:
        item = self.items[min(self.i, len(self.items) - 1)]
        self.i += 1
        self.hi = max(self.hi, self.i)
        return item

    def backup(self) -> None:
        self.i -= 1

    def peek(self) -> _Item:
        item = self.next()
        self.backup()
        return item

    def next_non_space(self) -> _Item:
        item = self.next()
        while item.typ == _T.SPACE:
            item = self.next()
        return item

    def peek_non_space(self) -> _Item:
        item = self.next_non_space()
        self.backup()
        return item

    # -- errors -------------------------------------------------------------
    def errorf(self, message: str) -> _Failure:
        latest = self.items[min(self.hi, len(self.items)) - 1]
        return _Failure(latest.pos, message)

    def location(self, line: int) -> str:
        if self.template_name is None:
            return f"line {line}"
        return f"{self.template_name}:{line}"

    def unexpected(self, item: _Item, context: str) -> _Failure:
        if item.typ != _T.ERROR:
            return self.errorf(f"unexpected {_item_str(item)} in {context}")
        extra = ""
        if self.action_line not in (0, self.line_of(item.pos)):
            extra = f" in action started at {self.location(self.action_line)}"
            if item.val.endswith(" action"):
                extra = extra[len(" in action") :]
        return self.errorf(item.val + extra)

    def expect(self, context: str, *types: _T) -> _Item:
        item = self.next_non_space()
        if item.typ not in types:
            raise self.unexpected(item, context)
        return item

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.errorf(
                f"nesting deeper than {MAX_NESTING} levels (a paladin-obs limit; Go has none)"
            )

    # -- variables ------------------------------------------------------------
    def declare(self, name: str) -> None:
        self.var_stack.append(name)
        self.var_count[name] += 1

    def pop_vars(self, mark: int) -> None:
        while len(self.var_stack) > mark:
            self.var_count[self.var_stack.pop()] -= 1

    def use_var(self, item: _Item) -> None:
        if self.var_count[item.val] <= 0:
            raise self.errorf(f"undefined variable {_go_quote(item.val)}")

    # -- trees ----------------------------------------------------------------
    def add_tree(self, name: str, nonempty: bool) -> None:
        if not self.trees.get(name, False):
            self.trees[name] = nonempty
        elif nonempty:
            raise self.errorf(f"template: multiple definition of template {_go_quote(name)}")

    def swap_tree(self, state: _TreeState | None = None) -> _TreeState:
        """Switch to another Go ``Tree`` (a fresh one if ``state`` is None).

        Go parses ``{{define}}``/``{{block}}`` bodies with a new Tree that shares
        the lexer but has its own variables (only ``$``), range depth, action
        line and last-read token (which decides an error's line number).
        """
        old = _TreeState(self.var_stack, self.var_count, self.range_depth, self.action_line,
                         self.hi)  # fmt: skip
        if state is None:
            state = _TreeState(["$"], Counter({"$": 1}), 0, 0, self.i)
        self.var_stack, self.var_count, self.range_depth, self.action_line, self.hi = state
        return old

    # -- grammar ------------------------------------------------------------
    def parse(self, assume_prefix: bool) -> None:
        nonempty = assume_prefix
        while self.peek().typ != _T.EOF:
            if self.peek().typ == _T.LEFT_DELIM:
                mark = self.i
                self.next()
                if self.next_non_space().typ == _T.DEFINE:
                    self.parse_definition()
                    continue
                self.i = mark
            node = self.text_or_action()
            if node.kind in _NODE_NAMES:
                raise self.errorf(f"unexpected {_NODE_NAMES[node.kind]}")
            nonempty = nonempty or node.nonempty
        if self.template_name is not None:
            self.add_tree(self.template_name, nonempty)

    def parse_definition(self) -> None:
        context = "define clause"
        outer = self.swap_tree()
        name = self.unquote(self.expect(context, _T.STRING, _T.RAW_STRING))
        self.expect(context, _T.RIGHT_DELIM)
        nonempty, end = self.item_list()
        if end.kind != _K.END:
            raise self.errorf(f"unexpected {_NODE_NAMES[end.kind]} in {context}")
        self.add_tree(name, nonempty)
        self.swap_tree(outer)

    def item_list(self) -> tuple[bool, _Node]:
        nonempty = False
        while self.peek_non_space().typ != _T.EOF:
            node = self.text_or_action()
            if node.kind in _NODE_NAMES:
                return nonempty, node
            nonempty = nonempty or node.nonempty
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> _Node:
        item = self.next_non_space()
        if item.typ == _T.TEXT:
            return _Node(_K.TEXT, any(ch not in _GO_UNICODE_SPACE for ch in item.val))
        if item.typ != _T.LEFT_DELIM:
            raise self.unexpected(item, "input")
        self.action_line = self.line_of(item.pos)
        try:
            return self.action()
        finally:
            self.action_line = 0

    def action(self) -> _Node:
        item = self.next_non_space()
        control = self._CONTROLS.get(item.typ)
        if control is not None:
            return control(self)
        self.backup()
        self.pipeline("command", _T.RIGHT_DELIM)
        return _Node(_K.OTHER, True)

    def pipeline(self, context: str, end: _T) -> None:
        self.declarations(context)
        first_args: list[_Item] = []
        while True:
            item = self.next_non_space()
            if item.typ == end:
                self.check_pipeline(first_args, context)
                return
            if item.typ not in _TERM_START:
                raise self.unexpected(item, context)
            self.backup()
            first_args.append(self.command())

    def declarations(self, context: str) -> None:
        declared = 0
        while self.peek_non_space().typ == _T.VARIABLE:
            mark = self.i
            var = self.next()
            nxt = self.peek_non_space()
            if nxt.typ in (_T.ASSIGN, _T.DECLARE):
                self.next_non_space()
                self.declare(var.val)
                return
            if not (nxt.typ == _T.CHAR and nxt.val == ","):
                self.i = mark
                return
            self.next_non_space()
            self.declare(var.val)
            declared += 1
            if context != "range" or declared >= 2:
                raise self.errorf(f"too many declarations in {context}")
            if self.peek_non_space().typ not in (_T.VARIABLE, _T.RIGHT_DELIM, _T.RIGHT_PAREN):
                raise self.errorf("range can only initialize variables")

    def check_pipeline(self, first_args: list[_Item], context: str) -> None:
        if not first_args:
            raise self.errorf(f"missing value for {context}")
        for stage, arg in enumerate(first_args[1:], start=2):
            if arg.typ in _LITERAL_TYPES:
                raise self.errorf(f"non executable command in pipeline stage {stage}")

    def command(self) -> _Item:
        first: _Item | None = None
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None and first is None:
                first = operand.start
            item = self.next()
            if item.typ == _T.SPACE:
                continue
            if item.typ in (_T.RIGHT_DELIM, _T.RIGHT_PAREN):
                self.backup()
            elif item.typ != _T.PIPE:
                raise self.unexpected(item, "operand")
            break
        if first is None:
            raise self.errorf("empty command")
        return first

    def operand(self) -> _Operand | None:
        start = self.term()
        if start is None:
            return None
        if self.peek().typ == _T.FIELD:
            while self.peek().typ == _T.FIELD:
                self.next()
            if start.typ in _LITERAL_TYPES:
                raise self.errorf(f"unexpected . after term {_go_quote(self.node_text(start))}")
            start = _Item(_T.FIELD, start.pos, start.val)  # a chain is executable
        return _Operand(start)

    @staticmethod
    def node_text(item: _Item) -> str:
        """Node.String() for literal terms, as quoted in Go's chain error."""
        return "." if item.typ == _T.DOT else item.val

    def term(self) -> _Item | None:
        item = self.next_non_space()
        typ = item.typ
        if typ == _T.IDENTIFIER and item.val not in self.functions:
            raise self.errorf(f"function {_go_quote(item.val)} not defined")
        if typ == _T.VARIABLE:
            self.use_var(item)
        elif typ in (_T.NUMBER, _T.COMPLEX, _T.CHAR_CONSTANT):
            self.check_literal(item)
        elif typ in (_T.STRING, _T.RAW_STRING):
            self.unquote(item)
            return _Item(_T.STRING, item.pos, item.val)
        elif typ == _T.LEFT_PAREN:
            self.enter()
            self.pipeline("parenthesized pipeline", _T.RIGHT_PAREN)
            self.depth -= 1
            return _Item(_T.FIELD, item.pos, item.val)  # a pipe node: executable
        elif typ not in (_T.IDENTIFIER, _T.DOT, _T.NIL, _T.FIELD, _T.BOOL):
            self.backup()
            return None
        return item

    def check_literal(self, item: _Item) -> None:
        try:
            if item.typ == _T.CHAR_CONSTANT:
                _check_char_constant(item.val)
            else:
                _check_number(item.val, complex_token=item.typ == _T.COMPLEX)
        except (_GoSyntaxError, StrconvError) as exc:
            raise self.errorf(str(exc)) from None

    def unquote(self, item: _Item) -> str:
        """strconv.Unquote of a string token; Go's error text is ``invalid syntax``."""
        try:
            return unquote(item.val)
        except StrconvError as exc:
            raise self.errorf(str(exc)) from None

    # -- control structures ---------------------------------------------------
    def parse_control(self, allow_else_if: bool, context: str) -> _Node:
        mark = len(self.var_stack)
        self.enter()
        while True:
            self.pipeline(context, _T.RIGHT_DELIM)
            self.range_depth += context == "range"
            _, nxt = self.item_list()
            self.range_depth -= context == "range"
            if nxt.kind == _K.END:
                break
            if allow_else_if and self.peek().typ == _T.IF:
                self.next()  # "else if": Go nests an if that shares our {{end}}
                continue
            _, nxt = self.item_list()
            if nxt.kind != _K.END:
                raise self.errorf(f"expected end; found {_NODE_NAMES[nxt.kind]}")
            break
        self.depth -= 1
        self.pop_vars(mark)
        return _Node(_K.OTHER, True)

    def if_control(self) -> _Node:
        return self.parse_control(True, "if")

    def range_control(self) -> _Node:
        return self.parse_control(False, "range")

    def with_control(self) -> _Node:
        return self.parse_control(False, "with")

    def end_control(self) -> _Node:
        self.expect("end", _T.RIGHT_DELIM)
        return _Node(_K.END, False)

    def else_control(self) -> _Node:
        if self.peek_non_space().typ != _T.IF:
            self.expect("else", _T.RIGHT_DELIM)
        return _Node(_K.ELSE, False)

    def break_control(self) -> _Node:
        return self.loop_control("break")

    def continue_control(self) -> _Node:
        return self.loop_control("continue")

    def loop_control(self, word: str) -> _Node:
        item = self.next_non_space()
        if item.typ != _T.RIGHT_DELIM:
            raise self.unexpected(item, f"{{{{{word}}}}}")
        if self.range_depth == 0:
            raise self.errorf(f"{{{{{word}}}}} outside {{{{range}}}}")
        return _Node(_K.OTHER, True)

    def template_name_of(self, context: str) -> str:
        item = self.next_non_space()
        if item.typ not in (_T.STRING, _T.RAW_STRING):
            raise self.unexpected(item, context)
        return self.unquote(item)

    def template_control(self) -> _Node:
        context = "template clause"
        self.template_name_of(context)
        if self.next_non_space().typ != _T.RIGHT_DELIM:
            self.backup()
            self.pipeline(context, _T.RIGHT_DELIM)
        return _Node(_K.OTHER, True)

    def block_control(self) -> _Node:
        context = "block clause"
        name = self.template_name_of(context)
        self.pipeline(context, _T.RIGHT_DELIM)
        outer = self.swap_tree()
        self.enter()
        nonempty, end = self.item_list()
        self.depth -= 1
        block = self.swap_tree(outer)
        if end.kind != _K.END:  # reported by the enclosing tree
            raise self.errorf(f"unexpected {_NODE_NAMES[end.kind]} in {context}")
        self.swap_tree(block)
        self.add_tree(name, nonempty)  # reported by the block's own tree
        self.swap_tree(outer)
        return _Node(_K.OTHER, True)

    _CONTROLS: ClassVar[dict[_T, Callable[[_Parser], _Node]]] = {
        _T.BLOCK: block_control,
        _T.BREAK: break_control,
        _T.CONTINUE: continue_control,
        _T.ELSE: else_control,
        _T.END: end_control,
        _T.IF: if_control,
        _T.RANGE: range_control,
        _T.TEMPLATE: template_control,
        _T.WITH: with_control,
    }


class _Lines:
    """Maps a character offset to a 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos)

    def column(self, pos: int) -> int:
        return pos - self.starts[self.line(pos) - 1] + 1


def check_template(
    text: str,
    *,
    functions: frozenset[str],
    variables: frozenset[str] = frozenset(),
    template_name: str | None = None,
) -> list[TemplateError]:
    """Go's parse verdict for ``text``: ``[]`` if it parses, else the first error.

    ``functions`` is the complete set of callable names (include
    :data:`GO_BUILTIN_FUNCTIONS`; see :func:`prometheus_template_functions`).
    ``variables`` are pre-declared at the top level, as Prometheus's prefix does.
    ``template_name`` (Prometheus uses ``__alert_<alertname>``) enables Go's
    clash check between ``{{define}}`` names and the template itself, and names
    the template in "action started at" messages.

    The reported position is that of the token Go had read last when it gave
    up (its line is the one in Go's message); usually the offending token.

    The verdict depends on the actions alone, so it is remembered: a big rule
    file repeats the same actions (``{{ $labels.instance }}``) around text
    that differs per alert (a runbook URL, a serial). Text between actions
    cannot make a template fail, and text without ``{{`` has no action, so
    always parses. The template name only matters to a template that defines
    others (``define``/``block``, which may clash with it) and to error
    messages, so only those are keyed by it (errors are recomputed every
    time: they are rare, and their line numbers depend on the text).
    """
    if "{{" not in text:
        return []
    named = "define" in text or "block" in text
    actions = None if named else actions_of(text)
    key = (
        text if actions is None else actions,
        functions,
        variables,
        template_name if named else None,
    )
    known = _VERDICTS.get(key)
    if known is not None and not known:
        return []
    errors = _check_template(text, functions, variables, template_name)
    if len(_VERDICTS) >= _MAX_VERDICTS:
        _VERDICTS.clear()
    _VERDICTS[key] = tuple(errors)
    return errors


#: Verdicts of ``check_template`` by (actions or text, functions, variables, name or None).
_VERDICTS: dict[
    tuple[str | tuple[str, ...], frozenset[str], frozenset[str], str | None],
    tuple[TemplateError, ...],
] = {}


@functools.lru_cache(maxsize=65536)  # asked for each text by the check and by lint
def actions_of(text: str) -> tuple[str, ...] | None:
    """Every action of ``text`` as written, delimiters and trim markers included,
    or None when telling where one ends takes Go's whole lexer (a comment, a
    character constant, a string broken by a line, ``{{`` inside an action,
    an unclosed action).

    An action ends at the first ``}}`` outside a string: no other token of
    Go's lexer can hold ``}``. So equal actions lex to equal tokens, whatever
    text stands between them.
    """
    out: list[str] = []
    find = text.find
    start = find("{{")
    while start >= 0:
        if text.startswith("/*", start + 2) or text.startswith("/*", start + 4):
            return None
        match = _ACTION.match(text, start)
        if match is None:
            return None
        out.append(match.group())
        start = find("{{", match.end())
    return tuple(out)


#: One action: anything but quotes and braces, strings (a backslash escapes
#: the next character, a line break ends the match), raw strings, and single
#: braces, up to the first ``}}``. Possessive, so a failure costs linear time.
_ACTION = re.compile(
    r"""\{\{(?:[^"`'{}]++|"(?:[^"\\\n]|\\.)*+"|`[^`]*+`|\}(?!\})|\{(?!\{))*+\}\}""",
    re.DOTALL,
)
#: Bound on remembered verdicts (a long-lived process checks many files).
_MAX_VERDICTS = 200_000


def _check_template(
    text: str, functions: frozenset[str], variables: frozenset[str], template_name: str | None
) -> list[TemplateError]:
    lines = _Lines(text)
    items = _Lexer(
        text, break_ok="break" not in functions, continue_ok="continue" not in functions
    ).run()
    parser = _Parser(
        items,
        functions=functions,
        variables=variables,
        line_of=lines.line,
        template_name=template_name,
    )
    try:
        parser.parse(assume_prefix=bool(variables))
    except _Failure as failure:
        pos = min(failure.pos, len(text))
        return [TemplateError(lines.line(pos), lines.column(pos), failure.message)]
    return []
