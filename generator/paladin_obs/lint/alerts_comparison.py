"""alerts/comparison: an alert whose expression has no comparison always fires.

``rate(x[5m])`` as an alert fires for every series that exists; promtool
accepts it. A comparison with ``bool`` does not filter either. Set operators
(``and``, ``unless``) and ``absent``-style functions filter, so they count.
"""

from __future__ import annotations

from collections.abc import Sequence

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import FileRules

ID = "alerts/comparison"
#: An alert that always fires is usually a mistake, but heartbeat alerts
#: (Watchdog) are written that way on purpose: warn, do not block.
SEVERITY: Severity = "warning"
_FILTERING_OPS = frozenset({"==", "!=", ">", "<", ">=", "<=", "and", "unless"})
_FILTERING_CALLS = frozenset({"absent", "absent_over_time"})


def _filters(expr: pp.Expr) -> bool:
    found = False

    def visit(node: pp.Expr) -> bool:
        nonlocal found
        if isinstance(node, pp.BinaryExpr) and str(node.op) in _FILTERING_OPS:
            found = node.modifier is None or not node.modifier.return_bool
        elif isinstance(node, pp.Call) and node.func.name in _FILTERING_CALLS:
            found = True
        return not found  # stop walking once found

    pp.walk(expr, visit)
    return found


def check(files: Sequence[FileRules]) -> list[Diagnostic]:
    out = []
    for f in files:
        for rule in f.rules:
            ast = f.asts.get(rule.path)
            if not rule.is_alert or ast is None or _filters(ast):
                continue
            path = (*rule.path, "expr")
            out.append(
                Diagnostic(
                    f.locate(path, False),
                    f"alert {rule.name!r} has no comparison: it fires for every series the expression returns",
                    path,
                )
            )
    return out
