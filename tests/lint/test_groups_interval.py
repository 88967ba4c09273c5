"""groups/interval: groups evaluated less often than the 5m lookback."""

from __future__ import annotations

import pytest
from tests.lint.harness import ids_lines, lint_text

from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, loki_rules

ID = "groups/interval"


def group(interval: str | None) -> str:
    line = f"  interval: {interval}\n" if interval is not None else ""
    return f"""\
groups:
- name: checkout-records
{line}  rules:
  - record: job:http_requests:rate5m
    expr: sum by (job) (rate(http_requests_total[5m]))
"""


@pytest.mark.parametrize(
    ("interval", "flagged"),
    [
        ("10m", True),
        ("5m1s", True),
        ("301s", True),
        ("1h", True),
        ("1d", True),
        ("5m", False),  # exactly the lookback: still seen
        ("300s", False),
        ("4m59s", False),
        ("1m", False),
        ("30s", False),
        ("0s", False),
        (None, False),  # the global evaluation_interval
    ],
)
def test_intervals(interval: str | None, flagged: bool) -> None:
    found = lint_text(group(interval), [ID])
    assert ids_lines(found) == ([(ID, 3)] if flagged else [])


def test_invalid_durations_are_validity_errors_only() -> None:
    found = lint_text(group("10 minutes"))
    assert [d.check for d in found if d.check == ID] == []
    assert any("interval" in d.message and d.check == "" for d in found)


def test_message_and_each_group() -> None:
    text = """\
groups:
- name: fast
  interval: 1m
  rules:
  - record: a:b:c
    expr: sum(up)
- name: slow
  interval: 15m
  rules:
  - record: d:e:f
    expr: sum(up)
"""
    (found,) = lint_text(text, [ID])
    assert (found.location.line, found.severity) == (8, "warning")
    assert found.message.startswith(
        "group 'slow' is evaluated every 15m, less often than the 5m lookback"
    )


def test_loki_rule_files() -> None:
    text = """\
groups:
- name: logs
  interval: 10m
  rules:
  - alert: CheckoutErrorLogs
    expr: sum(rate({job="checkout"} |= "error" [5m])) > 1
    for: 5m
"""
    doc = load_text(text, "loki.yaml", text_scalars=True, first_document=True)
    source = Source("loki.yaml", doc.data, lambda p, k: doc.where(p, key=k))
    checked = loki_rules.check([source], Settings())
    assert checked.errors == []
    assert ids_lines([d for d in checked.findings if d.check == ID]) == [(ID, 3)]
