from __future__ import annotations

import pytest
from tests.lint import harness

ID = "promql/rate-on-gauge"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:x:rate5m"
    quoted = expr.replace("'", "''")
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: '{quoted}'\n"


@pytest.mark.parametrize(
    ("expr", "alert", "flagged"),
    [
        # Gauges under counter functions, in alerts and records.
        ("rate(queue_depth[5m]) > 1", True, True),
        ("sum by (queue) (rate(queue_depth[5m]))", False, True),
        ('irate(queue_depth{queue="a"}[1m]) > 0', True, True),
        ("increase(process_start_time_seconds[1h]) > 0", True, True),
        ("resets(queue_depth[1h]) > 3", True, True),
        ('rate({__name__="queue_depth"}[5m]) > 1', True, True),
        ("rate((queue_depth)[5m:1m]) > 1", True, True),  # a subquery of the bare gauge
        ("rate(queue_depth[5m] offset 1h) > 1", True, True),
        # A summary's bare name selects its quantile series: gauges too.
        ("rate(rpc_duration_seconds[5m])", False, True),
        # Near misses: counters, a histogram's and a summary's counters, gauge functions.
        ("rate(http_requests_total[5m]) > 1", True, False),
        ("rate(http_request_duration_seconds_bucket[5m])", False, False),
        ("rate(rpc_duration_seconds_count[5m])", False, False),
        ("increase(rpc_duration_seconds_sum[1h])", False, False),
        ("rate(http_request_duration_seconds[5m])", False, False),  # native histogram: fine
        ("deriv(queue_depth[5m]) > 1", True, False),
        ("delta(queue_depth[5m]) > 1", True, False),
        ("max_over_time(queue_depth[5m]) > 100", True, False),
        ("changes(process_start_time_seconds[1h]) > 1", True, False),
        ("rate(max(queue_depth)[5m:1m]) > 1", True, False),  # computed: type unknown
        ("rate(unknown_metric[5m]) > 1", True, False),
        ("rate(job:queue_depth:max[5m])", False, False),
        ("queue_depth > 100", True, False),
    ],
)
def test_rate_on_gauge(expr: str, alert: bool, flagged: bool) -> None:
    found = harness.lint_text(rules(expr, alert), only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_needs_the_catalog() -> None:
    assert harness.lint_text(rules("rate(queue_depth[5m]) > 1"), only=[ID]) == []


def test_message_names_function_series_declaration_and_fix() -> None:
    (found,) = harness.lint_text(rules("irate(queue_depth[5m]) > 1"), only=[ID], spec=harness.SPEC)
    assert found.severity == "error"
    assert "alert 'A': irate() over gauge queue_depth (spec.yaml:9:7)" in found.message
    assert "deriv()" in found.message and "_over_time()" in found.message
    (summary,) = harness.lint_text(
        rules("rate(rpc_duration_seconds[5m])", False), only=[ID], spec=harness.SPEC
    )
    assert "record 'job:x:rate5m': rate() over summary rpc_duration_seconds" in summary.message
    assert "rpc_duration_seconds_count" in summary.message


def test_one_finding_per_function_and_series_at_each_rule_line() -> None:
    text = """\
    groups:
    - name: g
      rules:
      - record: a:b:c
        expr: rate(http_requests_total[5m])
      - alert: B
        expr: rate(queue_depth[5m]) > 1 or rate(queue_depth[10m]) > 1 or increase(queue_depth[1h]) > 5
        for: 5m
    """
    found = harness.lint_text(text, only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == [(ID, 7), (ID, 7)]


def test_a_name_two_services_declare_with_different_types_is_unknown() -> None:
    from tests.lint.harness import catalog

    spec = """\
version: 1
services:
  a:
    metrics: {b: {type: gauge}}
  c:
    metrics: {b: {type: counter}, d: {type: gauge}}
"""
    known = catalog(spec)
    assert known.series("b") is None
    assert known.series("d") is not None
