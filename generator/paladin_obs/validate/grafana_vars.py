"""Grafana template variables in PromQL, replaced by what their position needs.

Grafana interpolates ``$var``, ``${var}``, ``${var:fmt}``, ``[[var]]`` and its
built-ins (``$__rate_interval``…) before Prometheus sees a query, so a target
only parses once they are replaced. Replacing every variable with one token
breaks valid queries (a variable used as a range, or as ``topk``'s k), so
each is replaced by what its position calls for:

* a duration inside ``[...]`` and after ``offset`` (``1m``, or ``1`` when a
  unit letter follows as in ``[${n}m]``);
* a number after ``@``, as the numeric argument of ``topk``/``quantile``/
  ``histogram_quantile``/``clamp``…, after ``bool`` and next to arithmetic or
  comparison operators (``> $threshold``);
* a marker name elsewhere: inside quotes (a label value or regex, multi-value
  ``=~"$var"``), a metric name, a label name in ``by ($label)``, a fragment of
  a name (``node_${x}_bytes``). The marker ``__var_<name>__`` is valid in all
  of these and keeps the variable's name, so lint can still see it.

Grafana's duration built-ins always become a duration, wherever they stand:
Grafana writes ``30s`` there too, and outside a range Prometheus refuses it.
``$1`` and ``${1}`` are regex back-references (``label_replace``), not variables.

LogQL has the same positions (selectors, ``[range]``, ``by (...)``, numbers
after comparisons) plus text of its own in strings: line filters and Go
templates (``line_format "{{ $x := .a }}"``). Grafana replaces only the names it
knows and leaves any other ``$x`` as written, so with ``known`` (the dashboard's
variables) a string outside the stream selector keeps such a ``$x`` as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Grafana's variable syntax: $name, [[name(:fmt)]], ${name(.field)(:fmt)}.
VARIABLE = re.compile(
    r"\$(?P<plain>\w+)"
    r"|\[\[(?P<bracket>\w+?)(?::(?P<bfmt>\w+))?\]\]"
    r"|\$\{(?P<braced>\w+)(?:\.(?P<field>[^:}]+))?(?::(?P<fmt>[^}]+))?\}"
)

#: Built-ins that Grafana always expands to a duration such as ``30s``.
DURATION_BUILTINS = frozenset({"__interval", "__rate_interval", "__range", "__auto"})
#: Built-ins that expand to a plain number (milliseconds, seconds, epoch ms).
NUMBER_BUILTINS = frozenset(
    {"__interval_ms", "__rate_interval_ms", "__range_s", "__range_ms", "__from", "__to"}
)
#: Every name Grafana defines without a dashboard variable.
BUILTINS = DURATION_BUILTINS | NUMBER_BUILTINS | frozenset(
    {
        "__dashboard", "__user", "__org", "__name", "__timezone", "__timeFilter",
        "timeFilter", "__searchFilter", "__all", "__field", "__series", "__value",
        "__data", "__url_time_range",
    }
)  # fmt: skip
_AUTO_INTERVAL = re.compile(r"__auto_interval_\w+")

_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_COMPARE_ARITH = frozenset({"==", "!=", ">", "<", ">=", "<=", "+", "-", "*", "/", "%", "^"})
#: Arguments that must be a scalar: (function or aggregation) -> argument indexes.
NUMBER_ARGS: dict[str, frozenset[int]] = {
    "topk": frozenset({0}),
    "bottomk": frozenset({0}),
    "quantile": frozenset({0}),
    "limitk": frozenset({0}),
    "limit_ratio": frozenset({0}),
    "histogram_quantile": frozenset({0}),
    "histogram_fraction": frozenset({0, 1}),
    "quantile_over_time": frozenset({0}),
    "round": frozenset({1}),
    "clamp": frozenset({1, 2}),
    "clamp_min": frozenset({1}),
    "clamp_max": frozenset({1}),
    "predict_linear": frozenset({1}),
    "holt_winters": frozenset({1, 2}),
    "double_exponential_smoothing": frozenset({1, 2}),
    "vector": frozenset({0}),
}
_WORD = re.compile(r"[A-Za-z_:][\w:]*|[0-9.][\w.]*")
_NUM_START = frozenset("0123456789.")
#: The characters ``_WORD`` starts with.
_WORD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:") | _NUM_START
_OPERATOR = re.compile(r"[-+*/%^=!<>~]+")
_NAME_CHAR = re.compile(r"[\w:]")
_BY_WITHOUT = re.compile(r"(?i)(by|without)\b")
#: Inside a string, by its quote: where a plain run of characters ends.
_STRING_STOPS = {
    '"': re.compile(r'["\\$\[]'),
    "'": re.compile(r"['\\$\[]"),
    "`": re.compile(r"[`$\[]"),
}


def is_builtin(name: str) -> bool:
    """A name Grafana defines itself (``$__rate_interval``, ``$__auto_interval_x``…)."""
    return name in BUILTINS or bool(_AUTO_INTERVAL.fullmatch(name))


#: How every substituted variable starts, so checks can tell one from a literal.
MARKER_PREFIX = "__var_"


def marker(name: str) -> str:
    """The stand-in for a variable used as a name or inside quotes."""
    return f"{MARKER_PREFIX}{name}__"


@dataclass(frozen=True)
class Use:
    """One variable reference: its name, where it stands in the original text,
    and what it was replaced with (``duration``, ``number``, ``name``, ``string``)."""

    name: str
    start: int
    end: int
    role: str
    fmt: str = ""
    #: What it was replaced with, so offsets in the text map back to ``expr``.
    replacement: str = ""


@dataclass(frozen=True)
class Range:
    """The text inside one ``[...]`` and the function or aggregation it belongs
    to (``rate`` for ``rate(x[5m])``): lint reads ranges off this."""

    function: str
    text: str
    start: int


@dataclass
class Substituted:
    text: str
    uses: list[Use] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)

    def original_offset(self, offset: int) -> int:
        """The offset in the original expression of ``offset`` in ``text``: a
        position inside a replacement maps to the variable's start."""
        shift = 0
        for use in self.uses:
            start = use.start + shift
            if offset < start:
                break
            if offset < start + len(use.replacement):
                return use.start
            shift += len(use.replacement) - (use.end - use.start)
        return offset - shift


