from __future__ import annotations

import pytest
from tests.lint import harness

ID = "promql/deriv-on-counter"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:x:deriv"
    quoted = expr.replace("'", "''")
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: '{quoted}'\n"


@pytest.mark.parametrize(
    ("expr", "alert", "flagged"),
    [
        ("deriv(http_requests_total[10m]) > 1", True, True),
        ('delta(http_requests_total{code=~"5.."}[5m]) > 100', True, True),
        ("sum by (route) (idelta(http_requests_total[2m]))", False, True),
        ("predict_linear(http_requests_total[1h], 3600) > 1e6", True, True),
        # A histogram's and a summary's series are counters too.
        ("delta(http_request_duration_seconds_bucket[5m])", False, True),
        ("deriv(http_request_duration_seconds_count[5m]) < 0", True, True),
        ("delta(rpc_duration_seconds_sum[5m])", False, True),
        ('deriv({__name__="http_requests_total"}[5m]) > 0', True, True),
        ("deriv(http_requests_total[1h:1m]) > 0", True, True),  # a subquery of the bare counter
        # Near misses: gauges, summaries' quantiles, rates of counters, computed or unknown series.
        ("deriv(queue_depth[10m]) > 1", True, False),
        ("predict_linear(queue_depth[1h], 3600) > 1000", True, False),
        ("delta(rpc_duration_seconds[5m])", False, False),
        ("delta(process_start_time_seconds[1h]) > 0", True, False),
        ("rate(http_requests_total[5m]) > 1", True, False),
        ("increase(http_request_duration_seconds_count[1h])", False, False),
        (
            "deriv(rate(http_requests_total[5m])[30m:1m]) > 0",
            True,
            False,
        ),  # slope of a rate: a gauge
        ("deriv(job:http_requests:rate5m[30m]) > 0", True, False),
        ("deriv(unknown_total[5m]) > 0", True, False),
    ],
)
def test_deriv_on_counter(expr: str, alert: bool, flagged: bool) -> None:
    found = harness.lint_text(rules(expr, alert), only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_needs_the_catalog() -> None:
    assert harness.lint_text(rules("deriv(http_requests_total[10m]) > 1"), only=[ID]) == []


def test_message_names_function_series_declaration_and_fix() -> None:
    (found,) = harness.lint_text(
        rules("delta(http_requests_total[5m]) > 1"), only=[ID], spec=harness.SPEC
    )
    assert found.severity == "error"
    assert "alert 'A': delta() over counter http_requests_total (spec.yaml:6:7)" in found.message
    assert "use increase()" in found.message
    (bucket,) = harness.lint_text(
        rules("deriv(http_request_duration_seconds_bucket[5m])", False),
        only=[ID],
        spec=harness.SPEC,
    )
    assert (
        "record 'job:x:deriv': deriv() over http_request_duration_seconds_bucket, "
        "a counter of histogram http_request_duration_seconds (spec.yaml:7:7)"
    ) in bucket.message
    assert "use rate()" in bucket.message


def test_finding_is_on_the_rule_that_has_it() -> None:
    text = """\
    groups:
    - name: g
      rules:
      - record: job:q:deriv
        expr: deriv(queue_depth[5m])
      - record: job:req:deriv
        expr: |
          sum by (route) (
            deriv(http_requests_total[5m])
          )
    """
    found = harness.lint_text(text, only=[ID], spec=harness.SPEC)
    assert harness.ids_lines(found) == [(ID, 7)]  # the expr key of the second rule
