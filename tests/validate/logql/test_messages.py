"""Syntax error messages (messages.py): the found token and the alternatives in plain words."""

from __future__ import annotations

import pytest

from paladin_obs.validate.logql.messages import (
    describe_expected,
    describe_found,
    syntax_error_message,
)


@pytest.mark.parametrize(
    ("expected", "words"),
    [
        ({"RPAREN"}, '")"'),
        ({"RPAREN", "COMMA"}, '")" or ","'),
        ({"IDENTIFIER", "RBRACE"}, '"}" or a label name'),
        ({"LBRACE", "RANGE_OP", "VECTOR_OP", "NUMBER", "LPAREN", "ADD", "SUB", "VECTOR"}, "an expression"),
        ({"ADD", "SUB", "MUL", "DIV", "GT", "LT", "RPAREN"}, 'a binary operator or ")"'),
        ({"PIPE_EXACT", "PIPE_MATCH", "NRE", "NEQ", "PIPE", "RANGE"}, 'a line filter such as |= "text", "|" or a range such as [5m]'),
        ({"$END"}, "end of query"),
        ({"RANGE_OP"}, "a range function such as rate("),
    ],
)
def test_describe_expected(expected: set[str], words: str) -> None:
    assert describe_expected(expected) == words


def test_long_alternatives_are_cut() -> None:
    words = describe_expected({"RPAREN", "RBRACE", "PIPE", "BY", "WITHOUT", "OFFSET", "BOOL"})
    assert words == '")", "|", "}", "bool" or ...'


@pytest.mark.parametrize(
    ("kind", "text", "words"),
    [("$END", "", "end of query"), ("STRING", '"abc"', 'string "abc"'), ("IDENTIFIER", "foo", "label name foo"),
     ("NUMBER", "5", "number 5"), ("RPAREN", ")", '")"'), ("BY", "by", '"by"'), ("STRING", '"' + "x" * 40 + '"', 'string "' + "x" * 26 + "...")],
)  # fmt: skip
def test_describe_found(kind: str, text: str, words: str) -> None:
    assert describe_found(kind, text) == words


@pytest.mark.parametrize(
    ("kind", "text", "expected", "hint"),
    [
        ("IDENTIFIER", "'x'", {"STRING"}, "double quotes or backticks"),
        ("IDENTIFIER", "rate", {"LBRACE"}, "rate is a function only when ( follows it"),
        ("ON", "on", {"IDENTIFIER", "RBRACE"}, "on is a reserved word"),
        ("RANGE", "[5m]", {"PIPE"}, "only goes inside a range function"),
    ],
)
def test_hints(kind: str, text: str, expected: set[str], hint: str) -> None:
    assert hint in syntax_error_message(kind, text, expected)
