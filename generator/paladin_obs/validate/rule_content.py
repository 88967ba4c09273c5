"""Content checks of one rule: its PromQL and, for alerts, its Go templates.

These are the checks promtool runs after the shape is right; the PromQL and
template parsers are ours, so neither promtool nor Go is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.validate.gotemplate import (
    PROMETHEUS_TEMPLATE_VARIABLES,
    check_template,
    prometheus_template_functions,
)
from paladin_obs.validate.promql import PromQLError, parse_expr
from paladin_obs.validate.promql_position import expr_position
from paladin_obs.validate.promql_syntax import line_column
from paladin_obs.validate.rulefile import RuleRef

Locate = Callable[[Path, bool], Location]


#: Parse results by expression text, shared by the rules of one slice.
Parsed = dict[str, tuple[pp.Expr | None, list[PromQLError]]]


def check_rule(
    rule: RuleRef, locate: Locate, version: tuple[int, int], parsed: Parsed | None = None
) -> tuple[list[Diagnostic], pp.Expr | None]:
    """Problems of one rule, and its parsed expression for lint (None if it did not parse).

    ``parsed`` remembers expressions already parsed: a big file repeats one
    expression for many alerts (per severity, per team), and a verdict and
    tree depend on the text and version alone (the tree is only read after).
    """
    out: list[Diagnostic] = []
    kind = "alert" if rule.is_alert else "record"
    expr_path = (*rule.path, "expr")
    known = None if parsed is None else parsed.get(rule.expr)
    if known is None:
        known = parse_expr(rule.expr, version)
        if parsed is not None:
            parsed[rule.expr] = known
    ast, errors = known
    for error in errors:
        where = locate(expr_path, False)
        message = error.message
        if error.offset is not None:
            line, column = line_column(rule.expr, error.offset)
            message = f"{line}:{column}: {message}"
            where = expr_position(where, rule.expr, error.offset)
        out.append(Diagnostic(where, f"{kind} {rule.name!r}: {message}", expr_path))
    return out + check_templates(rule, locate, version), ast


#: Templates found valid, by text and version; most rules of a big file share
#: their label and annotation templates (bounded for long-lived processes).
_VALID_TEMPLATES: set[tuple[str, tuple[int, int]]] = set()
_MAX_VALID = 100_000
_functions = functools.cache(prometheus_template_functions)


def check_templates(rule: RuleRef, locate: Locate, version: tuple[int, int]) -> list[Diagnostic]:
    """An alert's labels and annotations as Go templates (Prometheus's and Loki's
    ruler expand them the same way).

    A text without ``{{`` has no action and always parses; a valid text is
    valid under any alert's name unless it defines templates (``define``,
    ``block``, which may clash with the name), so it is checked once.
    """
    out: list[Diagnostic] = []
    if not rule.is_alert:
        return out
    functions = _functions(version)
    for field, values in (("labels", rule.labels), ("annotations", rule.annotations)):
        for key, text in values.items():
            if "{{" not in text or (text, version) in _VALID_TEMPLATES:
                continue
            path = (*rule.path, field, key)
            template_errors = check_template(
                text,
                functions=functions,
                variables=PROMETHEUS_TEMPLATE_VARIABLES,
                template_name=f"__alert_{rule.name}",
            )
            if not template_errors and "define" not in text and "block" not in text:
                if len(_VALID_TEMPLATES) >= _MAX_VALID:
                    _VALID_TEMPLATES.clear()
                _VALID_TEMPLATES.add((text, version))
            for terr in template_errors:
                message = (
                    f"alert {rule.name!r}: {field[:-1]} {key!r} is not a valid template: "
                    f"{terr.line}:{terr.column}: {terr.message}"
                )
                out.append(Diagnostic(locate(path, False), message, path))
    return out
