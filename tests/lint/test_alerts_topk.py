from __future__ import annotations

import json

import promql_parser
import pytest
from tests.lint.harness import ids_lines, lint_text

from paladin_obs.diagnostics import Location
from paladin_obs.lint import FileRules, LintContext, alerts_topk
from paladin_obs.validate.rulefile import RuleRef

ID = "alerts/topk"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:x:top"
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: {json.dumps(expr)}\n    for: 5m\n"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("topk(3, rate(http_requests_total[5m])) > 1", [(ID, 5)]),
        ("bottomk(1, node_filesystem_avail_bytes) < 1e9", [(ID, 5)]),
        ("sum by (job) (topk by (job) (1, x)) > 0", [(ID, 5)]),
        ("x > 1 and on (instance) topk(5, y)", [(ID, 5)]),
        # Near-misses: max/quantile over every series, a metric or label named topk.
        ("max by (job) (rate(http_requests_total[5m])) > 1", []),
        ("quantile(0.9, x) > 1", []),
        ("topk_requests_total > 1", []),
        ("x{mode='topk'} > 1", []),
    ],
)
def test_alerts_topk(expr: str, expected: list[tuple[str, int]]) -> None:
    assert ids_lines(lint_text(rules(expr), only=[ID])) == expected


def test_records_may_use_topk() -> None:
    assert lint_text(rules("topk(3, x)", alert=False).replace("    for: 5m\n", ""), only=[ID]) == []


def test_message_names_the_operators() -> None:
    (found,) = lint_text(rules("topk(1, x) > 0 or bottomk(1, y) > 0"), only=[ID])
    assert "uses bottomk/topk" in found.message


@pytest.mark.parametrize("expr", ["limitk(2, x) > 0", "limit_ratio(0.5, x) > 0"])
def test_limitk_when_the_target_has_it(expr: str) -> None:
    # Experimental (2.54+): the validator rejects them for the default target, so call the check directly.
    rule = RuleRef(("groups", 0, "rules", 0), "A", True, expr, {}, {}, "5m", "g")
    ctx = LintContext(
        [
            FileRules(
                "f.yaml",
                [rule],
                lambda p, k: Location("f.yaml", 1, 1),
                {rule.path: promql_parser.parse(expr)},
            )
        ]
    )
    assert len(alerts_topk.check(ctx)) == 1
