"""alerts/for: an alert on series with no ``for`` (or ``for: 0s``) pages on a single evaluation.

Why: without ``for``, the alert fires the first time the expression returns a
series. One bad scrape, a counter reset, a deploy's restart or one slow
evaluation is enough to page, and the alert resolves a minute later: noise
that teaches people to ignore the pager. ``for`` makes the condition hold for
several evaluations first.

Not flagged: multi-window alerts (an ``and`` of two comparisons over
different windows, e.g. Sloth's and the SRE workbook's burn-rate alerts: the
long window already requires the condition to last, the short one ends the
alert quickly, and adding ``for`` only delays the page), constant heartbeats (no selector at all, e.g. ``vector(1)``,
kube-prometheus's Watchdog: firing always is the point), and alerts on
``absent()``/``absent_over_time()`` (``alerts/absent-for`` covers those).

Bad:  ``expr: rate(http_requests_total{code=~"5.."}[5m]) > 1`` with no ``for``
Good: the same with ``for: 10m``

Fix: add a ``for`` of a few evaluations, e.g. twice the expression's largest
range, or 5m. Suppress (when one evaluation must page, e.g. an event already
debounced upstream): ``# paladin-obs disable alerts/for: reason`` on the rule,
or ``suppress: {alerts/for: reason}`` on the spec's alert.
"""

from __future__ import annotations

import re

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.lint import LintContext
from paladin_obs.lint.query import COMPARISONS, nodes, range_seconds, selector_name

ID = "alerts/for"
#: Noise, not breakage: the alert works, it just pages too easily.
SEVERITY: Severity = "warning"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True
_ABSENT = frozenset({"absent", "absent_over_time"})
_DEFAULT_FOR = 300.0
#: Beyond this, twice the largest range is no sensible pending period (SLO windows of hours).
_MAX_SUGGESTED = 1800.0
#: A recorded series' window, by the level:metric:operations convention (``...:ratio_rate5m``).
_RECORDED_WINDOW = re.compile(r":.*?([0-9]+(?:ms|[smhdwy]))$")


def _window(expr: pp.Expr) -> float:
    """The largest window an expression looks at: its ranges, or its recorded series' names."""
    largest = 0.0
    for node in nodes(expr):
        if isinstance(node, pp.MatrixSelector | pp.SubqueryExpr):
            largest = max(largest, range_seconds(node))
        elif isinstance(node, pp.VectorSelector) and (name := selector_name(node)):
            match = _RECORDED_WINDOW.search(name)
            if match is not None:
                largest = max(largest, parse_duration(match.group(1)).seconds)
    return largest


def _compares(expr: pp.Expr) -> bool:
    return any(
        isinstance(n, pp.BinaryExpr)
        and str(n.op) in COMPARISONS
        and (n.modifier is None or not n.modifier.return_bool)
        for n in nodes(expr)
    )


def _multi_window(expr: pp.Expr) -> bool:
    """An ``and`` of two conditions over different windows (a burn-rate alert)."""
    for node in nodes(expr):
        if (
            isinstance(node, pp.BinaryExpr)
            and str(node.op).lower() == "and"
            and _compares(node.lhs)
            and _compares(node.rhs)
        ):
            short, long = sorted((_window(node.lhs), _window(node.rhs)))
            if 0 < short < long:
                return True
    return False


def _zero_for(text: str | None) -> bool | None:
    """True when ``for`` is missing or zero, False when set, None when unreadable."""
    if text is None:
        return True
    try:
        return parse_duration(text.strip()).millis == 0
    except ValueError:
        return None


def _suggestion(largest: float) -> str:
    twice = 2 * largest
    if largest and _DEFAULT_FOR <= twice <= _MAX_SUGGESTED:
        return f"`for: {Duration(int(twice * 1000))}` (twice its largest range)"
    return f"`for: {Duration(int(_DEFAULT_FOR * 1000))}`"


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.alerts():
        unset = _zero_for(rule.for_)
        if not unset:
            continue
        series = False
        largest = 0.0
        for node in nodes(ast):
            if isinstance(node, pp.Call) and node.func.name in _ABSENT:
                break
            if isinstance(node, pp.VectorSelector | pp.MatrixSelector):
                series = True
            if isinstance(node, pp.MatrixSelector | pp.SubqueryExpr):
                largest = max(largest, range_seconds(node))
        else:
            if not series or _multi_window(ast):
                continue  # a constant heartbeat, or debounced by its long window
            what = "has no `for`" if rule.for_ is None else f"has `for: {rule.for_}`"
            path = rule.path if rule.for_ is None else (*rule.path, "for")
            out.append(
                f.at(
                    path,
                    f"alert {rule.name!r} {what}: one bad scrape or evaluation pages and resolves "
                    f"at once; add {_suggestion(largest)}",
                )
            )
    return out
