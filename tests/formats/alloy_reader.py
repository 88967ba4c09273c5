"""A reader for the subset of Alloy syntax that tests need, as an independent oracle.

It follows Alloy's scanner and parser (grafana/alloy ``syntax/scanner``,
``syntax/parser``) rather than our dumper: newlines become statement
terminators after an identifier, literal, ``)``, ``]`` or ``}``, so a
multi-line array or object without its trailing comma is an error; ``//`` and
``/* */`` comments; double-quoted strings decoded like Go's ``strconv.Unquote``
(bytes from ``\\x``/octal escapes, no ``\\'``); raw backtick strings with CR
removed; block labels and quoted object keys taken raw, without unescaping, as
Alloy does. Expressions are limited to literals, arrays, objects, unary minus
on numbers and dotted references; operators, calls and indexing raise
``AlloyReadError``. The result is built from ``paladin_obs.formats.alloy``'s
model, so its validation applies too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from paladin_obs.formats.alloy import Attribute, Block, Document, Ref, Value


class AlloyReadError(ValueError):
    pass


@dataclass(frozen=True)
class Token:
    kind: str  # IDENT STRING NUMBER FLOAT BOOL NULL TERM EOF, or the punctuation itself
    text: str
    line: int
    col: int


_TERM_AFTER = {"IDENT", "STRING", "NUMBER", "FLOAT", "BOOL", "NULL", ")", "]", "}"}
_PUNCT = "{}[](),=.-+*/%^!<>&|"
_SIMPLE_ESCAPES = {
    "a": 0x07,
    "b": 0x08,
    "f": 0x0C,
    "n": 0x0A,
    "r": 0x0D,
    "t": 0x09,
    "v": 0x0B,
    "\\": 0x5C,
    '"': 0x22,
}


def _is_letter(ch: str) -> bool:
    return ch == "_" or ("a" <= ch.lower() <= "z") or (ch >= "\x80" and ch.isalpha())


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or (ch >= "\x80" and unicodedata.category(ch) == "Nd")


def tokenize(src: str) -> list[Token]:
    tokens: list[Token] = []
    i, line, line_start = 0, 1, 0
    if src.startswith("\ufeff"):
        i = 1
    insert_term = False

    def err(msg: str, at: int) -> AlloyReadError:
        return AlloyReadError(f"{line}:{at - line_start + 1}: {msg}")

    def emit(kind: str, text: str, start: int) -> None:
        nonlocal insert_term
        tokens.append(Token(kind, text, line, start - line_start + 1))
        insert_term = kind in _TERM_AFTER

    n = len(src)
    while i < n:
        ch = src[i]
        if ch == "\x00":
            raise err("illegal character NUL", i)
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\n":
            if insert_term:
                emit("TERM", "\n", i)
                insert_term = False
            i += 1
            line, line_start = line + 1, i
            continue
        if src.startswith("//", i):
            end = src.find("\n", i)
            i = n if end < 0 else end  # the newline itself is handled above
            continue
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise err("block comment not terminated", i)
            comment = src[i : end + 2]
            if "\n" in comment:
                if insert_term:
                    emit("TERM", "\n", i)
                    insert_term = False
                line += comment.count("\n")
                line_start = i + comment.rindex("\n") + 1
            i = end + 2
            continue
        start = i
        if _is_letter(ch):
            i += 1
            while i < n and (_is_letter(src[i]) or _is_digit(src[i])):
                i += 1
            word = src[start:i]
            kind = {"true": "BOOL", "false": "BOOL", "null": "NULL"}.get(word, "IDENT")
            emit(kind, word, start)
            continue
        if "0" <= ch <= "9" or (ch == "." and i + 1 < n and "0" <= src[i + 1] <= "9"):
            kind = "NUMBER"
            while i < n and "0" <= src[i] <= "9":
                i += 1
            if i < n and src[i] == ".":
                kind = "FLOAT"
                i += 1
                while i < n and "0" <= src[i] <= "9":
                    i += 1
            if i < n and src[i] in "eE":
                kind = "FLOAT"
                i += 1
                if i < n and src[i] in "+-":
                    i += 1
                digits = i
                while i < n and "0" <= src[i] <= "9":
                    i += 1
                if i == digits:
                    raise err("exponent has no digits", start)
            emit(kind, src[start:i], start)
            continue
        if ch == '"':
            i += 1
            while True:
                if i >= n or src[i] == "\n":
                    raise err("string literal not terminated", start)
                if src[i] == "\\":
                    i += 2
                    continue
                if src[i] == '"':
                    i += 1
                    break
                i += 1
            emit("STRING", src[start:i], start)
            continue
        if ch == "`":
            end = src.find("`", i + 1)
            if end < 0:
                raise err("raw string literal not terminated", start)
            text = src[start : end + 1]
            if "\n" in text:
                line += text.count("\n")
                line_start = start + text.rindex("\n") + 1
            i = end + 1
            emit("STRING", text, start)
            continue
        if ch == "'":
            raise err("illegal single-quoted string; use double quotes", i)
        if ch in _PUNCT:
            i += 1
            emit(ch, ch, start)
            continue
        raise err(f"illegal character {ch!r}", i)
    if insert_term:
        emit("TERM", "\n", n)
    tokens.append(Token("EOF", "", line, n - line_start + 1))
    return tokens


def unquote(lit: str) -> str:
    """Decode a string literal the way Alloy (Go's ``strconv.Unquote``) does."""
    if len(lit) >= 2 and lit[0] == lit[-1] == "`":
        return lit[1:-1].replace("\r", "")
    if len(lit) < 2 or lit[0] != '"' or lit[-1] != '"':
        raise AlloyReadError(f"not a string literal: {lit!r}")
    body = lit[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\n" or ch == '"':
            raise AlloyReadError(f"invalid string literal: {lit!r}")
        if ch != "\\":
            out += ch.encode("utf-8", "surrogatepass")
            i += 1
            continue
        if i + 1 >= len(body):
            raise AlloyReadError(f"escape sequence not terminated: {lit!r}")
        esc = body[i + 1]
        i += 2
        if esc in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[esc])
            continue
        if esc in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) != 3 or any(d not in "01234567" for d in digits):
                raise AlloyReadError(f"invalid octal escape in {lit!r}")
            value = int(digits, 8)
            if value > 255:
                raise AlloyReadError(f"octal escape out of range in {lit!r}")
            out.append(value)
            i += 2
            continue
        width = {"x": 2, "u": 4, "U": 8}.get(esc)
        if width is None:
            raise AlloyReadError(f"unknown escape sequence \\{esc} in {lit!r}")
        digits = body[i : i + width]
        if len(digits) != width or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise AlloyReadError(f"invalid \\{esc} escape in {lit!r}")
        value = int(digits, 16)
        i += width
        if esc == "x":
            out.append(value)
        elif value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise AlloyReadError(f"escape is not a Unicode code point in {lit!r}")
        else:
            out += chr(value).encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AlloyReadError(f"string is not valid UTF-8: {lit!r}") from exc


