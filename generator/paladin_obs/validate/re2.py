"""Syntax check of RE2 regexes, giving the verdict and message Go's regexp/syntax gives.

Prometheus compiles label-matcher regexes with Go's ``regexp`` package, and the
Rust engine behind promql-parser disagrees with it both ways (``a{1001}`` and
``a++`` pass in Rust, ``\\Q...\\E`` fails), so the verdict has to come from a
checker that follows Go's parser rules. Only syntax is checked: nothing is
compiled or matched, except the two size limits Go enforces while parsing
(repeat counts and nesting depth), which are checked the way Go counts them.

Go versions differ in a few places; ``go_version`` selects the dialect:

* ``(?<name>...)`` is accepted from Go 1.22 (before, only ``(?P<name>...)``).
* Unicode 15 scripts (Kawi, Nag_Mundari, ...) from Go 1.21.
* Go 1.25 looks ``\\p{...}`` names up case-insensitively, ignoring spaces,
  ``_`` and ``-``, and accepts long category names (``Letter``), ``ASCII``,
  ``Assigned``, ``Cn`` and ``LC``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["check_regex", "matches_empty"]

#: Go's limit on ``{n,m}`` counts, also applied to the product of nested repeats.
MAX_REPEAT = 1000
#: Go's limit on the height of the parsed tree (regexp/syntax maxHeight).
MAX_HEIGHT = 1000


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CATEGORIES = _words(
    """
    C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm
    So Z Zl Zp Zs
    """
)
_CATEGORY_ALIASES_125 = _words(
    """
    ASCII Assigned Cased_Letter Close_Punctuation Cn cntrl Combining_Mark
    Connector_Punctuation Control Currency_Symbol Dash_Punctuation Decimal_Number digit
    Enclosing_Mark Final_Punctuation Format Initial_Punctuation LC Letter Letter_Number
    Line_Separator Lowercase_Letter Mark Math_Symbol Modifier_Letter Modifier_Symbol
    Nonspacing_Mark Number Open_Punctuation Other Other_Letter Other_Number
    Other_Punctuation Other_Symbol Paragraph_Separator Private_Use punct Punctuation
    Separator Space_Separator Spacing_Mark Surrogate Symbol Titlecase_Letter Unassigned
    Uppercase_Letter
    """
)
#: Scripts of Unicode 13 (Go 1.16 to 1.20).
_SCRIPTS = _words(
    """
    Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak
    Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian
    Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot
    Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan
    Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi
    Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic
    Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana
    Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu
    Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean
    Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive
    Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari
    New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian
    Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian
    Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician
    Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting
    Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa
    Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta
    Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square
    """
)
#: Scripts added by Unicode 14 and 15 (Go 1.21).
_SCRIPTS_121 = _words(
    """
    Cypro_Minoan Kawi Nag_Mundari Old_Uyghur Tangsa Toto Vithkuqi
    """
)

_POSIX_CLASSES = _words(
    """
    alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit
    """
)
_PERL_CLASSES = frozenset("dDsSwW")
_C_ESCAPES = frozenset("afnrtv")
_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")
_MAX_RUNE = 0x10FFFF


class RegexSyntaxError(Exception):
    """A Go regexp/syntax error; ``str()`` is Go's text without the common prefix."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"{code}: `{expr}`")


@dataclass
class _Node:
    """A parsed subexpression, kept only as far as the size checks need it."""

    kind: str  # atom, empty, capture, concat, alternate, star, plus, quest, repeat
    subs: list[_Node] = field(default_factory=list)
    min: int = 0
    max: int = 0
    #: Whether the node can match the empty string (for the empty-matcher rule).
    nullable: bool = False


@dataclass
class _Marker:
    """An open group or a pending alternation on the parse stack."""

    kind: str  # "paren" or "bar"
    capture: bool = False
    alternatives: list[_Node] = field(default_factory=list)


