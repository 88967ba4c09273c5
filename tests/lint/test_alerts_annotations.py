"""alerts/annotations: a static one-sentence summary and a templated description."""

from __future__ import annotations

import pytest
from tests.lint.harness import lint_text

from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, loki_rules

ID = "alerts/annotations"
GOOD_SUMMARY = "      summary: Checkout serves too many errors.\n"
GOOD_DESCRIPTION = "      description: '{{ $value | humanizePercentage }} of requests to {{ $labels.instance }} fail.'\n"


def alert(annotations: str) -> str:
    block = f"    annotations:\n{annotations}" if annotations else ""
    return f"""\
groups:
- name: g
  rules:
  - alert: CheckoutErrors
    expr: rate(http_requests_total{{code=~"5.."}}[5m]) > 1
    for: 5m
    labels:
      severity: critical
{block}"""


def found_at(text: str) -> list[tuple[int, str]]:
    """(line, what the message is about) of every finding."""
    out = []
    for d in lint_text(text, [ID]):
        assert d.check == ID and d.severity == "warning"
        assert d.message.startswith("alert 'CheckoutErrors'")
        about = d.message.removeprefix("alert 'CheckoutErrors'").removeprefix(":").strip()
        out.append((d.location.line, about.split(":", 1)[0]))
    return sorted(out)


@pytest.mark.parametrize(
    ("summary", "problems"),
    [
        ("Checkout serves too many errors.", []),
        ("Checkout serves too many errors. ", []),
        ("'Error ratio of checkout is above 5%.'", []),
        ("http_requests_total has no series for checkout.", []),  # a metric name stays as is
        ("5xx responses of checkout are above 5%.", []),  # no letter to capitalise
        ("'\"Checkout\" is down.'", []),
        ("Checkout serves too many errors", ["does not end with a period"]),
        ("Checkout serves too many errors!", ["does not end with a period"]),
        ("checkout serves too many errors.", ["starts with a lowercase letter"]),
        ("p95 latency of checkout is above 2s.", ["starts with a lowercase letter"]),
        ("checkout is down", ["starts with a lowercase letter", "does not end with a period"]),
        ("'Checkout on {{ $labels.instance }} is down.'", ["uses a template"]),
        (
            "'{{ $labels.job }} is down'",
            ["uses a template", "does not end with a period"],
        ),
        ("''", ["is empty"]),
    ],
)
def test_summaries(summary: str, problems: list[str]) -> None:
    text = alert(f"      summary: {summary}\n" + GOOD_DESCRIPTION)
    assert found_at(text) == sorted((10, f"annotation 'summary' {p}") for p in problems)


@pytest.mark.parametrize(
    ("description", "problems"),
    [
        ("'{{ $value | humanizePercentage }} of requests fail.'", []),
        ("'Instance {{ $labels.instance }} is down.'", []),
        ("'{{$value}} errors per second.'", []),
        ("'{{ with $labels.job }}job {{ . }}{{ end }} is down.'", []),
        ("Checkout serves too many errors.", ["uses no template"]),
        ("'Value is $value on $labels.instance.'", ["uses no template"]),  # no {{ }}: printed as is
        ("'{ $value } errors.'", ["uses no template"]),
        ("'{{}} errors.'", ["uses no template"]),
    ],
)
def test_descriptions(description: str, problems: list[str]) -> None:
    text = alert(GOOD_SUMMARY + f"      description: {description}\n")
    assert found_at(text) == sorted((11, f"annotation 'description' {p}") for p in problems)


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        ("", [(4, "has no 'description' annotation"), (4, "has no 'summary' annotation")]),
        (
            "      runbook_url: https://runbooks.example.com/CheckoutErrors\n",
            [(4, "has no 'description' annotation"), (4, "has no 'summary' annotation")],
        ),
        (GOOD_SUMMARY, [(4, "has no 'description' annotation")]),
        (GOOD_DESCRIPTION, [(4, "has no 'summary' annotation")]),
        (GOOD_SUMMARY + GOOD_DESCRIPTION, []),
        (
            "      Summary: Checkout serves too many errors.\n" + GOOD_DESCRIPTION,
            [(4, "has no 'summary' annotation")],
        ),  # annotation names are case-sensitive
    ],
)
def test_missing_annotations(annotations: str, expected: list[tuple[int, str]]) -> None:
    assert found_at(alert(annotations)) == expected


def test_block_scalars_are_located_and_trimmed() -> None:
    text = alert(
        "      summary: >-\n        Checkout serves\n        too many errors\n"
        "      description: |\n        Errors are high.\n"
    )
    assert found_at(text) == [
        (10, "annotation 'summary' does not end with a period"),
        (13, "annotation 'description' uses no template"),
    ]


def test_recording_rules_are_exempt() -> None:
    text = """\
groups:
- name: g
  rules:
  - record: job:http_requests:rate5m
    expr: sum by (job) (rate(http_requests_total[5m]))
"""
    assert lint_text(text, [ID]) == []


def test_loki_rule_files() -> None:
    text = """\
groups:
- name: logs
  rules:
  - alert: CheckoutErrorLogs
    expr: sum(rate({job="checkout"} |= "error" [5m])) > 1
    for: 5m
    labels:
      severity: critical
    annotations:
      summary: checkout logs errors.
"""
    doc = load_text(text, "loki.yaml", text_scalars=True, first_document=True)
    source = Source("loki.yaml", doc.data, lambda p, k: doc.where(p, key=k))
    checked = loki_rules.check([source], Settings())
    assert checked.errors == []
    assert sorted((d.location.line, d.message) for d in checked.findings if d.check == ID) == [
        (
            4,
            "alert 'CheckoutErrorLogs' has no 'description' annotation: add one saying which "
            "series fired, with {{ $labels.<name> }} and {{ $value }}",
        ),
        (
            10,
            "alert 'CheckoutErrorLogs': annotation 'summary' starts with a lowercase letter: "
            "write it as a sentence, capitalised",
        ),
    ]
