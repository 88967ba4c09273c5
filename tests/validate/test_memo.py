"""What is remembered between rules gives the verdict a fresh check would give.

Template verdicts are remembered by their actions, PromQL verdicts by the
expression's shape (equality matcher values blanked). Each test warms the
memory with one text, then checks a sibling that shares the key but differs
in what the key leaves out, against a check of that sibling from scratch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from paladin_obs.validate import gotemplate, promql, promql_memo
from paladin_obs.validate.gotemplate import (
    PROMETHEUS_TEMPLATE_VARIABLES,
    actions_of,
    check_template,
    prometheus_template_functions,
)
from paladin_obs.validate.promql_memo import shape

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FUNCS = prometheus_template_functions((2, 53))
TEMPLATES = [e["template"] for e in yaml.safe_load((CORPUS / "templates.yaml").read_text())["templates"]]
EXPRESSIONS = [e["expr"] for e in yaml.safe_load((CORPUS / "promql.yaml").read_text())["expressions"]]


def _fresh(text: str, name: str | None = None) -> list[gotemplate.TemplateError]:
    return gotemplate._check_template(text, FUNCS, PROMETHEUS_TEMPLATE_VARIABLES, name)


def _memo(text: str, name: str | None = None) -> list[gotemplate.TemplateError]:
    return check_template(
        text, functions=FUNCS, variables=PROMETHEUS_TEMPLATE_VARIABLES, template_name=name
    )


def _reference_actions(text: str) -> tuple[str, ...] | None:
    """The splitter ``actions_of`` replaced (a character loop): it must agree."""
    out: list[str] = []
    start = text.find("{{")
    while start >= 0:
        i = start + 2
        if text.startswith("/*", i) or text.startswith("/*", i + 2):
            return None
        while True:
            if i >= len(text):
                return None
            ch = text[i]
            if ch == "}" and text.startswith("}}", i):
                break
            if ch == '"':
                i += 1
                while i < len(text) and text[i] != '"':
                    if text[i] == "\\":
                        i += 1
                    elif text[i] == "\n":
                        return None
                    i += 1
            elif ch == "`":
                i = text.find("`", i + 1)
                if i < 0:
                    return None
            elif ch == "'" or (ch == "{" and text.startswith("{{", i)):
                return None
            i += 1
        out.append(text[start : i + 2])
        start = text.find("{{", i + 2)
    return tuple(out)


_PIECES = st.sampled_from(
    ["{{", "}}", "{", "}", '"', "\\", "\n", "`", "'", "/*", "*/", " ", "-", "$value", "$labels.x",
     ".", "|", "humanize", "if", "end", "else", "(", ")", "x", "define", ":=", "$y"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=16).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_actions_of_agrees_with_a_character_loop(text: str) -> None:
    assert actions_of(text) == _reference_actions(text)


def _siblings(text: str) -> list[str]:
    """Texts with the actions of ``text`` and other text around and between them."""
    actions = actions_of(text)
    if actions is None:
        return []
    return ["".join(actions), "pre " + "\nmid ".join(actions) + " post", "}} " + " - ".join(actions)]


@pytest.mark.parametrize("text", TEMPLATES)
def test_a_remembered_template_verdict_is_the_fresh_one(text: str) -> None:
    for sibling in _siblings(text):
        gotemplate._VERDICTS.clear()
        _memo(text, "__alert_A")
        assert _memo(sibling, "__alert_B") == _fresh(sibling, "__alert_B")


@settings(max_examples=1500, deadline=None)
@given(_TEXTS, st.sampled_from(["__alert_A", "__alert_X"]))
def test_remembered_verdicts_of_generated_templates(text: str, name: str) -> None:
    gotemplate._VERDICTS.clear()
    assert _memo(text, name) == _fresh(text, name)
    for sibling in _siblings(text):
        assert _memo(sibling, "__alert_X") == _fresh(sibling, "__alert_X")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ('up{job="a"} == 0', 'up{job="bbb"} == 0', True),
        ('up{job!="a"}', 'up{job!="zz"}', True),
        ('up{job="a"}', 'up{job=""}', False),  # an empty value selects differently
        ('up{job=~"a"}', 'up{job=~"b"}', False),  # regexes are checked one by one
        ('up{job="a"}', 'up{instance="a"}', False),
        ("up{job='a'}", None, None),  # single quotes: not keyed
        ('up{job="a\\"b"}', None, None),  # escapes: not keyed
        ('label_replace(up, "a", "$1", "b", "(.*)")', None, None),
        ('up # "', None, None),
        ('up{job="a', None, None),
    ],
)
def test_shapes(a: str, b: str | None, same: bool | None) -> None:
    if b is None:
        assert shape(a) is None
    else:
        assert (shape(a) == shape(b)) is same


_VALUE = re.compile(r'((?:!=|[^=!~]=)\s*")([^"\n]+)(")')


@pytest.mark.parametrize("expr", EXPRESSIONS)
@pytest.mark.parametrize("version", [(2, 53), (3, 0)])
def test_a_remembered_expression_verdict_is_the_fresh_one(expr: str, version: tuple[int, int]) -> None:
    key = shape(expr)
    if key is None:
        return
    sibling = _VALUE.sub(lambda m: m.group(1) + "other-" + m.group(2)[::-1] + m.group(3), expr)
    assert shape(sibling) == key
    promql_memo._CLEAN.clear()
    fresh_ast, fresh = promql.parse_expr(sibling, version)
    promql_memo._CLEAN.clear()
    promql.parse_expr(expr, version)
    ast, errors = promql.parse_expr(sibling, version)
    assert errors == fresh
    assert (ast is None) == (fresh_ast is None)
    assert str(ast) == str(fresh_ast)


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_remembered_output_labels_are_the_fresh_ones(expr: str) -> None:
    from paladin_obs.lint import labels

    key = shape(expr)
    ast, _ = promql.parse_expr(expr, (2, 53))
    if key is None or ast is None:
        return
    sibling = _VALUE.sub(lambda m: m.group(1) + "other" + m.group(3), expr)
    sibling_ast, _ = promql.parse_expr(sibling, (2, 53))
    assert sibling_ast is not None
    labels._BY_SHAPE.clear()
    labels.output_labels_of(expr, ast)
    assert labels.output_labels_of(sibling, sibling_ast) == labels.output_labels(sibling_ast)
