"""Loki targets: every variable known, every query valid LogQL.

A target whose datasource is Loki (its own reference, else its panel's; a
datasource variable of plugin ``loki`` counts) sends ``expr`` to Loki, which
parses LogQL: such a query never goes to the PromQL parser, where valid LogQL
would fail and invalid LogQL could pass. Variables are replaced by position as
for PromQL (``grafana_vars``: ``[$__auto]`` becomes ``[1m]``, ``"$app"`` a
marker), except that in strings outside the stream selector a ``$x`` that is
no dashboard variable stays as written, as Grafana leaves it (Go templates of
``line_format`` have ``$`` variables of their own).

A dashboard target may be a log query (a logs panel) or a metric query (a
graph), so both are accepted; Loki's own rules for each apply. Errors are
located like PromQL's: panel and refId, the JSON path of ``expr``, and the
position in the query as written.
"""

from __future__ import annotations

from functools import lru_cache

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard
from paladin_obs.validate.dashboard_queries import unknown_variables
from paladin_obs.validate.grafana_vars import Substituted, substitute
from paladin_obs.validate.logql import check_logql, position

_SHOWN = 200  # show the substituted query in an error up to this length


def check_loki_targets(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    errors: list[Diagnostic] = []
    known = frozenset(dash.variables)
    for target in dash.targets:
        expr = target.target.get("expr")
        if not isinstance(expr, str) or not expr.strip() or not dash.is_loki(target):
            continue
        path = (*target.path, "expr")
        subst = _substitute(expr, known)
        problems = unknown_variables(dash, target, subst, "Loki")
        shown = f" (checked as: {subst.text})" if subst.uses and len(subst.text) <= _SHOWN else ""
        for offset, message in _check(subst.text):
            line, col = position(expr, subst.original_offset(offset))
            where = f"{line}:{col}" if "\n" in expr.rstrip("\n") else f"column {col}"
            problems.append(f"{target.label}: LogQL is invalid at {where}: {message}{shown}")
        errors.extend(Diagnostic(locate(path, False), p, path) for p in problems)
    return errors


@lru_cache(maxsize=4096)
def _substitute(expr: str, known: frozenset[str]) -> Substituted:
    return substitute(expr, known)


@lru_cache(maxsize=4096)
def _check(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((e.offset, e.message) for e in check_logql(text))
