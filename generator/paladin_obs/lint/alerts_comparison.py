"""alerts/comparison: an alert whose expression has no comparison always fires.

``rate(x[5m])`` as an alert fires for every series that exists; promtool
accepts it. Absent-style functions are the exception: they return a series
only when something is missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.lint import FileRules

NAME = "alerts/comparison"
_COMPARISON = re.compile(r"(==|!=|>=|<=|>|<)")
_SELF_FILTERING = re.compile(r"\b(absent|absent_over_time|vector)\s*\(|\b(unless|and)\b")


def _strip_strings(expr: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)


def check(files: Sequence[FileRules]) -> list[Diagnostic]:
    out = []
    for f in files:
        for rule in f.rules:
            if not rule.is_alert:
                continue
            expr = _strip_strings(rule.expr)
            # Matchers hold = and != too; drop selectors' braces before looking.
            bare = re.sub(r"\{[^}]*\}", "", expr)
            if _COMPARISON.search(bare) or _SELF_FILTERING.search(bare):
                continue
            out.append(
                Diagnostic(
                    f.locate((*rule.path, "expr"), False),
                    f"alert {rule.name!r} has no comparison: it fires for every series the expression returns",
                    (*rule.path, "expr"),
                )
            )
    return out
