from __future__ import annotations

import promql_parser
import pytest

from paladin_obs.diagnostics import Location
from paladin_obs.lint import FileRules, LintContext, alerts_comparison
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
        # Constant heartbeats (kube-prometheus's Watchdog): no selector at all.
        ("vector(1)", False),
        ("1", False),
        ("(vector(1))", False),
        ("vector(1) > 0", False),
        ("vector(time())", False),
        ("-1", False),
        # Presence by matcher: a state label's matcher is the condition.
        ("ceph_nvmeof_subsystem_metadata{allow_any_host=\"yes\"}", False),
        ("ALERTS{alertname=\"X\", alertstate=\"firing\"}", False),
        ("(kube_node_info{kernel_version=~\"4\\\\..*\"})", False),
        ("max by (cluster) (ceph_osd_metadata{ceph_version!~\"18.*\", job=\"ceph\"})", False),
        ("group(foo_info{state=\"broken\"}) by (instance)", False),
        ("kube_node_spec_unschedulable != 0", False),  # a comparison already
        # ...but scope matchers, value-computing functions and catch-all regexes are no condition.
        ("up{job=\"x\"}", True),
        ("up{job=\"x\", instance=~\"a.*\"}", True),
        ("foo{state=~\".*\"}", True),
        ("rate(errors_total{code=\"500\"}[5m])", True),
        ("sum(rate(errors_total{code=\"500\"}[5m]))", True),
        ("topk(1, foo{state=\"x\"})", True),
        ("foo{state=\"x\"} * 2", True),
        ("vector(1) + up", True),
        ("up", True),
    ],
)
def test_alerts_need_a_comparison(expr: str, flagged: bool) -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "A", True, expr, {}, {}, None, "g")
    asts = {rule.path: promql_parser.parse(expr)}
    found = alerts_comparison.check(LintContext([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1), asts)]))
    assert bool(found) == flagged


def test_recording_rules_are_exempt() -> None:
    rule = RuleRef(("groups", 0, "rules", 0), "a:b:c", False, "rate(x[5m])", {}, {}, None, "g")
    asts = {rule.path: promql_parser.parse(rule.expr)}
    assert alerts_comparison.check(LintContext([FileRules("f.yaml", [rule], lambda p, k: Location("f.yaml", 1, 1), asts)])) == []
