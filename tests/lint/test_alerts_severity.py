"""alerts/severity: a severity label of critical, warning or info on every alert."""

from __future__ import annotations

import pytest
from tests.lint.harness import ids_lines, lint_text

from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, loki_rules

ID = "alerts/severity"


def alert(labels: str) -> str:
    return f"""\
groups:
- name: g
  rules:
  - alert: CheckoutDown
    expr: up == 0
    for: 5m
    labels:
      team: payments
{labels}"""


@pytest.mark.parametrize(
    ("labels", "line"),
    [
        ("      severity: critical\n", None),
        ("      severity: warning\n", None),
        ("      severity: info\n", None),
        ("      severity: none\n", None),  # kube-prometheus's Watchdog: routed nowhere
        ('      severity: "{{ if gt $value 10.0 }}critical{{ else }}warning{{ end }}"\n', None),
        ("      severity: '{{ $labels.severity }}'\n", None),
        ("", 4),  # missing: at the rule
        ("      sev: critical\n", 4),
        ("      severity: page\n", 9),
        ("      severity: Critical\n", 9),
        ("      severity: critical \n", None),  # YAML drops the trailing space
        ("      severity: 'critical '\n", 9),
        ("      severity: error\n", 9),
        ("      severity: high\n", 9),
        ("      severity: ''\n", 9),
        ("      severity: '{ critical }'\n", 9),
    ],
)
def test_severities(labels: str, line: int | None) -> None:
    found = lint_text(alert(labels), [ID])
    assert ids_lines(found) == ([] if line is None else [(ID, line)])


def test_no_labels_at_all() -> None:
    text = """\
groups:
- name: g
  rules:
  - alert: CheckoutDown
    expr: up == 0
    for: 5m
"""
    (found,) = lint_text(text, [ID])
    assert (found.location.line, found.severity) == (4, "warning")
    assert found.message.startswith("alert 'CheckoutDown' has no 'severity' label")


def test_recording_rules_are_exempt() -> None:
    text = """\
groups:
- name: g
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
    labels:
      severity: page
"""
    assert lint_text(text, [ID]) == []


def test_message_suggests_the_lowercase_value() -> None:
    (found,) = lint_text(alert("      severity: Critical\n"), [ID])
    assert "(write 'critical')" in found.message


def test_loki_rule_files() -> None:
    text = """\
groups:
- name: logs
  rules:
  - alert: CheckoutErrorLogs
    expr: sum(rate({job="checkout"} |= "error" [5m])) > 1
    for: 5m
    labels:
      severity: page
"""
    doc = load_text(text, "loki.yaml", text_scalars=True, first_document=True)
    source = Source("loki.yaml", doc.data, lambda p, k: doc.where(p, key=k))
    checked = loki_rules.check([source], Settings())
    assert checked.errors == []
    assert ids_lines([d for d in checked.findings if d.check == ID]) == [(ID, 8)]
