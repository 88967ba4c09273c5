"""dashboard/job-instance-matchers: queries filter on the dashboard's job and instance variables.

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

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile
from paladin_obs.lint.query import nodes
from paladin_obs.validate.grafana_vars import MARKER_PREFIX, marker

ID = "dashboard/job-instance-matchers"
SEVERITY: Severity = "warning"
_LABELS = ("job", "instance")


#: (query text, labels) -> labels missing: walking an AST costs more than
#: parsing it, and the same query recurs across panels and environments.
_MISSING: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
_MISSING_MAX = 4096


def _missing(ast: pp.Expr, text: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels some selector of ``ast`` (parsed from ``text``) does not
    filter on their variable."""
    key = (text, labels)
    found = _MISSING.get(key)
    if found is None:
        if len(_MISSING) >= _MISSING_MAX:
            _MISSING.clear()
        found = _MISSING[key] = _walk(ast, labels)
    return found


def _walk(ast: pp.Expr, labels: tuple[str, ...]) -> tuple[str, ...]:
    missing: dict[str, None] = {}
    for node in nodes(ast):
        if isinstance(node, pp.VectorSelector) and not _deliberate(node):
            for label in labels:
                if not any(
                    m.name == label and marker(label) in m.value for m in node.matchers.matchers
                ):
                    missing[label] = None
    return tuple(missing)


def _deliberate(node: pp.VectorSelector) -> bool:
    name = node.name or ""
    if ":" in name or name in ("ALERTS", "ALERTS_FOR_STATE"):
        return True
    # Variables were replaced by markers before parsing: a literal has none.
    return any(m.name == "job" and MARKER_PREFIX not in m.value for m in node.matchers.matchers)


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
