from __future__ import annotations

import json

import pytest
from tests.lint.harness import ids_lines, lint_text

ID = "alerts/for"


def rules(expr: str, for_: str | None) -> str:
    text = f"groups:\n- name: g\n  rules:\n  - alert: A\n    expr: {json.dumps(expr)}\n"
    if for_ is not None:
        text += f"    for: {for_}\n"
    return text + "    labels: {severity: warning}\n"


@pytest.mark.parametrize(
    ("expr", "for_", "expected"),
    [
        # Missing `for`: reported at the rule (line 4); `for: 0...`: at the `for` (line 6).
        ("rate(http_requests_total{code=~'5..'}[5m]) > 1", None, [(ID, 4)]),
        ("up == 0", None, [(ID, 4)]),
        ("up == 0", "0s", [(ID, 6)]),
        ("up == 0", "0m", [(ID, 6)]),
        ("up == 0", "0", [(ID, 6)]),
        ("time() - max by (job) (backup_last_success_timestamp_seconds) > 93600", None, [(ID, 4)]),
        # An `and` of two conditions over the *same* window is no multi-window alert.
        ("rate(a[5m]) > 1 and rate(b[5m]) > 1", None, [(ID, 4)]),
        # Near-misses: set `for`, heartbeats, absent() (alerts/absent-for), multi-window burn rates.
        ("up == 0", "1m", []),
        ("up == 0", "5m", []),
        ("vector(1)", None, []),
        ("vector(time()) > 0", None, []),
        ("absent(up{job='x'})", None, []),
        ("absent_over_time(up{job='x'}[10m])", None, []),
        ("rate(a[5m]) > 1 and rate(a[1h]) > 1", None, []),
        (
            "(max(slo:sli_error:ratio_rate5m{sloth_id='x'} > (14.4 * 0.001)) without (sloth_window)"
            " and max(slo:sli_error:ratio_rate1h{sloth_id='x'} > (14.4 * 0.001)) without (sloth_window))",
            None,
            [],
        ),
    ],
)
def test_alerts_for(expr: str, for_: str | None, expected: list[tuple[str, int]]) -> None:
    assert ids_lines(lint_text(rules(expr, for_), only=[ID])) == expected


def test_message_suggests_twice_the_largest_range() -> None:
    (found,) = lint_text(rules("rate(x[10m]) > 1", None), only=[ID])
    assert "`for: 20m` (twice its largest range)" in found.message
    (found,) = lint_text(rules("rate(x[1h]) > 1", "0s"), only=[ID])
    assert "has `for: 0s`" in found.message and "`for: 5m`" in found.message


def test_recording_rules_are_exempt() -> None:
    text = "groups:\n- name: g\n  rules:\n  - record: job:x:rate5m\n    expr: rate(x[5m])\n"
    assert lint_text(text, only=[ID]) == []
