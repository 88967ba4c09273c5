"""alerts/name: CamelCase alert names of at most 40 characters."""

from __future__ import annotations

import pytest
from tests.lint.harness import ids_lines, lint_text

from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, loki_rules

ID = "alerts/name"


def alert(name: str) -> str:
    return f"""\
groups:
- name: g
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
  - alert: {name}
    expr: up == 0
    for: 5m
"""


@pytest.mark.parametrize(
    ("name", "findings"),
    [
        ("CheckoutDown", 0),
        ("KubeAPIDown", 0),
        ("HighCPU", 0),  # a trailing acronym is CamelCase (mixtool's regex disagrees)
        ("PostgresHighConnections2", 0),
        ("X", 0),
        ("A" + "b" * 39, 0),  # exactly 40
        ("A" + "b" * 40, 1),  # 41
        ("CheckoutPostgresPrimaryReplicationLagIsTooHigh", 1),
        ("checkoutDown", 1),
        ("checkout_down", 1),
        ("Checkout_Down", 1),
        ("Checkout-Down", 1),
        ("'Checkout Down'", 1),
        ("Checkout.Down", 1),
        ("'1CheckoutDown'", 1),
        ("HIGH_ERROR_RATE", 1),
        ("checkout_postgres_primary_replication_lag_high", 2),  # both problems
    ],
)
def test_names(name: str, findings: int) -> None:
    found = lint_text(alert(name), [ID])
    assert ids_lines(found) == [(ID, 6)] * findings


def test_recording_rules_are_not_alerts() -> None:
    text = """\
groups:
- name: g
  rules:
  - record: job:http_requests:rate5m
    expr: sum by (job) (rate(http_requests_total[5m]))
"""
    assert lint_text(text, [ID]) == []


def test_messages() -> None:
    (camel,) = lint_text(alert("checkout_down"), [ID])
    assert camel.severity == "warning"
    assert camel.message == (
        "alert 'checkout_down' is not CamelCase: start with an uppercase letter and use letters "
        "and digits only (no '_', '-' or spaces); rename it such as 'CheckoutDown'"
    )
    (long,) = lint_text(alert("A" + "b" * 44), [ID])
    assert "is 45 characters long (at most 40)" in long.message


def test_loki_rule_files() -> None:
    text = """\
groups:
- name: logs
  rules:
  - alert: checkout-error-logs
    expr: sum(rate({job="checkout"} |= "error" [5m])) > 1
    for: 5m
"""
    doc = load_text(text, "loki.yaml", text_scalars=True, first_document=True)
    source = Source("loki.yaml", doc.data, lambda p, k: doc.where(p, key=k))
    checked = loki_rules.check([source], Settings())
    assert checked.errors == []
    assert ids_lines([d for d in checked.findings if d.check == ID]) == [(ID, 4)]
