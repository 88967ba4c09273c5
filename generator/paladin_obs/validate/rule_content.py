"""Content checks of one rule: its PromQL and, for alerts, its Go templates.

These are the checks promtool runs after the shape is right; the PromQL and
template parsers are ours, so neither promtool nor Go is needed.
"""

from __future__ import annotations

from collections.abc import Callable

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.validate.gotemplate import (
    PROMETHEUS_TEMPLATE_VARIABLES,
    check_template,
    prometheus_template_functions,
)
from paladin_obs.validate.promql import parse_expr
from paladin_obs.validate.promql_position import expr_position
from paladin_obs.validate.promql_syntax import line_column
from paladin_obs.validate.rulefile import RuleRef

Locate = Callable[[Path, bool], Location]


def check_rule(
    rule: RuleRef, locate: Locate, version: tuple[int, int]
) -> tuple[list[Diagnostic], pp.Expr | None]:
    """Problems of one rule, and its parsed expression for lint (None if it did not parse)."""
    out: list[Diagnostic] = []
    kind = "alert" if rule.is_alert else "record"
    expr_path = (*rule.path, "expr")
    ast, errors = parse_expr(rule.expr, version)
    for error in errors:
        where = locate(expr_path, False)
        message = error.message
        if error.offset is not None:
            line, column = line_column(rule.expr, error.offset)
            message = f"{line}:{column}: {message}"
            where = expr_position(where, rule.expr, error.offset)
        out.append(Diagnostic(where, f"{kind} {rule.name!r}: {message}", expr_path))
    return out + check_templates(rule, locate, version), ast


def check_templates(rule: RuleRef, locate: Locate, version: tuple[int, int]) -> list[Diagnostic]:
    """An alert's labels and annotations as Go templates (Prometheus's and Loki's
    ruler expand them the same way)."""
    out: list[Diagnostic] = []
    if not rule.is_alert:
        return out
    functions = prometheus_template_functions(version)
    for field, values in (("labels", rule.labels), ("annotations", rule.annotations)):
        for key, text in values.items():
            path = (*rule.path, field, key)
            template_errors = check_template(
                text,
                functions=functions,
                variables=PROMETHEUS_TEMPLATE_VARIABLES,
                template_name=f"__alert_{rule.name}",
            )
            for terr in template_errors:
                message = (
                    f"alert {rule.name!r}: {field[:-1]} {key!r} is not a valid template: "
                    f"{terr.line}:{terr.column}: {terr.message}"
                )
                out.append(Diagnostic(locate(path, False), message, path))
    return out
