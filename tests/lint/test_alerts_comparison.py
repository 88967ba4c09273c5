from __future__ import annotations

import promql_parser
import pytest

from paladin_obs.diagnostics import Location
from paladin_obs.lint import FileRules, alerts_comparison
from paladin_obs.validate.rulefile import RuleRef


@pytest.mark.parametrize(
    ("expr", "flagged"),
    [
        ("up == 0", False),
        ("rate(errors[5m]) > 0.1", False),
        ("absent(up{job=\"x\"})", False),
        ("up{job!=\"x\"} unless on() vector(1)", False),
        ("rate(errors[5m])", True),
        ("up{job=\"a>b\"}", True),  # a comparison inside a string is not a comparison
        ("sum by (job) (up{job!=\"x\"})", True),
        ("up > bool 0", True),  # bool turns the comparison into a value: nothing is filtered
        ("(up > bool 0) == 1", False),
    ],
)
def test_alerts_need_a_comparison(expr: str, flagged: bool) -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "A", True, expr, {}, {}, None, "g")
    asts = {rule.path: promql_parser.parse(expr)}
    found = alerts_comparison.check([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1), asts)])
    assert bool(found) == flagged


def test_recording_rules_are_exempt() -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "a:b:c", False, "rate(x[5m])", {}, {}, None, "g")
    asts = {rule.path: promql_parser.parse(rule.expr)}
    assert alerts_comparison.check([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1), asts)]) == []
