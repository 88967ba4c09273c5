"""dashboard/job_instance_matchers: queries filter on the dashboard's job and instance variables.

When a dashboard offers ``$job`` and ``$instance`` pickers, a selector that
ignores them shows every job's series whatever the viewer picked.

A selector that pins ``job`` to a literal (``probe_success{job="blackbox"}``:
another exporter's targets) or reads a recording rule (``slo:…``, a colon in
the name) or Prometheus's ``ALERTS`` chose its series on purpose: it is left
alone.

Bad:  rate(http_requests_total[$__rate_interval])
Good: rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile
from paladin_obs.validate.grafana_vars import marker

ID = "dashboard/job_instance_matchers"
SEVERITY: Severity = "warning"
_LABELS = ("job", "instance")


def _missing(ast: pp.Expr, text: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels some selector of ``ast`` does not filter on their variable.
    Walking an AST costs more than parsing it; the same query recurs across
    panels and environments, so answers are kept per text."""
    return _missing_cached(text, labels, _Ast(ast))


class _Ast:
    """An AST carried through the cache without being part of its key."""

    def __init__(self, ast: pp.Expr) -> None:
        self.ast = ast

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ast)


@lru_cache(maxsize=4096)
def _missing_cached(text: str, labels: tuple[str, ...], holder: _Ast) -> tuple[str, ...]:
    ast = holder.ast
    missing: dict[str, None] = {}

    def visit(node: pp.Expr) -> bool:
        if isinstance(node, pp.VectorSelector) and not _deliberate(node):
            for label in labels:
                if not any(
                    m.name == label and marker(label) in m.value for m in node.matchers.matchers
                ):
                    missing[label] = None
        return True

    pp.walk(ast, visit)
    return tuple(missing)


def _deliberate(node: pp.VectorSelector) -> bool:
    name = node.name or ""
    if ":" in name or name in ("ALERTS", "ALERTS_FOR_STATE"):
        return True
    # Variables were replaced by ``__var_<name>__`` markers before parsing.
    return any(m.name == "job" and "__var_" not in m.value for m in node.matchers.matchers)


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    for f in files:
        labels = tuple(label for label in _LABELS if label in f.dashboard.variables)
        if not labels:
            continue
        for query in f.queries:
            if query.ast is None:
                continue
            missing = _missing(query.ast, query.substituted.text, labels)
            if missing:
                wanted = ", ".join(f'{label}=~"${label}"' for label in missing)
                out.append(
                    f.at(
                        (*query.target.path, "expr"),
                        f"{query.target.label}: a selector lacks {wanted}, so it ignores the "
                        "dashboard's variable",
                    )
                )
    return out
