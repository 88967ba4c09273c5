from __future__ import annotations

from paladin_obs.diagnostics import Location
from paladin_obs.lint import FileRules, rules_duplicate
from paladin_obs.validate.rulefile import RuleRef


def rule(name: str, labels: dict[str, str], index: int = 0) -> RuleRef:
    return RuleRef(("groups", 0, "rules", index), name, True, "up == 0", labels, {}, None, "g")


def files(*groups: list[RuleRef]) -> list[FileRules]:
    return [
        FileRules(f"f{i}.yaml", rules, lambda p, k, i=i: Location(f"f{i}.yaml", p[3] + 1 if len(p) > 3 else 1, 1))
        for i, rules in enumerate(groups)
    ]


def test_same_name_and_labels_across_files() -> None:
    found = rules_duplicate.check(files([rule("A", {"s": "x"})], [rule("A", {"s": "x"})]))
    assert [d.render() for d in found] == [
        "f1.yaml:1:1: alert 'A' with the same labels is already defined at f0.yaml:1:1 (at groups[0].rules[0])"
    ]


def test_different_labels_or_names_are_fine() -> None:
    assert rules_duplicate.check(files([rule("A", {"s": "x"}), rule("A", {"s": "y"}, 1), rule("B", {"s": "x"}, 2)])) == []
