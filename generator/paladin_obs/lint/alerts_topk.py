"""alerts/topk: an alert on ``topk``/``bottomk``/``limitk``/``limit_ratio`` flaps.

Why: which series are in the top k changes from one evaluation to the next
(two series trading places is enough), and an alert's identity is its series'
labels. A series that drops out of the top k resolves its alert, one that
comes in starts a new one, so the alert resolves and re-fires and ``for``
restarts every time and may never complete. ``limitk``/``limit_ratio`` pick an
arbitrary subset: the same problem.

Bad:  ``expr: topk(3, rate(http_requests_total{code=~"5.."}[5m])) > 1``
Good: ``expr: rate(http_requests_total{code=~"5.."}[5m]) > 1`` (every series
against the threshold; limit the notification, not the alert)

Fix: compare every series against a threshold, and let Alertmanager group the
notifications. Suppress (when it is intended): ``# paladin-obs disable
alerts/topk: reason`` on the rule, or ``suppress: {alerts/topk: reason}`` on
the spec's alert.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import mentions, nodes

ID = "alerts/topk"
#: Flapping pages, but the alert does fire: warn.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
_SELECTING = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.alerts():
        if not mentions(rule.expr, _SELECTING):
            continue
        ops = sorted(
            {
                op
                for n in nodes(ast)
                if isinstance(n, pp.AggregateExpr) and (op := str(n.op).lower()) in _SELECTING
            }
        )
        if ops:
            used = "/".join(ops)
            out.append(
                f.at(
                    (*rule.path, "expr"),
                    f"alert {rule.name!r} uses {used}: the series picked change between evaluations, so the "
                    "alert flaps and `for` restarts; compare every series against a threshold instead",
                )
            )
    return out
