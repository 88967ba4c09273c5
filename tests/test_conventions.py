from __future__ import annotations

from paladin_obs import conventions as conv


def test_layout() -> None:
    assert conv.rule_file("paladin", "production") == "rules/production/paladin.rules.yaml"
    assert conv.rule_file("paladin", "") == "rules/paladin.rules.yaml"
    assert conv.alert_group("paladin") == "paladin-alerts"
    assert conv.alert_group("paladin", "llm") == "paladin-llm-alerts"
    assert conv.record_group("paladin") == "paladin-records"
