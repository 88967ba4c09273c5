"""promql/range-too-short: ranges under rate-like functions against 4x the scrape interval."""

from __future__ import annotations

import pytest
from tests.lint.harness import ids_lines, lint_text

ID = "promql/range-too-short"


def rules(expr: str, kind: str = "record: job:x:rate") -> str:
    return f"""\
groups:
- name: g
  rules:
  - {kind}
    expr: {expr}
"""


@pytest.mark.parametrize(
    ("expr", "scrape", "flagged"),
    [
        # Default scrape interval 60s: the minimum is 4m.
        ("rate(http_requests_total[1m])", 60.0, True),
        ("rate(http_requests_total[3m59s])", 60.0, True),
        ("rate(http_requests_total[4m])", 60.0, False),  # exactly 4x: enough
        ("rate(http_requests_total[5m])", 60.0, False),
        ("irate(http_requests_total[2m])", 60.0, True),
        ("increase(http_requests_total[3m])", 60.0, True),
        ("delta(queue_depth[1m])", 60.0, True),
        ("idelta(queue_depth[1m])", 60.0, True),
        ("deriv(queue_depth[2m])", 60.0, True),
        ("changes(process_start_time_seconds[1m])", 60.0, True),
        ("resets(http_requests_total[1m])", 60.0, True),
        ("predict_linear(queue_depth[2m], 3600)", 60.0, True),
        ("predict_linear(queue_depth[1h], 3600)", 60.0, False),
        ("sum by (code) (rate(http_requests_total[2m]))", 60.0, True),
        ("rate((http_requests_total[1m]))", 60.0, True),
        ("rate(http_requests_total[1m] offset 1h)", 60.0, True),
        # Not a rate-like function: *_over_time reads any number of samples.
        ("max_over_time(queue_depth[1m])", 60.0, False),
        ("avg_over_time(queue_depth[30s])", 60.0, False),
        # Subqueries: their own range is not checked, their inner selectors are.
        ("max_over_time(rate(http_requests_total[5m])[2m:30s])", 60.0, False),
        ("rate(sum(http_requests_total)[2m:15s])", 60.0, False),
        ("max_over_time(rate(http_requests_total[1m])[1h:1m])", 60.0, True),
        # Scrape interval 15s: the minimum is 1m.
        ("rate(http_requests_total[1m])", 15.0, False),
        ("rate(http_requests_total[59s])", 15.0, True),
        ("rate(http_requests_total[45s])", 15.0, True),
        ("irate(http_requests_total[30s])", 15.0, True),
        ("deriv(queue_depth[2m])", 15.0, False),
    ],
)
def test_ranges(expr: str, scrape: float, flagged: bool) -> None:
    found = lint_text(rules(expr), [ID], scrape_interval=scrape)
    assert ids_lines(found) == ([(ID, 5)] if flagged else [])


def test_alerts_too_and_the_message() -> None:
    text = """\
groups:
- name: g
  rules:
  - alert: CheckoutErrors
    expr: |
      rate(http_requests_total{code=~"5.."}[1m]) > 1
    for: 5m
"""
    (found,) = lint_text(text, [ID], scrape_interval=30.0)
    assert (found.check, found.location.line, found.severity) == (ID, 5, "warning")
    assert found.message == (
        "alert 'CheckoutErrors': rate() over [1m] is shorter than 4x the scrape interval 30s: "
        "one missed scrape leaves it without a result; use a range of at least [2m]"
    )


def test_one_finding_per_function_and_range() -> None:
    expr = "rate(a_total[1m]) / rate(b_total[1m]) + irate(c_total[30s])"
    assert ids_lines(lint_text(rules(expr), [ID])) == [(ID, 5), (ID, 5)]


def test_unparsed_rules_are_skipped() -> None:
    # Invalid PromQL is a validity error, not a lint finding.
    assert lint_text(rules("rate(x[1m]"), [ID]) == []


def test_nothing_without_a_known_scrape_interval() -> None:
    """A rule file checked without a spec or --scrape-interval: no guess, no finding."""
    assert ids_lines(lint_text(rules("rate(http_requests_total[1m])"), [ID])) == [(ID, 5)]
    assert lint_text(rules("rate(http_requests_total[1m])"), [ID], scrape_interval=None) == []