def _number(tok: Token) -> int | float:
    if tok.kind == "FLOAT":
        return float(tok.text)
    text = tok.text
    # Go's strconv.ParseInt(text, 0, 64): a leading 0 means octal.
    try:
        value = int(text, 8) if len(text) > 1 and text[0] == "0" else int(text)
    except ValueError:
        return float(text)
    if value <= 2**64 - 1:
        return value
    return float(text)


def _negate(value: int | float) -> int | float:
    if isinstance(value, float):
        return -value
    # Alloy casts a uint to int64 (wrapping), then negates in int64.
    as_int64 = value - 2**64 if value >= 2**63 else value
    negated = -as_int64
    return negated - 2**64 if negated >= 2**63 else negated


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def error(self, msg: str) -> AlloyReadError:
        return AlloyReadError(f"{self.tok.line}:{self.tok.col}: {msg}, got {self.tok.kind}")

    def next(self) -> Token:
        tok = self.tok
        self.pos += 1
        return tok

    def expect(self, kind: str) -> Token:
        if self.tok.kind != kind:
            raise self.error(f"expected {kind}")
        return self.next()

    def body(self, until: str) -> tuple[Attribute | Block, ...]:
        stmts: list[Attribute | Block] = []
        while self.tok.kind not in (until, "EOF"):
            stmts.append(self.statement())
            if self.tok.kind == until:
                break
            self.expect("TERM")
        return tuple(stmts)

    def statement(self) -> Attribute | Block:
        parts = [self.expect("IDENT").text]
        while self.tok.kind == ".":
            self.next()
            parts.append(self.expect("IDENT").text)
        label: str | None = None
        if self.tok.kind == "STRING":
            lit = self.next().text
            if lit[0] != '"':
                raise self.error("block label must be a double-quoted string")
            label = lit[1:-1]  # Alloy checks the raw text, unescaped
        if self.tok.kind == "=":
            if len(parts) != 1 or label is not None:
                raise self.error("attribute names are a single identifier without label")
            self.next()
            return Attribute(parts[0], self.expression())
        self.expect("{")
        body = self.body("}")
        self.expect("}")
        return Block(".".join(parts), label, body)

    def expression(self) -> Value:
        value = self.operand()
        if self.tok.kind not in ("TERM", ",", "]", "}", "EOF"):
            raise self.error("unsupported expression (operators, calls, indexing)")
        return value

    def operand(self) -> Value:
        tok = self.tok
        if tok.kind == "-":
            self.next()
            inner = self.operand()
            if isinstance(inner, bool) or not isinstance(inner, int | float):
                raise self.error("unary minus on a non-number")
            return _negate(inner)
        if tok.kind == "STRING":
            self.next()
            return unquote(tok.text)
        if tok.kind in ("NUMBER", "FLOAT"):
            self.next()
            return _number(tok)
        if tok.kind == "BOOL":
            self.next()
            return tok.text == "true"
        if tok.kind == "NULL":
            self.next()
            return None
        if tok.kind == "IDENT":
            parts = [self.next().text]
            while self.tok.kind == ".":
                self.next()
                parts.append(self.expect("IDENT").text)
            return Ref(".".join(parts))
        if tok.kind == "[":
            self.next()
            items: list[Value] = []
            while self.tok.kind not in ("]", "EOF"):
                items.append(self.expression())
                if self.tok.kind == "]":
                    break
                self.expect(",")
            self.expect("]")
            return items
        if tok.kind == "{":
            self.next()
            fields: dict[str, Value] = {}
            while self.tok.kind not in ("}", "EOF"):
                key_tok = self.next()
                if key_tok.kind == "IDENT":
                    key = key_tok.text
                elif key_tok.kind == "STRING" and len(key_tok.text) > 2:
                    key = key_tok.text[1:-1]  # Alloy does not unescape object keys
                else:
                    raise self.error("expected field name (string or identifier)")
                self.expect("=")
                fields[key] = self.expression()
                if self.tok.kind == "}":
                    break
                self.expect(",")
            self.expect("}")
            return fields
        raise self.error("expected expression")


def read(src: str) -> Document:
    """Parse Alloy text into the model; raises ``AlloyReadError`` (a ValueError)."""
    parser = _Parser(tokenize(src))
    body = parser.body("EOF")
    parser.expect("EOF")
    return Document(body)
