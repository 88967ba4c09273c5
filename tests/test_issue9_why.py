"""Each mistake of issue #9's "Why", made as a new user would in a spec for a Go HTTP
service with Postgres, Kafka and node_exporter, gets a located, actionable message
from the real CLI (one test per mistake). The template and message mistakes of the
issue are proved elsewhere (promtool unit tests of the templates, test_messages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CliRun

SPEC = """\
version: 1
defaults:
  runbook_url: "https://runbooks.example.com/{alert}"
  dashboards: {enabled: false}
environments:
  production:
    labels: {env: production}
    selector: {env: production}
  staging:
    labels: {env: staging}
    selector: {env: staging}
services:
  checkout:
    selector: {job: checkout}
    metrics:
      http_requests_total: {type: counter, labels: [code, handler, method]}
      http_request_duration_seconds:
        type: histogram
        unit: seconds
        labels: [handler, method]
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
      pg_stat_database_numbackends: {type: gauge, labels: [datname]}
      kafka_consumergroup_lag: {type: gauge, labels: [consumergroup, topic]}
      node_load1: {type: gauge}
    signals:
      requests: http_requests_total
      errors: {metric: http_requests_total, match: {code: ERRORS}}
      latency: http_request_duration_seconds
    alerts:
      CheckoutHighErrorRatio:
        template: error_ratio
        threshold: 0.05
        BY
        for: 5m
        severity: critical
      CheckoutSlow:
        template: latency_quantile
        quantile: 0.99
        threshold: THRESHOLD
        for: 10m
        severity: warning
      CheckoutDown:
        expr: EXPR
        for: 5m
        severity: critical
        summary: A checkout target is down.
        description: "{{ $labels.instance }} is down."
"""

GOOD = {
    "ERRORS": '"=~5.."',
    "BY": "by: [handler]",
    "THRESHOLD": "0.75",
    "EXPR": "'up == 0'",
}


def _write(tmp_path: Path, **changes: str) -> None:
    text = SPEC
    for key, value in {**GOOD, **changes}.items():
        text = text.replace(key, value)
    (tmp_path / "paladin-obs.yaml").write_text(text)


def _generate(run_cli: CliRun, tmp_path: Path) -> tuple[int, str]:
    done = run_cli("generate", cwd=tmp_path)
    return done.returncode, done.stdout + done.stderr


def test_the_spec_without_mistakes_generates(run_cli: CliRun, tmp_path: Path) -> None:
    _write(tmp_path)
    code, out = _generate(run_cli, tmp_path)
    assert code == 0, out
    production = (tmp_path / "rules" / "production" / "checkout.rules.yaml").read_text()
    assert 'up{env="production", job="checkout"} == 0' in production


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        # A raw expr with a selector that reads every environment.
        ({"EXPR": """'up{job="checkout", env=~".+"} == 0'"""}, "paladin-obs.yaml:43:16", "would read other environments' series"),
        # A typo in a raw expression's metric name.
        ({"EXPR": "'upp == 0'"}, "paladin-obs.yaml:43:16", "did you mean 'up'?"),
        # code: "5.." without =~ matches only the text "5..".
        ({"ERRORS": '"5.."'}, "paladin-obs.yaml:27:59", 'write "=~5.." for a regex match'),
        # A latency threshold meant as milliseconds, above the largest bucket.
        ({"THRESHOLD": "750"}, "paladin-obs.yaml:39:20", "was 750 meant as milliseconds"),
        # by: a label the metric does not have.
        ({"BY": "by: [route]"}, "paladin-obs.yaml:33:14", "'route' is not a label of http_requests_total"),
        ({"BY": "by: [handlr]"}, "paladin-obs.yaml:33:14", "did you mean 'handler'?"),
    ],
    ids=["raw-expr-env", "raw-expr-typo", "regex-without-op", "threshold-ms", "by-unknown-label", "by-typo"],
)
def test_each_mistake_is_located_and_refused(
    run_cli: CliRun, tmp_path: Path, change: dict[str, str], where: str, says: str
) -> None:
    _write(tmp_path, **change)
    code, out = _generate(run_cli, tmp_path)
    assert code == 2, out
    line = next((x for x in out.splitlines() if says in x), "")
    assert line.startswith(where), out
    assert not (tmp_path / "rules").exists()
