"""Prometheus targets: every variable known, every query parsing for the target version.

Loki targets (LogQL) are checked apart, by ``dashboard_logql``, and never here.

A query that does not parse, or that uses a variable Grafana cannot
substitute (one not defined in ``templating.list`` nor a built-in), fails in
Grafana every time the panel loads: both are errors. Variables are replaced
by position first (``grafana_vars``), then the text goes through the same
PromQL validator as rule files. Identical queries recur across the panels
of a service's dashboards, so recent parses are kept: a few hundred, as a
parse (promql-parser's tree) is ~25 KB and a fleet's dashboards are checked
one service after another, so older ones never recur.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard, TargetRef
from paladin_obs.validate.grafana_vars import Substituted, is_builtin, substitute
from paladin_obs.validate.promql import parse_expr
from paladin_obs.validate.promql_functions import Version

_SHOWN = 200  # show the substituted query in a parse error up to this length


@dataclass(frozen=True)
class Query:
    """One Prometheus target as lint sees it: the text after substitution and,
    when it is valid, its AST (lint never re-parses)."""

    target: TargetRef
    substituted: Substituted
    ast: pp.Expr | None


def check_queries(
    dash: Dashboard, locate: Locate, version: Version
) -> tuple[list[Diagnostic], list[Query]]:
    errors: list[Diagnostic] = []
    queries: list[Query] = []
    for target in dash.targets:
        expr = target.target.get("expr")
        if not isinstance(expr, str) or not expr.strip() or not dash.is_prometheus(target):
            continue
        path = (*target.path, "expr")
        subst = _substitute(expr)
        problems = unknown_variables(dash, target, subst, "Prometheus")
        ast, reasons = _parse(subst.text, version)
        shown = f" (checked as: {subst.text})" if subst.uses and len(subst.text) <= _SHOWN else ""
        problems.extend(f"{target.label}: PromQL does not parse: {r}{shown}" for r in reasons)
        errors.extend(Diagnostic(locate(path, False), p, path) for p in problems)
        queries.append(Query(target, subst, None if problems else ast))
    return errors, queries


def unknown_variables(
    dash: Dashboard, target: TargetRef, subst: Substituted, backend: str
) -> list[str]:
    """One message per variable the query uses that Grafana cannot substitute."""
    return [
        f"{target.label}: variable ${name} is neither defined in templating.list "
        f"nor a Grafana built-in, so Grafana sends it to {backend} as is"
        for name in dict.fromkeys(u.name for u in subst.uses)
        if name not in dash.variables and not is_builtin(name)
    ]


@lru_cache(maxsize=4096)
def _substitute(expr: str) -> Substituted:
    return substitute(expr)


@lru_cache(maxsize=256)
def _parse(text: str, version: Version) -> tuple[pp.Expr | None, tuple[str, ...]]:
    ast, errors = parse_expr(text, version)
    return ast, tuple(e.message for e in errors)
