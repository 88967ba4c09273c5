from __future__ import annotations

import pytest
from tests.lint import harness

ID = "promql/histogram-quantile-le"
B = "http_request_duration_seconds_bucket"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:latency:p99"
    quoted = expr.replace("'", "''")
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: '{quoted}'\n"


CASES = [
    (f"histogram_quantile(0.99, sum(rate({B}[5m]))) > 1", True, True),
    (f"histogram_quantile(0.99, sum by (handler) (rate({B}[5m])))", False, True),
    (f"histogram_quantile(0.99, sum without (le) (rate({B}[5m])))", False, True),
    (f"histogram_quantile(0.99, sum without (instance, le) (rate({B}[5m])))", False, True),
    (f"histogram_quantile(0.99, sum by () (rate({B}[5m])))", False, True),
    (f"histogram_quantile(0.99, max by (job) (rate({B}[5m])))", False, True),
    (f'histogram_quantile(0.99, count_values("v", rate({B}[5m])))', False, True),
    (
        f"histogram_quantile(0.99, sum by (le) (sum by (job) (rate({B}[5m]))))",
        False,
        True,
    ),  # gone below
    (f"histogram_quantile(0.99, (sum(rate({B}[5m]))))", False, True),
    (f'histogram_quantile(0.99, sum(rate({{__name__="{B}"}}[5m])))', False, True),
    (f"histogram_quantile(0.99, sum(rate({B}[5m])) / 2)", False, True),
    (
        "histogram_quantile(0.99, sum(rate(job:http_request_duration_seconds_bucket[5m])))",
        False,
        True,
    ),
    # Near misses: le kept, series-selecting aggregations, native histograms, unknown names.
    (f"histogram_quantile(0.99, sum by (le) (rate({B}[5m])))", False, False),
    (f"histogram_quantile(0.99, sum by (handler, le) (rate({B}[5m]))) > 1", True, False),
    (f"histogram_quantile(0.99, sum without (instance) (rate({B}[5m])))", False, False),
    (f"histogram_quantile(0.99, sum without () (rate({B}[5m])))", False, False),
    (f"histogram_quantile(0.99, rate({B}[5m]))", False, False),
    (f"histogram_quantile(0.99, topk(5, rate({B}[5m])))", False, False),
    (f"histogram_quantile(0.99, max by (le) (rate({B}[5m])))", False, False),
    (
        "histogram_quantile(0.99, sum(rate(http_request_duration_seconds[5m])))",
        False,
        False,
    ),  # native
    (
        "histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds[5m])))",
        False,
        False,
    ),
    (
        "histogram_quantile(0.99, sum(job:http_request_duration_seconds_bucket:rate5m))",
        False,
        False,
    ),
    (f"sum(rate({B}[5m])) > 1", True, False),  # no histogram_quantile
    (f"sum(histogram_quantile(0.99, sum by (le, job) (rate({B}[5m])))) > 1", True, False),
]


@pytest.mark.parametrize(("expr", "alert", "flagged"), CASES)
def test_histogram_quantile_le(expr: str, alert: bool, flagged: bool) -> None:
    for spec in (None, harness.SPEC):  # no catalog needed
        found = harness.lint_text(rules(expr, alert), only=[ID], spec=spec)
        assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_message_says_which_aggregation_drops_le() -> None:
    (found,) = harness.lint_text(
        rules(f"histogram_quantile(0.99, sum by (handler) (rate({B}[5m]))) > 1"), only=[ID]
    )
    assert found.severity == "error"
    assert (
        f"alert 'A': histogram_quantile() over {B}, but sum by (handler) drops the le label"
        in found.message
    )
    assert "sum by (..., le)" in found.message
    (plain,) = harness.lint_text(rules(f"histogram_quantile(0.99, sum(rate({B}[5m])))"), only=[ID])
    assert "sum(...) without by (le) drops" in plain.message


def test_finding_is_on_the_rule_that_has_it() -> None:
    text = f"""\
    groups:
    - name: g
      rules:
      - record: job:p99
        expr: histogram_quantile(0.99, sum by (job, le) (rate({B}[5m])))
      - alert: SlowRequests
        expr: |
          histogram_quantile(0.99,
            sum by (job) (rate({B}[5m]))
          ) > 1
        for: 10m
    """
    found = harness.lint_text(text, only=[ID])
    assert harness.ids_lines(found) == [(ID, 7)]