@dataclass
class _Frame:
    name: str  # the function or aggregation owning "(", "" for plain parentheses
    grouping: bool = False  # by (...), on (...)...
    owner: str = ""  # for a grouping: the aggregation before "by"
    arg: int = 0


def substitute(expr: str, known: frozenset[str] | None = None) -> Substituted:
    """``expr`` with every Grafana variable replaced by what its position needs.

    With ``known`` (LogQL), a ``$x`` inside a string outside ``{...}`` is kept
    as written unless ``x`` is known or a built-in: Grafana leaves it so."""
    return _Scanner(expr, known).run()


class _Scanner:
    def __init__(self, expr: str, known: frozenset[str] | None = None) -> None:
        self.expr = expr
        self.known = known
        self.out: list[str] = []
        self.result = Substituted("")
        self.frames: list[_Frame] = []
        self.brackets: list[int] = []  # start offsets of open "["
        self.braces = 0
        self.last: tuple[str, str] = ("", "")  # kind, text of the last significant token
        self.before_last: tuple[str, str] = ("", "")
        self.closed: _Frame | None = None  # the frame the last ")" closed

    def token(self, kind: str, text: str) -> None:
        self.before_last, self.last = self.last, (kind, text)

    def run(self) -> Substituted:
        expr, i, n = self.expr, 0, len(self.expr)
        out = self.out
        while i < n:
            c = expr[i]
            # Words and single spaces first: most of a query, and no other branch takes them.
            if c in _WORD_START:
                m = _WORD.match(expr, i)
                assert m is not None
                text = m.group()
                out.append(text)
                self.before_last, self.last = self.last, ("num" if c in _NUM_START else "ident", text)
                i = m.end()
                continue
            if c == " ":
                out.append(c)
                i += 1
                continue
            if c in "$[" and (m := VARIABLE.match(expr, i)) and not variable_name(m).isdigit():
                i = self.variable(m)
                continue
            if c.isspace():
                self.out.append(c)
                i += 1
            elif c == "#":
                end = expr.find("\n", i)
                end = n if end < 0 else end
                self.out.append(expr[i:end])
                i = end
            elif c in "\"'`":
                i = self.string(i, c)
            elif c == "(":
                self.open_paren()
                i = self.emit(i, 1, "open")
            elif c == ")":
                self.closed = self.frames.pop() if self.frames else None
                i = self.emit(i, 1, "close")
            elif c == ",":
                if self.frames:
                    self.frames[-1].arg += 1
                i = self.emit(i, 1, "comma")
            elif c == "[":
                self.brackets.append(i)
                i = self.emit(i, 1, "lbrack")
            elif c == "]":
                if self.brackets:
                    start = self.brackets.pop()
                    owner = self.frames[-1].name if self.frames else ""
                    self.result.ranges.append(Range(owner, expr[start + 1 : i], start))
                i = self.emit(i, 1, "rbrack")
            elif c in "{}":
                self.braces += 1 if c == "{" else -1 if self.braces else 0
                i = self.emit(i, 1, c)
            elif c == "@":
                i = self.emit(i, 1, "at")
            elif m := _OPERATOR.match(expr, i):
                i = self.emit(i, m.end() - i, "op")
            elif m := _WORD.match(expr, i):
                kind = "num" if m.group()[0] in "0123456789." else "ident"
                i = self.emit(i, m.end() - i, kind)
            else:
                i = self.emit(i, 1, "other")
        self.result.text = "".join(self.out)
        return self.result

    def emit(self, i: int, length: int, kind: str) -> int:
        text = self.expr[i : i + length]
        self.out.append(text)
        self.token(kind, text)
        return i + length

    def open_paren(self) -> None:
        kind, text = self.last
        if kind == "ident" and text.lower() in _GROUPING:
            owner = self.before_last[1].lower() if self.before_last[0] == "ident" else ""
            self.frames.append(_Frame(text.lower(), grouping=True, owner=owner))
        elif kind == "ident":
            self.frames.append(_Frame(text.lower()))
        elif kind == "close" and self.closed is not None and self.closed.grouping:
            self.frames.append(_Frame(self.closed.owner))  # sum by (x) (...)
        else:
            self.frames.append(_Frame(""))

    def string(self, i: int, quote: str) -> int:
        """Copy a string literal, replacing variables inside it by a marker."""
        expr, j, n = self.expr, i + 1, len(self.expr)
        self.out.append(quote)
        while j < n and expr[j] != quote:
            if expr[j] == "\\" and quote != "`" and j + 1 < n:
                self.out.append(expr[j : j + 2])
                j += 2
                continue
            m = VARIABLE.match(expr, j) if expr[j] in "$[" else None
            if m and not variable_name(m).isdigit() and not self.kept(variable_name(m)):
                self.record(m, "string", marker(variable_name(m)))
                j = m.end()
                continue
            self.out.append(expr[j])
            j += 1
            # The plain run up to the next quote, escape or variable, at once.
            stop = _STRING_STOPS[quote].search(expr, j)
            end = n if stop is None else stop.start()
            if end > j:
                self.out.append(expr[j:end])
                j = end
        if j < n:
            self.out.append(quote)
        self.token("str", expr[i : j + 1])
        return j + 1

    def kept(self, name: str) -> bool:
        """A ``$name`` Grafana leaves in a string as written (LogQL text only)."""
        if self.known is None or self.braces:
            return False
        return name not in self.known and not is_builtin(name)

    def variable(self, m: re.Match[str]) -> int:
        name = variable_name(m)
        role = self.role(m, name)
        following = self.expr[m.end() : m.end() + 1]
        if role == "duration":
            text = "1" if following.isalpha() else "1m"
        elif role == "number":
            text = "1"
        elif role == "matcher":
            text = f'{marker(name)}="x"'
        elif role == "function":
            text = "sum"
        else:
            text = marker(name)
        self.record(m, role, text)
        self.token("num" if role in ("number", "duration") else "ident", text)
        return m.end()

    def record(self, m: re.Match[str], role: str, text: str) -> None:
        fmt = m.group("fmt") or m.group("bfmt") or ""
        self.result.uses.append(Use(variable_name(m), m.start(), m.end(), role, fmt, text))
        self.out.append(text)

    def role(self, m: re.Match[str], name: str) -> str:
        """What this position needs: see the module docstring for the order."""
        expr = self.expr
        prev_char = expr[m.start() - 1] if m.start() else ""
        next_char = expr[m.end()] if m.end() < len(expr) else ""
        rest = expr[m.end() :].lstrip()
        kind, text = self.last
        if self.brackets or name in DURATION_BUILTINS:
            return "duration"
        if text.lower() == "offset" or (text == "-" and self.before_last[1].lower() == "offset"):
            return "duration"
        if kind == "at" or name in NUMBER_BUILTINS:
            return "number"
        if _NAME_CHAR.match(prev_char or " ") or _NAME_CHAR.match(next_char or " "):
            return "name"
        frame = self.frames[-1] if self.frames else None
        if frame is not None and frame.grouping:
            return "name"
        if self.braces:
            whole = kind in ("{", "comma") and rest[:1] in ("}", ",")
            return "matcher" if whole else "name"
        if rest[:1] == "(" or _BY_WITHOUT.match(rest):
            return "function"
        if rest[:1] in ("{", "["):
            return "name"
        if frame is not None and frame.arg in NUMBER_ARGS.get(frame.name, frozenset()):
            return "number"
        if text.lower() == "bool" or (kind == "op" and text in _COMPARE_ARITH):
            return "number"
        return "name"


def variable_name(m: re.Match[str]) -> str:
    """The variable a ``VARIABLE`` match names, whichever syntax it uses."""
    return m.group("plain") or m.group("bracket") or m.group("braced") or ""
