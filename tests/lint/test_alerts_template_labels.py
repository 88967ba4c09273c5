from __future__ import annotations

import json

import pytest
from tests.lint.harness import ids_lines, lint_text

ID = "alerts/template-labels"


def rules(expr: str, description: str, label: str = "warning") -> str:
    # Line 9: the severity label; line 11: the description annotation.
    return (
        "groups:\n- name: g\n  rules:\n  - alert: A\n"
        f"    expr: {json.dumps(expr)}\n    for: 5m\n"
        f"    labels:\n      team: checkout\n      severity: {json.dumps(label)}\n"
        f"    annotations:\n      description: {json.dumps(description)}\n"
    )


@pytest.mark.parametrize(
    ("expr", "description", "expected"),
    [
        # Aggregated away.
        ("sum by (job) (rate(errors_total[5m])) > 1", "{{ $labels.instance }}", [(ID, 11)]),
        ("sum(rate(errors_total[5m])) > 1", "{{ $labels.job }}", [(ID, 11)]),
        (
            "sum without (instance) (rate(errors_total[5m])) > 1",
            "{{ .Labels.instance }}",
            [(ID, 11)],
        ),
        ("max(x) by (job) > 1", '{{ index $labels "instance" }}', [(ID, 11)]),
        (
            "histogram_quantile(0.9, sum by (le, job) (rate(h_bucket[5m]))) > 1",
            "{{ $labels.le }}",
            [(ID, 11)],
        ),
        ("count(up == 0) > 2", "on {{ $labels.instance }}", [(ID, 11)]),
        # Matched away: one-to-one on (...) keeps only the listed labels.
        ("a / on (job) b > 1", "{{ $labels.instance }}", [(ID, 11)]),
        ("a / ignoring (code) b > 1", "{{ $labels.code }}", [(ID, 11)]),
        ("a * on (job) group_left (team) sum by (job) (b) > 1", "{{ $labels.team }}", [(ID, 11)]),
        # Never there: vector(), absent()'s labels are its equality matchers.
        ("vector(1)", "{{ $labels.instance }}", [(ID, 11)]),
        ("absent(up{job='checkout', instance=~'.+'})", "{{ $labels.instance }}", [(ID, 11)]),
        # The rule's own labels are not visible to templates (Prometheus expands with the series' labels).
        ("sum(up) < 1", "team {{ $labels.team }}", [(ID, 11)]),
        # Labels are templates too.
        ("sum(up) < 1", "x", [(ID, 9)]),
        # Near-misses.
        ("sum by (job, instance) (rate(errors_total[5m])) > 1", "{{ $labels.instance }}", []),
        ("rate(errors_total[5m]) > 1", "{{ $labels.anything }}", []),
        ("sum without (code) (rate(errors_total[5m])) > 1", "{{ $labels.instance }}", []),
        ("a / ignoring (code) b > 1", "{{ $labels.instance }}", []),
        ("a * on (job) group_left (team) b > 1", "{{ $labels.team }} {{ $labels.instance }}", []),
        ("a * on (job) group_right (team) b > 1", "{{ $labels.instance }}", []),
        ("absent(up{job='checkout'})", "{{ $labels.job }}", []),
        ("label_replace(sum(x), 'instance', 'all', '', '')", "{{ $labels.instance }}", []),
        ("count_values('version', build_info) > 1", "{{ $labels.version }}", []),
        ("topk(3, x) > 1", "{{ $labels.instance }}", []),
        ("sum by (job) (x) > 1 or y > 1", "{{ $labels.instance }}", []),
        ("sum by (job) (x) > 1", "{{ with $labels.instance }} on {{ . }}{{ end }}", []),
        ("sum by (job) (x) > 1", '{{ range query "up" }}{{ .Labels.instance }}{{ end }}', []),
        (
            "sum by (job) (x) > 1",
            "{{ $labels.job }} {{ $externalLabels.cluster }} {{ $value }}",
            [],
        ),
        ("sum by (job) (x) > 1", '{{ "$labels.instance" }}', []),
        ("sum by (job) (x) > 1", "{{ $labels.__name__ }}", []),
    ],
)
def test_alerts_template_labels(
    expr: str, description: str, expected: list[tuple[str, int]]
) -> None:
    label = "{{ $labels.instance }}" if description == "x" else "warning"
    assert ids_lines(lint_text(rules(expr, description, label), only=[ID])) == expected


def test_message_names_label_annotation_and_cause() -> None:
    (found,) = lint_text(rules("sum by (job) (x) > 1", "{{ $labels.instance }}"), only=[ID])
    assert "annotation 'description' uses $labels.instance" in found.message
    assert "`sum by (job) (...)` keeps only job" in found.message
    (found,) = lint_text(rules("sum(up) < 1", "{{ $labels.team }}"), only=[ID])
    assert "the rule's own `labels:` are not visible to templates" in found.message


def test_one_finding_per_reference() -> None:
    found = lint_text(rules("sum(x) > 1", "{{ $labels.a }} {{ $labels.b }}"), only=[ID])
    assert len(found) == 2
