from __future__ import annotations

import pytest
from tests.lint import harness

ID = "promql/histogram-quantile-rate"
B = "http_request_duration_seconds_bucket"


def rules(expr: str, alert: bool = True) -> str:
    kind = "alert: A" if alert else "record: job:latency:p99"
    quoted = expr.replace("'", "''")
    return f"groups:\n- name: g\n  rules:\n  - {kind}\n    expr: '{quoted}'\n"


CASES = [
    (f"histogram_quantile(0.99, {B}) > 1", True, True),
    (f"histogram_quantile(0.99, sum by (le) ({B}))", False, True),
    (f'histogram_quantile(0.99, sum by (le) ({B}{{handler="/"}})) > 1', True, True),
    (f"histogram_quantile(0.9, sum by (le) (avg_over_time({B}[5m])))", False, True),  # not a rate
    (f"histogram_quantile(0.9, sum by (le) (max_over_time({B}[1h])))", False, True),
    (f"histogram_quantile(0.9, sum by (le) ({B} offset 1h))", False, True),
    (f'histogram_quantile(0.9, {{__name__="{B}"}})', False, True),
    (f"histogram_quantile(0.9, sum by (le) (rate(other_bucket[5m])) or {B})", False, True),
    ("histogram_quantile(0.9, unknown_latency_bucket) > 1", True, True),  # the name says it
    # Near misses: windowed buckets, recorded rates, native histograms, unknown names.
    (f"histogram_quantile(0.99, sum by (le) (rate({B}[5m]))) > 1", True, False),
    (f"histogram_quantile(0.99, sum by (le) (irate({B}[1m])))", False, False),
    (f"histogram_quantile(0.99, sum by (le) (increase({B}[1h])))", False, False),
    ("histogram_quantile(0.99, sum by (le) (delta(gauge_histogram_bucket[5m])))", False, False),
    (
        f'histogram_quantile(0.99, sum by (le) (label_replace(rate({B}[5m]), "a", "b", "c", "d")))',
        False,
        False,
    ),
    (
        f"histogram_quantile(0.99, sum by (le) ({B} - {B} offset 1h))",
        False,
        False,
    ),  # increase by hand
    (
        "histogram_quantile(0.99, sum by (le) (job:http_request_duration_seconds_bucket:rate5m))",
        False,
        False,
    ),
    (
        "histogram_quantile(0.99, sum by (le) (le:http_request_duration_seconds_bucket))",
        False,
        False,
    ),
    (
        "histogram_quantile(0.99, sum(rate(http_request_duration_seconds[5m])))",
        False,
        False,
    ),  # native, rated
    ("histogram_quantile(0.99, some_latency)", False, False),  # unknown: cannot know
    (f"max_over_time({B}[5m]) > 1", True, False),  # no histogram_quantile
]


@pytest.mark.parametrize(("expr", "alert", "flagged"), CASES)
def test_histogram_quantile_rate(expr: str, alert: bool, flagged: bool) -> None:
    for spec in (None, harness.SPEC):  # a name check: no catalog needed
        found = harness.lint_text(rules(expr, alert), only=[ID], spec=spec)
        assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


@pytest.mark.parametrize(
    ("spec_metric", "expr", "flagged"),
    [
        # A native histogram (the catalog's histogram, by its bare name) is cumulative too.
        (None, "histogram_quantile(0.99, sum(http_request_duration_seconds))", True),
        (None, "histogram_quantile(0.99, sum(rate(http_request_duration_seconds[5m])))", False),
        # Buckets the catalog declares as gauges (a gauge histogram) are fine raw.
        (
            "      latency_window_bucket: {type: gauge, labels: [le]}\n",
            "histogram_quantile(0.9, latency_window_bucket)",
            False,
        ),
        (
            "      latency_window_bucket: {type: counter, labels: [le]}\n",
            "histogram_quantile(0.9, latency_window_bucket)",
            True,
        ),
    ],
)
def test_with_the_catalog(spec_metric: str | None, expr: str, flagged: bool) -> None:
    spec = harness.SPEC + (spec_metric or "")
    found = harness.lint_text(rules(expr), only=[ID], spec=spec)
    assert harness.ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_names_recorded_alongside_are_not_known() -> None:
    recorded = "groups:\n- name: r\n  rules:\n  - record: latency_window_bucket\n    expr: sum by (le) (rate(x_bucket[5m]))\n"
    text = rules("histogram_quantile(0.9, latency_window_bucket) > 1")
    assert harness.lint_text(text, only=[ID], files=[recorded]) == []
    assert harness.lint_text(text, only=[ID]) != []


def test_message() -> None:
    (found,) = harness.lint_text(
        rules(f"histogram_quantile(0.99, sum by (le) ({B})) > 1"), only=[ID]
    )
    assert found.severity == "error"
    assert (
        f"alert 'A': histogram_quantile() over the bucket counters {B} without rate()"
        in found.message
    )
    assert "rate(" in found.message


def test_one_finding_per_histogram_quantile() -> None:
    text = f"""\
    groups:
    - name: g
      rules:
      - record: job:p50
        expr: histogram_quantile(0.5, sum by (le) (rate({B}[5m])))
      - record: job:p99_minus_p50
        expr: histogram_quantile(0.99, sum by (le) ({B})) - histogram_quantile(0.5, sum by (le) ({B}))
    """
    found = harness.lint_text(text, only=[ID])
    assert harness.ids_lines(found) == [(ID, 7), (ID, 7)]
