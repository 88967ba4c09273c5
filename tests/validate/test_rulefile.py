"""Rule-file shape: table-driven, and each case's verdict checked against promtool."""

from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.loader import load_text
from paladin_obs.validate.rulefile import check_shape

OK_ALERT = "  - alert: A\n    expr: up == 0\n"

CASES: list[tuple[str, str, str | None]] = [
    # (name, file text, expected message fragment or None when valid)
    ("empty file", "", None),
    ("no groups", "groups: []\n", None),
    ("valid", f"groups:\n- name: g\n  interval: 1m\n  limit: 10\n  rules:\n{OK_ALERT}", None),
    ("record with labels", "groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: up\n    labels: {x: y}\n", None),
    ("unknown top key", "groupz: []\n", "unknown field 'groupz' in rule file"),
    ("unknown group key", f"groups:\n- name: g\n  intervl: 1m\n  rules:\n{OK_ALERT}", "unknown field 'intervl' in group"),
    ("unknown rule key", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    severity: x\n", "unknown field 'severity' in rule"),
    ("empty group name", f"groups:\n- name: ''\n  rules:\n{OK_ALERT}", "group name must not be empty"),
    ("repeated group", f"groups:\n- name: g\n  rules:\n{OK_ALERT}- name: g\n  rules:\n{OK_ALERT}", "group name 'g' is repeated"),
    ("bad interval", f"groups:\n- name: g\n  interval: 1 minute\n  rules:\n{OK_ALERT}", "invalid duration"),
    ("bad limit", f"groups:\n- name: g\n  limit: many\n  rules:\n{OK_ALERT}", "limit must be a whole number"),
    ("both record and alert", "groups:\n- name: g\n  rules:\n  - alert: A\n    record: b\n    expr: up\n", "only one of 'record' and 'alert'"),
    ("neither", "groups:\n- name: g\n  rules:\n  - expr: up\n", "one of 'record' or 'alert' must be set"),
    ("no expr", "groups:\n- name: g\n  rules:\n  - alert: A\n", "field 'expr' must be set"),
    ("bad record name", "groups:\n- name: g\n  rules:\n  - record: 'a-b'\n    expr: up\n", "invalid recording rule name"),
    ("for on record", "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    for: 5m\n", "invalid field 'for' in recording rule"),
    ("annotations on record", "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    annotations: {a: b}\n", "invalid field 'annotations'"),
    ("bad for", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for: 5 min\n", "invalid duration"),
    ("bad label name", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {a-b: x}\n", "invalid label name: 'a-b'"),
    ("bad annotation name", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations: {a-b: x}\n", "invalid annotation name"),
    ("rules not a list", "groups:\n- name: g\n  rules: {}\n", "'rules' must be a list"),
    ("groups not a list", "groups: {}\n", "'groups' must be a list"),
    ("label value not text", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {a: [1]}\n", "must be text"),
    ("__name__ label", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {__name__: x}\n", "invalid label name: '__name__'"),
    ("null group", "groups: [ ~ ]\n", None),
    ("merge key", "groups:\n- name: g\n  rules:\n  - <<: {expr: up == 0}\n    alert: A\n", None),
    ("keep_firing_for", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    keep_firing_for: 5m\n", None),
]


def shape(text: str) -> list[str]:
    doc = load_text(text, "r.yaml", text_scalars=True)
    errors, _ = check_shape(doc.data, lambda p, k: doc.where(p, key=k), (2, 42))
    return [e.render() for e in errors]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shape(name: str, text: str, expected: str | None) -> None:
    found = shape(text)
    if expected is None:
        assert found == []
    else:
        assert any(expected in m for m in found), found


def test_errors_are_located() -> None:
    (message,) = shape("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    severity: x\n")
    assert message.startswith("r.yaml:6:5: unknown field 'severity' in rule")


def test_keep_firing_for_arrived_in_2_42() -> None:
    text = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    keep_firing_for: 5m\n"
    doc = load_text(text, "r.yaml", text_scalars=True)
    locate = lambda p, k: doc.where(p, key=k)  # noqa: E731
    assert check_shape(doc.data, locate, (2, 42))[0] == []
    assert "unknown field 'keep_firing_for'" in check_shape(doc.data, locate, (2, 41))[0][0].message


def test_query_offset_arrived_in_2_53() -> None:
    text = f"groups:\n- name: g\n  query_offset: 1m\n  rules:\n{OK_ALERT}"
    doc = load_text(text, "r.yaml", text_scalars=True)
    locate = lambda p, k: doc.where(p, key=k)  # noqa: E731
    assert check_shape(doc.data, locate, (2, 53))[0] == []
    assert check_shape(doc.data, locate, (2, 42))[0] != []


def test_promtool_agrees_on_every_case(tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    files = []
    for i, (_, text, _) in enumerate(CASES):
        path = tmp_path / f"case{i:02d}.yaml"
        path.write_text(text)
        files.append(path)
    disagreements = []
    for path, (name, _, expected) in zip(files, CASES, strict=True):
        result = run_promtool("check", "rules", path)
        if (result.returncode == 0) != (expected is None):
            disagreements.append(f"{name}: promtool exit {result.returncode}: {result.stdout}{result.stderr}")
    assert disagreements == []
