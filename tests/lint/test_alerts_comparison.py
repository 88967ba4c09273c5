from __future__ import annotations

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
    ],
)
def test_alerts_need_a_comparison(expr: str, flagged: bool) -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "A", True, expr, {}, {}, None, "g")
    found = alerts_comparison.check([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1))])
    assert bool(found) == flagged


def test_recording_rules_are_exempt() -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "a:b:c", False, "rate(x[5m])", {}, {}, None, "g")
    assert alerts_comparison.check([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1))]) == []
