"""Loki's lexer (lexer.py): which token each piece of text becomes, and its lexical errors."""

from __future__ import annotations

import pytest

from paladin_obs.validate.logql.lexer import LexError, tokenize


def kinds(text: str) -> list[str]:
    return [t.type for t in tokenize(text)]


def pairs(text: str) -> list[tuple[str, str]]:
    return [(t.type, t.value) for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # functions are tokens only when a call follows
        ("rate(", ["RANGE_OP", "LPAREN"]),
        ("rate (", ["RANGE_OP", "LPAREN"]),
        ("rate\t\n(", ["RANGE_OP", "LPAREN"]),
        ("rate", ["IDENTIFIER"]),
        ("rate by (", ["RANGE_OP", "BY", "LPAREN"]),
        ("sum without(", ["VECTOR_OP", "WITHOUT", "LPAREN"]),
        ("sum bytes(", ["IDENTIFIER", "CONV_OP", "LPAREN"]),
        ("sum /*c*/ (", ["IDENTIFIER", "LPAREN"]),  # look-ahead does not skip comments
        ("ip ip(", ["IDENTIFIER", "IP", "LPAREN"]),
        ("label_replace label_replace(", ["IDENTIFIER", "LABEL_REPLACE", "LPAREN"]),
        ("vector(", ["VECTOR", "LPAREN"]),
        ("Sum(", ["VECTOR_OP", "LPAREN"]),
        # keywords are reserved everywhere, case-insensitively
        ("by Without BOOL on ignoring group_left group_right offset", ["BY", "WITHOUT", "BOOL", "ON", "IGNORING", "GROUP_LEFT", "GROUP_RIGHT", "OFFSET"]),
        ("or AND unless", ["OR", "AND", "UNLESS"]),
        ("json logfmt regexp pattern unpack unwrap", ["JSON", "LOGFMT", "REGEXP", "PATTERN", "UNPACK", "UNWRAP"]),
        ("line_format label_format decolorize drop keep", ["LINE_FORMAT", "LABEL_FORMAT", "DECOLORIZE", "DROP", "KEEP"]),
        ("variants of jsonx", ["IDENTIFIER", "IDENTIFIER", "IDENTIFIER"]),
        # operators
        ("= != =~ !~ !> |= |~ |> |", ["EQ", "NEQ", "RE", "NRE", "NPA", "PIPE_EXACT", "PIPE_MATCH", "PIPE_PATTERN", "PIPE"]),
        ("== > >= < <= + - * / % ^", ["CMP_EQ", "GT", "GTE", "LT", "LTE", "ADD", "SUB", "MUL", "DIV", "MOD", "POW"]),
        ("{}(),.]", ["LBRACE", "RBRACE", "LPAREN", "RPAREN", "COMMA", "DOT", "RBRACKET"]),
        ("==~", ["CMP_EQ", "IDENTIFIER"]),
        ("| =", ["PIPE", "EQ"]),
        # stray characters become identifiers
        ("@ ! ~ : ; ? $x", ["IDENTIFIER"] * 8),
        ("'a'", ["IDENTIFIER"]),  # a character literal
        ("\f", ["IDENTIFIER"]),  # not Go whitespace
        # numbers, durations, byte sizes
        ("5 0.5 .5 1e3 1_000 0x1F 0x1p3 017", ["NUMBER"] * 8),
        ("5m 1h30m 250ms 1.5h 1d 2w 1y 10us 10µs", ["DURATION"] * 9),
        ("0 0s", ["NUMBER", "DURATION"]),
        ("10KB 1.5MiB 20kB 3B 1Ki 2PB 2PiB", ["BYTES"] * 7),
        ("20kb", ["BYTES", "IDENTIFIER"]),  # a lower-case b is not a size letter
        ("1.5d", ["NUMBER", "IDENTIFIER"]),
        ("5min", ["DURATION", "IDENTIFIER"]),
        ("5m30", ["NUMBER", "IDENTIFIER"]),
        ("1b", ["NUMBER", "IDENTIFIER"]),
        ("-5m", ["DURATION"]),
        ("-0", ["DURATION"]),  # time.ParseDuration takes a bare "0"
        ("-5", ["SUB", "NUMBER"]),
        ("- 5m", ["SUB", "DURATION"]),
        ("-10KB", ["SUB", "BYTES"]),
        ("34-123", ["NUMBER", "SUB", "NUMBER"]),
        ("x>0b1", ["IDENTIFIER", "GT", "NUMBER"]),
        # flags
        ("--strict --keep-empty", ["FLAG", "FLAG"]),
        ("--strictly", ["SUB", "SUB", "IDENTIFIER"]),
        # ranges
        ("[5m] [1h30m] [0]", ["RANGE"] * 3),
        # strings and comments
        ('"a" `b` "\\"" "\\u00e9"', ["STRING"] * 4),
        ('{a="b"} # c\n | json', ["LBRACE", "IDENTIFIER", "EQ", "STRING", "RBRACE", "PIPE", "JSON"]),
        ("1 // c\n+ /* d */ 2", ["NUMBER", "ADD", "NUMBER"]),
        ("#", []),
        ("\ufeff1", ["NUMBER"]),  # a leading byte-order mark is skipped
    ],
)
def test_token_kinds(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_token_values_and_positions() -> None:
    tokens = list(tokenize('Rate({a=`x\\d`} |= "\\x41\\u00e9\\101") BY'))
    assert [(t.type, t.value) for t in tokens] == [
        ("RANGE_OP", "rate"), ("LPAREN", "("), ("LBRACE", "{"), ("IDENTIFIER", "a"), ("EQ", "="),
        ("STRING", "x\\d"), ("RBRACE", "}"), ("PIPE_EXACT", "|="), ("STRING", "AéA"), ("RPAREN", ")"),
        ("BY", "by"),
    ]  # fmt: skip
    assert [(t.start, t.end) for t in tokens][:3] == [(0, 4), (4, 5), (5, 6)]
    assert pairs("[1h30m] offset -5m") == [("RANGE", "1h30m"), ("OFFSET", "offset"), ("DURATION", "-5m")]


def test_string_bytes_that_are_not_utf8_survive_as_surrogates() -> None:
    (tok,) = tokenize('"\\xff\\303\\251"')
    assert tok.value == "\udcffé"


@pytest.mark.parametrize(
    ("text", "fragment", "offset"),
    [
        ('"abc', "string is not terminated", 0),
        ('x "a\nb"', "string is not terminated", 2),
        ("`abc", "raw string is not terminated", 0),
        ("'ab'", "invalid character literal", 0),
        ("''", "invalid character literal", 0),
        ('"\\q"', "invalid escape \\q", 1),
        ('"\\x4"', "invalid escape", 1),
        ('"\\\'"', "invalid escape", 1),
        ('"\\400"', "invalid string literal", 0),
        ('"\\U00110000"', "invalid string literal", 0),
        ("[5m", "range is not terminated", 0),
        ("[5 m]", "invalid range [5 m]", 0),
        ("[1.5h]", "invalid range [1.5h]", 0),  # ranges take integers only
        ("[5minutes]", "unknown unit 'minutes' in duration", 0),
        ("[m5]", "is not a duration", 0),
        ("[]", "the duration is empty", 0),
        ("[30s1m]", "largest to smallest", 0),
        ("0x", "hexadecimal literal has no digits", 0),
        ("09", "digit 9 is not allowed in a octal literal", 0),
        ("0o8", "octal literal", 0),
        ("0b1.5", "has no fraction", 0),
        ("1e", "exponent has no digits", 0),
        ("0x1.5", "needs a 'p' exponent", 0),
        ("0o1e5", "'e' exponent needs a decimal mantissa", 0),
        ("1__0", "'_' must separate successive digits", 0),
        ("x > 0B", "decimal literal has no digits", 4),  # Loki's own quirk: see lexer._number
        ("/* open", "comment is not terminated", 0),
        ("a\x00", "NUL", 1),
        ("a \udcff", "invalid UTF-8", 2),
    ],
)
def test_lex_error(text: str, fragment: str, offset: int) -> None:
    with pytest.raises(LexError) as raised:
        list(tokenize(text))
    assert fragment in raised.value.message
    assert raised.value.offset == offset
