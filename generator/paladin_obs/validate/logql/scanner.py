"""Go's ``text/scanner`` as Loki runs it (Loki copies it as ``query_scanner.go``).

Loki's lexer (:mod:`.lexer`) reads raw tokens from Go's scanner in its
``GoTokens`` mode: identifiers, numbers, ``"..."``/```...``` strings,
character literals, ``//``/``/* */`` comments skipped, anything else one
character at a time.  Number syntax, string escapes and the errors the scanner
reports are Go's, so they are reproduced here rather than approximated; Loki's
one change (``0b``, see :meth:`Scanner._number`) is reproduced too.
"""

from __future__ import annotations

__all__ = ["CHAR", "EOF", "FLOAT", "IDENT", "INT", "OTHER", "RAW", "STRING", "LexError", "Scanner"]


class LexError(Exception):
    """A lexical error at ``offset``; ``message`` is ready for the user."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


_SPACE = frozenset(" \t\n\r")  # text/scanner's GoWhitespace
EOF = ""

# Raw scanner token kinds (Go's text/scanner classes).
IDENT, INT, FLOAT, STRING, RAW, CHAR, OTHER = range(7)
_LITNAME = {"": "decimal literal", "x": "hexadecimal literal", "o": "octal literal",
            "0": "octal literal", "b": "binary literal"}  # fmt: skip


def _digit_value(ch: str) -> int:
    """text/scanner's digitVal: 16 for anything that is not a hex digit."""
    if ch and ch in "0123456789abcdefABCDEF":
        return int(ch, 16)
    return 16


def _invalid_sep(x: str) -> bool:
    """text/scanner's invalidSep: whether a '_' does not separate two digits."""
    x1 = " "
    d = "."
    i = 0
    if len(x) >= 2 and x[0] == "0" and x[1].lower() in "xob":
        x1 = x[1].lower()
        d = "0"
        i = 2
    while i < len(x):
        p, d = d, x[i]
        if d == "_":
            if p != "0":
                return True
        elif "0" <= d <= "9" or (x1 == "x" and d in "abcdefABCDEF"):
            d = "0"
        else:
            if p == "_":
                return True
            d = "."
        i += 1
    return d == "_"


