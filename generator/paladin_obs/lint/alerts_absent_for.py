"""alerts/absent-for: an alert on ``absent()`` with no ``for`` pages on every restart or failed scrape.

Why: a target that restarts, or one scrape that fails, marks its series stale,
so ``absent(x)`` returns 1 at the very next evaluation. Without ``for`` the
alert pages and resolves a minute later, on every deploy. ``absent_over_time``
is flagged too when its range is shorter than four scrape intervals: a
restart of a few scrapes empties such a window just as well (a longer window
debounces by itself and is not flagged).

Bad:  ``expr: absent(up{job="checkout"})`` with no ``for``
Good: the same with ``for: 10m``

Fix: add ``for`` (5m-15m: longer than a restart). Suppress (when it is
intended): ``# paladin-obs disable alerts/absent-for: reason`` on the rule, or
``suppress: {alerts/absent-for: reason}`` on the spec's alert.
"""

from __future__ import annotations

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.durations import parse_duration
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import calls, range_seconds

ID = "alerts/absent-for"
#: Noise, not breakage: it pages on restarts, it still catches real absences.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
_ABSENT = frozenset({"absent", "absent_over_time"})
#: An absent_over_time window this many scrapes long survives a restart.
_SCRAPES = 4


def _unset(text: str | None) -> bool:
    if text is None:
        return True
    try:
        return parse_duration(text.strip()).millis == 0
    except ValueError:
        return False  # an invalid `for` is the validator's finding


def _short(call: pp.Call, scrape_interval: float) -> bool:
    """Does this call go true on a single restart or failed scrape?"""
    if call.func.name == "absent":
        return True
    arg = call.args[0] if call.args else None
    if isinstance(arg, pp.MatrixSelector | pp.SubqueryExpr):
        return range_seconds(arg) < _SCRAPES * scrape_interval
    return False


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.alerts():
        if not _unset(rule.for_):
            continue
        found = [c for c in calls(ast, _ABSENT) if _short(c, ctx.scrape_interval)]
        if not found:
            continue
        name = found[0].func.name
        what = "has no `for`" if rule.for_ is None else f"has `for: {rule.for_}`"
        path = rule.path if rule.for_ is None else (*rule.path, "for")
        window = "" if name == "absent" else f" (its range is under {_SCRAPES} scrape intervals)"
        out.append(
            f.at(
                path,
                f"alert {rule.name!r} uses {name}(){window} and {what}: a restart or one failed scrape "
                "makes the series absent and pages; add `for: 10m` (longer than a restart)",
            )
        )
    return out
