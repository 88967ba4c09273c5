from __future__ import annotations

from paladin_obs.diagnostics import Location
from paladin_obs.lint import FileRules, LintContext, rules_duplicate
from paladin_obs.validate.rulefile import RuleRef


def rule(name: str, labels: dict[str, str], index: int = 0, expr: str = "up == 0", alert: bool = True) -> RuleRef:
    return RuleRef(("groups", 0, "rules", index), name, alert, expr, labels, {}, None, "g")


def files(*groups: list[RuleRef]) -> LintContext:
    return LintContext([
        FileRules(f"f{i}.yaml", rules, lambda p, k, i=i: Location(f"f{i}.yaml", p[3] + 1 if len(p) > 3 else 1, 1))
        for i, rules in enumerate(groups)
    ])


def test_same_name_and_labels_across_files() -> None:
    found = rules_duplicate.check(files([rule("A", {"s": "x"})], [rule("A", {"s": "x"})]))
    assert [d.render() for d in found] == [
        "f1.yaml:1:1: alert 'A' with the same labels and expression is already defined at f0.yaml:1:1 (at groups[0].rules[0])"
    ]


def test_different_labels_or_names_are_fine() -> None:
    assert rules_duplicate.check(files([rule("A", {"s": "x"}), rule("A", {"s": "y"}, 1), rule("B", {"s": "x"}, 2)])) == []


def test_an_alert_name_over_different_expressions_is_fine() -> None:
    # Sloth's SLO alerts of two services: same name and labels, each its own sloth_id.
    a = rule("SLOBurn", {"sloth_severity": "page"}, expr='max(x{sloth_id="a"} > 1)')
    b = rule("SLOBurn", {"sloth_severity": "page"}, expr='max(x{sloth_id="b"} > 1)')
    assert rules_duplicate.check(files([a], [b])) == []
    # The same expression, spaced differently, still pages twice.
    c = rule("SLOBurn", {"sloth_severity": "page"}, expr='max(x{sloth_id="a"}  >\n 1)')
    assert len(rules_duplicate.check(files([a], [c]))) == 1


def test_records_with_the_same_expression_clash() -> None:
    r1 = rule("job:up:sum", {}, expr="sum(up)", alert=False)
    r2 = rule("job:up:sum", {}, expr=" sum(up)\n", alert=False)
    (found,) = rules_duplicate.check(files([r1], [r2]))
    assert "record 'job:up:sum' with the same labels and expression is already defined" in found.message


def test_one_record_name_over_different_selections_is_fine() -> None:
    # kubernetes-mixin: one record per status class, each keeping `code`.
    rules = [
        rule("code_verb:apiserver_request_total:increase1h", {}, i, f'sum by (code) (increase(x{{code=~"{c}.."}}[1h]))', False)
        for i, c in enumerate("2345")
    ]
    assert rules_duplicate.check(files(rules)) == []