class Scanner:
    """Go's text/scanner over a Python string; :mod:`.lexer` subclasses it with Loki's ``Lex``."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.pos = 1 if src.startswith("\ufeff") else 0
        # Go reports NUL and invalid UTF-8 as soon as it reads them.
        self.bad = next((i for i, c in enumerate(src) if c == "\0" or "\ud800" <= c <= "\udfff"),
                        self.n + 1)  # fmt: skip

    def at(self, i: int) -> str:
        return self.src[i] if i < self.n else EOF

    # -- text/scanner -------------------------------------------------------

    def scan(self) -> tuple[int, int, int]:
        """Next raw token as (kind, start, end); comments are skipped like Go does."""
        src, n = self.src, self.n
        peek_at_start = self.at(self.pos)  # the scanner's ``ch`` field during this Scan
        while True:
            i = self.pos
            while i < n and src[i] in _SPACE:
                i += 1
            start = i
            if i >= n:
                self.pos = i
                return OTHER, i, i
            c = src[i]
            if c == "_" or c.isalpha():
                i += 1
                while i < n and (src[i] == "_" or src[i].isalpha() or src[i].isdecimal()):
                    i += 1
                kind = IDENT
            elif "0" <= c <= "9":
                kind, i = self._number(i, False, peek_at_start)
            elif c == '"':
                kind, i = STRING, self._string(i, '"')[0]
            elif c == "'":
                i, count = self._string(i, "'")
                if count != 1:
                    raise LexError(f"invalid character literal {src[start:i]}: use double quotes for strings", start)
                kind = CHAR
            elif c == "." and "0" <= self.at(i + 1) <= "9":
                kind, i = self._number(i + 1, True, peek_at_start)
            elif c == "/" and self.at(i + 1) in ("/", "*"):
                self.pos = self._comment(i)
                continue
            elif c == "`":
                end = src.find("`", i + 1)
                if end < 0:
                    raise LexError("raw string is not terminated: add the closing backtick", i)
                kind, i = RAW, end + 1
            else:
                kind, i = OTHER, i + 1
            self.pos = i
            return kind, start, i

    def _comment(self, i: int) -> int:
        if self.src[i + 1] == "/":
            end = self.src.find("\n", i)
            return self.n if end < 0 else end
        end = self.src.find("*/", i + 2)
        if end < 0:
            raise LexError("comment is not terminated: add */", i)
        return end + 2

    def _digits(self, i: int, base: int, invalid: list[str]) -> tuple[int, int]:
        src, n = self.src, self.n
        digsep = 0
        if base <= 10:
            limit = chr(ord("0") + base)
            while i < n and ("0" <= src[i] <= "9" or src[i] == "_"):
                if src[i] == "_":
                    digsep |= 2
                else:
                    digsep |= 1
                    if src[i] >= limit and not invalid:
                        invalid.append(src[i])
                i += 1
        else:
            while i < n and (src[i] in "0123456789abcdefABCDEF_"):
                digsep |= 2 if src[i] == "_" else 1
                i += 1
        return i, digsep

    def _number(self, i: int, seen_dot: bool, peek: str) -> tuple[int, int]:
        """text/scanner's scanNumber, with Loki's change for ``0b``; returns (kind, end)."""
        start = i - 1 if seen_dot else i
        base, prefix, digsep = 10, "", 0
        invalid: list[str] = []
        kind = INT
        if not seen_dot:
            if self.src[i] == "0":
                i += 1
                c = self.at(i)
                if c in ("x", "X"):
                    i, base, prefix = i + 1, 16, "x"
                elif c in ("o", "O"):
                    i, base, prefix = i + 1, 8, "o"
                elif c in ("b", "B"):
                    # Loki peeks at the scanner's stale look-ahead, not at the next character.
                    if peek in ("0", "1"):
                        i, base, prefix = i + 1, 2, "b"
                else:
                    base, prefix, digsep = 8, "0", 1
            i, ds = self._digits(i, base, invalid)
            digsep |= ds
            if self.at(i) == ".":
                i += 1
                seen_dot = True
        name = _LITNAME[prefix]
        if seen_dot:
            kind = FLOAT
            if prefix in ("o", "b"):
                raise LexError(f"invalid number {self.src[start:i]}: a {name} has no fraction", start)
            i, ds = self._digits(i, base, invalid)
            digsep |= ds
        if not digsep & 1:
            raise LexError(f"invalid number {self.src[start:i]}: the {name} has no digits", start)
        e = self.at(i)
        if e in ("e", "E") or (e in ("p", "P") and prefix == "x"):
            if e in ("e", "E") and prefix not in ("", "0"):
                raise LexError(f"invalid number {self.src[start:i + 1]}: an 'e' exponent needs a decimal mantissa", start)
            i += 1
            kind = FLOAT
            if self.at(i) in ("+", "-"):
                i += 1
            i, ds = self._digits(i, 10, [])
            if not ds & 1:
                raise LexError(f"invalid number {self.src[start:i]}: the exponent has no digits", start)
            digsep |= ds
        elif prefix == "x" and kind == FLOAT:
            raise LexError(f"invalid number {self.src[start:i]}: a hexadecimal fraction needs a 'p' exponent", start)
        if kind == INT and invalid:
            raise LexError(f"invalid number {self.src[start:i]}: digit {invalid[0]} is not allowed in a {name}", start)
        if digsep & 2 and _invalid_sep(self.src[start:i]):
            raise LexError(f"invalid number {self.src[start:i]}: '_' must separate successive digits", start)
        return kind, i

    def _string(self, i: int, quote: str) -> tuple[int, int]:
        """Scan a quoted literal starting at ``i``; returns (end, character count)."""
        src, n = self.src, self.n
        start = i
        i += 1
        count = 0
        while True:
            c = src[i] if i < n else EOF
            if c == quote:
                return i + 1, count
            if c in ("\n", EOF):
                what = "string" if quote == '"' else "character literal"
                raise LexError(f"{what} is not terminated: add the closing {quote} on the same line", start)
            if c == "\\":
                i = self._escape(i, quote)
            else:
                i += 1
            count += 1

    def _escape(self, i: int, quote: str) -> int:
        """Go's scanEscape for the backslash at ``i``; returns the index after it."""
        c = self.at(i + 1)
        if c and (c in "abfnrtv\\" or c == quote):
            return i + 2
        if c and c in "01234567":
            j, base, need = i + 1, 8, 3
        elif c and c in "xuU":
            j, base, need = i + 2, 16, {"x": 2, "u": 4, "U": 8}[c]
        else:
            raise LexError(f"invalid escape \\{c} in string: write \\\\ for a backslash", i)
        while need and _digit_value(self.at(j)) < base:
            j += 1
            need -= 1
        if need:
            raise LexError(f"invalid escape {self.src[i:j + 1]} in string", i)
        return j
