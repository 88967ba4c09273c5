"""alerts/comparison: an alert whose expression has no comparison always fires.

``rate(x[5m])`` as an alert fires for every series that exists; promtool
accepts it. A comparison with ``bool`` does not filter either. Set operators
(``and``, ``unless``) and ``absent``-style functions filter, so they count.

Two kinds of alert have no comparison on purpose and are not flagged:

* **Constant heartbeats**: an expression with no selector at all (``vector(1)``,
  ``1``, ``vector(time())``) depends on no series, so it fires always (or
  never) whatever is scraped. That is the dead man's switch pattern
  (kube-prometheus's ``Watchdog``): the alert exists to prove the pipeline
  works, firing always is the point, and no comparison could make it better.
* **Presence by matcher**: the expression is a bare instant vector selector,
  possibly in parentheses or under one aggregation without parameter
  (``max by (cluster) (...)``, ``count``, ``group``...), and one of its
  matchers is on a label that says what state the series is in, not where it
  comes from (e.g. ``ceph_nvmeof_subsystem_metadata{allow_any_host="yes"}``,
  ``ALERTS{alertstate="firing"}``). Such a series exists only while the state
  holds, so its presence is the condition and its value (usually 1, as for
  info and metadata metrics) is irrelevant. A matcher on a *scope* label
  (``job``, ``instance``, ``namespace``... see ``_SCOPE_LABELS``) does not count:
  ``up{job="x"}`` fires for every target of job x, which is the mistake this
  check is for. A selector under a function that computes a value
  (``rate(errors{code="500"}[5m])``) is still flagged: there the value is the
  point and the alert fires even when it is 0.

Known blind spot: a 0/1 state metric (``kube_pod_status_phase{phase="Failed"}``)
has a series for every state, so it needs ``== 1``; its type and values are
not known offline, so the matcher form is taken as presence and not flagged.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import nodes

ID = "alerts/comparison"
#: An alert that always fires is usually a mistake, but heartbeat alerts
#: (Watchdog) are written that way on purpose: warn, do not block.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
_FILTERING_OPS = frozenset({"==", "!=", ">", "<", ">=", "<=", "and", "unless"})
_FILTERING_CALLS = frozenset({"absent", "absent_over_time"})
#: Labels that say where a series comes from (its target or deployment), not
#: what state it is in: matching on them scopes an alert, it is no condition.
_SCOPE_LABELS = frozenset(
    {
        "__name__", "job", "instance", "namespace", "cluster", "service", "pod",
        "container", "node", "env", "environment", "region", "zone", "datacenter",
        "endpoint", "prometheus", "tenant",
    }
)  # fmt: skip
#: Aggregations whose output exists exactly when their input does and that take
#: no parameter (topk/quantile/count_values have one and other meanings).
_PRESENCE_AGGREGATIONS = frozenset({"sum", "min", "max", "avg", "count", "group"})


def _filters(expr: pp.Expr) -> bool:
    for node in nodes(expr):
        if isinstance(node, pp.BinaryExpr) and str(node.op) in _FILTERING_OPS:
            if node.modifier is None or not node.modifier.return_bool:
                return True
        elif isinstance(node, pp.Call) and node.func.name in _FILTERING_CALLS:
            return True
    return False


def _unwrap(expr: pp.Expr) -> pp.Expr:
    while isinstance(expr, pp.ParenExpr):
        expr = expr.expr
    return expr


def _is_constant(expr: pp.Expr) -> bool:
    """No selector anywhere: the value does not depend on any series (a heartbeat)."""
    return not any(isinstance(n, pp.VectorSelector | pp.MatrixSelector) for n in nodes(expr))


def _is_presence_by_matcher(expr: pp.Expr) -> bool:
    """A bare selector (maybe under one plain aggregation) with a state matcher."""
    expr = _unwrap(expr)
    if isinstance(expr, pp.AggregateExpr):
        if str(expr.op).lower() not in _PRESENCE_AGGREGATIONS or expr.param is not None:
            return False
        expr = _unwrap(expr.expr)
    if not isinstance(expr, pp.VectorSelector):
        return False
    return any(
        m.name not in _SCOPE_LABELS
        and not (str(m.op) == "MatchOp.Re" and m.value in (".*", "^.*$"))
        for m in expr.matchers.matchers
    )


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.alerts():
        if _filters(ast) or _is_constant(ast) or _is_presence_by_matcher(ast):
            continue
        out.append(
            f.at(
                (*rule.path, "expr"),
                f"alert {rule.name!r} has no comparison: it fires for every series the expression returns",
            )
        )
    return out
