from __future__ import annotations

import pytest
from tests.lint import harness

ID = "promql/counter-compared"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:x:y"
    quoted = expr.replace("'", "''")
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: '{quoted}'\n"


@pytest.mark.parametrize(
    ("expr", "flagged"),
    [
        ("http_requests_total > 1000", True),
        ('http_requests_total{code=~"5.."} >= 1', True),
        ("1000 < http_requests_total", True),
        ("(http_requests_total) == 0", True),
        ("sum by (route) (http_requests_total) > 1000", True),
        ("max(http_requests_total) > 1000", True),
        ("topk(3, http_requests_total) > 10", True),
        ("quantile(0.9, http_requests_total) > 10", True),
        ("http_requests_total offset 1h > 10", True),
        ("-http_requests_total < -5", True),
        ("http_requests_total / 60 > 10", True),
        (
            'http_requests_total{code=~"5.."} / ignoring(code) group_left http_requests_total > 0.1',
            True,
        ),
        ("http_requests_total / queue_depth > 10", True),  # a counter over a gauge still grows
        ("http_request_duration_seconds_count > 1e6", True),
        ("rpc_duration_seconds_sum > 100", True),
        ('{__name__="http_requests_total"} > 1000', True),
        ("(http_requests_total and on() up == 1) > 1000", True),
        ("(http_requests_total or queue_depth) > 1000", True),
        ("count(http_requests_total > 1000) > 0", True),  # the inner comparison is raw
        # Near misses: any function call stops the path.
        ("rate(http_requests_total[5m]) > 10", False),
        ("increase(http_requests_total[1h]) > 10", False),
        ("sum(rate(http_requests_total[5m])) / 60 > 10", False),
        ("resets(http_requests_total[1h]) > 3", False),
        ("changes(http_requests_total[1h]) == 0", False),
        ("timestamp(http_requests_total) < time() - 600", False),
        ("absent(http_requests_total) == 1", False),
        ("max_over_time(http_requests_total[1h:1m]) > 10", False),
        ('label_replace(http_requests_total, "x", "$1", "code", "(.*)") > 10', False),
        # Counting aggregations count series, not values.
        ("count(http_requests_total) > 100", False),
        ('count_values("v", http_requests_total) > 1', False),
        ("group(http_requests_total) > 0", False),
        # Gauges, summaries' quantiles, unknown or recorded series.
        ("time() - process_start_time_seconds < 300", False),
        ("queue_depth > 100", False),
        ('rpc_duration_seconds{quantile="0.99"} > 1', False),
        ("unknown_total > 10", False),
        ("job:http_requests:rate5m > 10", False),
        # bool turns the comparison into a value; the gap between two counters does not grow.
        ("http_requests_total > bool 1000", False),
        ("http_requests_total - http_requests_total offset 1h > 1000", False),
        ("http_request_duration_seconds_count - ignoring(code) http_requests_total > 10", False),
        # Set operators take their values from the left.
        ("queue_depth > 100 and on() http_requests_total", False),
        ("(queue_depth unless http_requests_total) > 100", False),
    ],
)
def test_counter_compared(expr: str, flagged: bool) -> None:
    found = harness.lint_text(rules(expr), only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_recording_rules_are_not_checked() -> None:
    assert (
        harness.lint_text(
            rules("http_requests_total > 1000", alert=False), only=[ID], spec=harness.SPEC
        )
        == []
    )


def test_needs_the_catalog() -> None:
    assert harness.lint_text(rules("http_requests_total > 1000"), only=[ID]) == []


def test_message_names_series_declaration_and_fix() -> None:
    (found,) = harness.lint_text(rules("http_requests_total > 1000"), only=[ID], spec=harness.SPEC)
    assert found.severity == "warning"
    assert "alert 'A' compares counter http_requests_total (spec.yaml:6:7) raw" in found.message
    assert "increase(http_requests_total[1h])" in found.message
    (two,) = harness.lint_text(
        rules("http_requests_total / http_request_duration_seconds_count > 2"),
        only=[ID],
        spec=harness.SPEC,
    )
    assert "counters http_requests_total, http_request_duration_seconds_count raw" in two.message


def test_one_finding_per_series_and_rule() -> None:
    text = """\
    groups:
    - name: g
      rules:
      - alert: Fine
        expr: rate(http_requests_total[5m]) > 1
        for: 5m
      - alert: Raw
        expr: http_requests_total > 1000 or http_requests_total < 0
        for: 5m
    """
    found = harness.lint_text(text, only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == [(ID, 8)]
