from __future__ import annotations

import json

import pytest
from tests.lint.harness import ids_lines, lint_text

ID = "alerts/value-in-label"


def rules(label: str, annotation: str = "x") -> str:
    return (
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 5m\n"
        f"    labels:\n      severity: warning\n      detail: {json.dumps(label)}\n"
        f"    annotations:\n      description: {json.dumps(annotation)}\n"
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("{{ $value }}", [(ID, 9)]),
        ("{{ .Value }}", [(ID, 9)]),
        ("{{ $value | humanize }}", [(ID, 9)]),
        ("{{ humanizePercentage $value }}", [(ID, 9)]),
        ('{{- printf "%.2f" $.Value -}}', [(ID, 9)]),
        ("at {{ $labels.instance }}: {{ $value }}", [(ID, 9)]),
        ("{{ if gt $value 90.0 }}{{ $value }}{{ end }}", [(ID, 9)]),
        # Near-misses: a condition only (a few fixed values), another dot, text, a string.
        ("{{ if gt $value 90.0 }}critical{{ else }}warning{{ end }}", []),
        ('{{ range query "up" }}{{ .Labels.job }}{{ end }}', []),
        ("{{ $labels.instance }}", []),
        ("value", []),
        ('{{ "$value" }}', []),
        ("{{/* $value */}}", []),
    ],
)
def test_alerts_value_in_label(label: str, expected: list[tuple[str, int]]) -> None:
    assert ids_lines(lint_text(rules(label), only=[ID])) == expected


def test_value_in_annotations_is_fine() -> None:
    assert lint_text(rules("x", "Current value: {{ $value | humanize }}."), only=[ID]) == []