def check_regex(pattern: str, *, go_version: tuple[int, int] = (1, 22)) -> str | None:
    """Go's error for ``pattern`` (without "error parsing regexp: "), or None if valid.

    Never raises: a checker bug must not take the validator down, so anything
    unexpected is treated as "no error found".
    """
    try:
        _Parser(pattern, go_version).parse()
    except RegexSyntaxError as err:
        return str(err)
    except Exception:  # pragma: no cover - defensive, see docstring
        return None
    return None


def matches_empty(pattern: str, *, go_version: tuple[int, int] = (1, 22)) -> bool | None:
    """Whether a valid ``pattern`` matches the empty string; None if it is invalid.

    Prometheus rejects selectors whose every matcher matches the empty string,
    so a regex stand-in has to preserve this property.
    """
    try:
        return _Parser(pattern, go_version).parse().nullable
    except Exception:
        return None


class _Parser:
    """One parse of one pattern; mirrors the order of Go's checks for the same messages."""

    def __init__(self, pattern: str, go_version: tuple[int, int]) -> None:
        self.s = pattern
        self.go = go_version
        self.stack: list[_Node | _Marker] = []
        self.nodes = 0

    # -- driver ---------------------------------------------------------------

    def parse(self) -> _Node:
        s = self.s
        self._check_utf8(0)
        i = 0
        last_repeat = -1  # start index of the previous token if it was a repetition
        while i < len(s):
            repeat_start = -1
            c = s[i]
            if c == "(":
                i = self._open_group(i)
            elif c == "|":
                self._vertical_bar()
                i += 1
            elif c == ")":
                self._close_group()
                i += 1
            elif c in "^$.":
                self._push(_Node("atom", nullable=c != "."))
                i += 1
            elif c == "[":
                i = self._parse_class(i)
                self._push(_Node("atom"))
            elif c in "*+?":
                repeat_start = i
                i = self._repeat(c, 0, 0, i, i + 1, last_repeat)
            elif c == "{":
                bounds = self._parse_repeat_braces(i)
                if bounds is None:
                    self._push(_Node("atom"))  # an unparsable "{" is a literal
                    i += 1
                else:
                    lo, hi, after = bounds
                    if lo < 0 or lo > MAX_REPEAT or hi > MAX_REPEAT or (hi >= 0 and lo > hi):
                        raise RegexSyntaxError("invalid repeat count", s[i:after])
                    repeat_start = i
                    i = self._repeat("{", lo, hi, i, after, last_repeat)
            elif c == "\\":
                i = self._backslash(i)
            else:
                self._push(_Node("atom"))
                i += 1
            last_repeat = repeat_start
        return self._finish()

    def _finish(self) -> _Node:
        node = self._collapse_group()
        if self.stack:
            raise RegexSyntaxError("missing closing )", self.s)
        self._check_height(node)
        return node

    # -- stack ----------------------------------------------------------------

    def _push(self, node: _Node) -> None:
        self.nodes += 1
        self.stack.append(node)

    def _concat(self) -> _Node:
        """Pop the atoms since the last marker into one node, as Go's concat does."""
        start = len(self.stack)
        while start > 0 and isinstance(self.stack[start - 1], _Node):
            start -= 1
        items = [n for n in self.stack[start:] if isinstance(n, _Node)]
        del self.stack[start:]
        if not items:
            return _Node("empty", nullable=True)
        if len(items) == 1:
            return items[0]
        return _Node("concat", items, nullable=all(n.nullable for n in items))

    def _vertical_bar(self) -> None:
        node = self._concat()
        top = self.stack[-1] if self.stack else None
        if isinstance(top, _Marker) and top.kind == "bar":
            top.alternatives.append(node)
        else:
            self.stack.append(_Marker("bar", alternatives=[node]))

    def _collapse_group(self) -> _Node:
        """Close the innermost alternation, leaving its node off the stack."""
        node = self._concat()
        top = self.stack[-1] if self.stack else None
        if isinstance(top, _Marker) and top.kind == "bar":
            self.stack.pop()
            alts = [*top.alternatives, node]
            node = _Node("alternate", alts, nullable=any(n.nullable for n in alts))
        return node

    def _open_group(self, i: int) -> int:
        if self.s.startswith("(?", i):
            return self._perl_flags(i)
        self.stack.append(_Marker("paren", capture=True))
        return i + 1

    def _close_group(self) -> None:
        node = self._collapse_group()
        top = self.stack[-1] if self.stack else None
        if not (isinstance(top, _Marker) and top.kind == "paren"):
            raise RegexSyntaxError("unexpected )", self.s)
        self.stack.pop()
        if top.capture:
            node = _Node("capture", [node], nullable=node.nullable)
        self._push(node)

    # -- groups and flags -----------------------------------------------------

    def _perl_flags(self, i: int) -> int:
        s = self.s
        rest = s[i:]
        named_p = len(rest) > 4 and rest[2] == "P" and rest[3] == "<"
        named_angle = self.go >= (1, 22) and len(rest) > 3 and rest[2] == "<"
        if named_p or named_angle:
            begin = 4 if named_p else 3
            end = rest.find(">")
            if end < 0:
                raise RegexSyntaxError("invalid named capture", rest)
            name = rest[begin:end]
            if not name or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in name):
                raise RegexSyntaxError("invalid named capture", rest[: end + 1])
            self.stack.append(_Marker("paren", capture=True))
            return i + end + 1
        j = i + 2
        negated = False
        saw_flag = False
        while j < len(s):
            c = s[j]
            j += 1
            if c in "imsU":
                saw_flag = True
            elif c == "-":
                if negated:
                    break
                negated = True
                saw_flag = False
            elif c in ":)":
                if negated and not saw_flag:
                    break
                if c == ":":
                    self.stack.append(_Marker("paren", capture=False))
                return j
            else:
                break
        raise RegexSyntaxError("invalid or unsupported Perl syntax", s[i:j])

    # -- repetition -----------------------------------------------------------

    def _parse_repeat_braces(self, i: int) -> tuple[int, int, int] | None:
        """Parse ``{n}``, ``{n,}`` or ``{n,m}`` at ``i``; None means "a literal brace"."""
        s = self.s
        j = i + 1
        lo, j = self._parse_int(j)
        if lo is None or j >= len(s):
            return None
        hi: int | None
        if s[j] != ",":
            hi = lo
        else:
            j += 1
            if j >= len(s):
                return None
            if s[j] == "}":
                hi = -1
            else:
                hi, j = self._parse_int(j)
                if hi is None:
                    return None
                if hi < 0:
                    lo = -1
        if j >= len(s) or s[j] != "}" or hi is None:
            return None
        return lo, hi, j + 1

    def _parse_int(self, j: int) -> tuple[int | None, int]:
        """Go's parseInt: digits without a leading zero; -1 when absurdly large."""
        s = self.s
        start = j
        while j < len(s) and s[j] in _DIGITS:
            j += 1
        digits = s[start:j]
        if not digits or (len(digits) >= 2 and digits[0] == "0"):
            return None, start
        return (int(digits) if len(digits) <= 8 else -1), j

    def _repeat(self, op: str, lo: int, hi: int, before: int, after: int, last: int) -> int:
        s = self.s
        if after < len(s) and s[after] == "?":
            after += 1
        if last >= 0:
            raise RegexSyntaxError("invalid nested repetition operator", s[last:after])
        top = self.stack[-1] if self.stack else None
        if not isinstance(top, _Node):
            raise RegexSyntaxError("missing argument to repetition operator", s[before:after])
        self.stack.pop()
        kind = {"*": "star", "+": "plus", "?": "quest", "{": "repeat"}[op]
        nullable = kind in ("star", "quest") or top.nullable or (kind == "repeat" and lo == 0)
        node = _Node(kind, [top], lo, hi, nullable)
        self._push(node)
        if kind == "repeat" and (lo >= 2 or hi >= 2) and not _repeat_is_valid(node):
            raise RegexSyntaxError("invalid repeat count", s[before:after])
        return after

    # -- escapes --------------------------------------------------------------

    def _backslash(self, i: int) -> int:
        s = self.s
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if nxt in ("A", "z"):
            self._push(_Node("atom", nullable=True))
            return i + 2
        if nxt in ("b", "B"):
            # On empty text only \B holds: both sides are non-word.
            self._push(_Node("atom", nullable=nxt == "B"))
            return i + 2
        if nxt == "C":
            raise RegexSyntaxError("invalid escape sequence", "\\C")
        if nxt == "Q":
            end = s.find("\\E", i + 2)
            literal = s[i + 2 :] if end < 0 else s[i + 2 : end]
            for _ in literal:
                self._push(_Node("atom"))
            return len(s) if end < 0 else end + 2
        if nxt in ("p", "P"):
            j = self._unicode_class(i)
            self._push(_Node("atom"))
            return j
        if nxt and nxt in _PERL_CLASSES:
            self._push(_Node("atom"))
            return i + 2
        j = self._escape(i)
        self._push(_Node("atom"))
        return j

    def _escape(self, i: int) -> int:
        """Go's parseEscape: one escaped rune starting at the backslash at ``i``."""
        s = self.s
        if i + 1 >= len(s):
            raise RegexSyntaxError("trailing backslash at end of expression", "")
        c = s[i + 1]
        j = i + 2
        if c in "1234567" and (j >= len(s) or s[j] not in _OCTAL):
            raise RegexSyntaxError("invalid escape sequence", s[i:j])  # a backreference
        if c in _OCTAL:
            for _ in range(2):
                if j < len(s) and s[j] in _OCTAL:
                    j += 1
            return j
        if c == "x":
            return self._hex_escape(i)
        if c in _C_ESCAPES:
            return j
        if c.isascii() and not c.isalnum():
            return j
        raise RegexSyntaxError("invalid escape sequence", s[i:j])

    def _hex_escape(self, i: int) -> int:
        s = self.s
        j = i + 2
        if j >= len(s):
            raise RegexSyntaxError("invalid escape sequence", s[i:j])
        if s[j] == "{":
            j += 1
            value = 0
            ndigits = 0
            while True:
                if j >= len(s):
                    raise RegexSyntaxError("invalid escape sequence", s[i:j])
                c = s[j]
                j += 1
                if c == "}":
                    break
                if c not in _HEX:
                    raise RegexSyntaxError("invalid escape sequence", s[i:j])
                value = value * 16 + int(c, 16)
                if value > _MAX_RUNE:
                    raise RegexSyntaxError("invalid escape sequence", s[i:j])
                ndigits += 1
            if ndigits == 0:
                raise RegexSyntaxError("invalid escape sequence", s[i:j])
            return j
        first, second = s[j], s[j + 1] if j + 1 < len(s) else ""
        end = min(j + 2, len(s))
        if first not in _HEX or not second or second not in _HEX:
            raise RegexSyntaxError("invalid escape sequence", s[i:end])
        return j + 2

    def _unicode_class(self, i: int) -> int:
        """Go's parseUnicodeClass for ``\\pN``, ``\\p{Name}``, ``\\P{^Name}``."""
        s = self.s
        j = i + 2
        if j < len(s) and s[j] == "{":
            end = s.find("}", i)
            if end < 0:
                raise RegexSyntaxError("invalid character class range", s[i:])
            seq, name, j = s[i : end + 1], s[j + 1 : end], end + 1
        else:
            j = min(j + 1, len(s))
            seq, name = s[i:j], s[i + 2 : j]
        if name.startswith("^"):
            name = name[1:]
        if not self._unicode_name_ok(name):
            raise RegexSyntaxError("invalid character class range", seq)
        return j

    def _unicode_name_ok(self, name: str) -> bool:
        if name == "Any" or name in _CATEGORIES or name in _SCRIPTS:
            return True
        if self.go >= (1, 21) and name in _SCRIPTS_121:
            return True
        if self.go >= (1, 25):
            return _loose(name) in _LOOSE_NAMES_125
        return False

    # -- character classes ----------------------------------------------------

    def _parse_class(self, i: int) -> int:
        """Go's parseClass; returns the index after the closing bracket."""
        s = self.s
        whole = s[i:]
        j = i + 1
        if j < len(s) and s[j] == "^":
            j += 1
        first = True
        while j >= len(s) or s[j] != "]" or first:
            first = False
            if s.startswith("[:", j):
                end = s.find(":]", j + 2)
                if end >= 0:
                    name = s[j + 2 : end]
                    if name.removeprefix("^") not in _POSIX_CLASSES:
                        raise RegexSyntaxError("invalid character class range", s[j : end + 2])
                    j = end + 2
                    continue
            if s.startswith(("\\p", "\\P"), j):
                j = self._unicode_class(j)
                continue
            if j + 1 < len(s) and s[j] == "\\" and s[j + 1] in _PERL_CLASSES:
                j += 2
                continue
            start = j
            lo, j = self._class_char(j, whole)
            if j + 1 < len(s) and s[j] == "-" and s[j + 1] != "]":
                hi, j = self._class_char(j + 1, whole)
                if hi < lo:
                    raise RegexSyntaxError("invalid character class range", s[start:j])
        return j + 1

    def _class_char(self, j: int, whole: str) -> tuple[int, int]:
        """One class member: its code point and the index after it."""
        s = self.s
        if j >= len(s):
            raise RegexSyntaxError("missing closing ]", whole)
        if s[j] == "\\":
            end = self._escape(j)
            return _escape_value(s[j:end]), end
        return ord(s[j]), j + 1

    # -- limits ---------------------------------------------------------------

    def _check_utf8(self, start: int) -> None:
        for k in range(start, len(self.s)):
            if 0xD800 <= ord(self.s[k]) <= 0xDFFF:
                raise RegexSyntaxError("invalid UTF-8", self.s[k:])

    def _check_height(self, root: _Node) -> None:
        """Go rejects trees taller than MAX_HEIGHT; only big trees need measuring."""
        if self.nodes < MAX_HEIGHT:
            return
        todo: list[tuple[_Node, int]] = [(root, 1)]
        while todo:
            node, depth = todo.pop()
            if depth > MAX_HEIGHT:
                raise RegexSyntaxError("expression nests too deeply", self.s)
            todo.extend((sub, depth + 1) for sub in node.subs)


def _repeat_is_valid(root: _Node) -> bool:
    """Go's repeatIsValid: nested ``{n,m}`` counts may multiply to at most MAX_REPEAT."""
    todo: list[tuple[_Node, int]] = [(root, MAX_REPEAT)]
    while todo:
        node, budget = todo.pop()
        if node.kind == "repeat":
            m = node.max
            if m == 0:
                continue
            if m < 0:
                m = node.min
            if m > budget:
                return False
            if m > 0:
                budget //= m
        todo.extend((sub, budget) for sub in node.subs)
    return True


def _escape_value(text: str) -> int:
    """The code point a valid escape (as accepted by ``_Parser._escape``) stands for."""
    c = text[1]
    if c in _OCTAL:
        return int(text[1:], 8)
    if c == "x":
        digits = text[2:].strip("{}")
        return int(digits, 16)
    return {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}.get(c, ord(c))


def _loose(name: str) -> str:
    return name.replace(" ", "").replace("_", "").replace("-", "").lower()


_LOOSE_NAMES_125 = frozenset(
    _loose(n) for n in {"Any", *_CATEGORIES, *_CATEGORY_ALIASES_125, *_SCRIPTS, *_SCRIPTS_121}
)
