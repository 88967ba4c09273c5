"""Raw ``expr`` alerts and records get the service's and environment's selectors
injected at each selector, exactly as templates get them; unknown metrics and
expressions that would read other environments are located errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import promql_parser
import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.lint.query import selector_name, selectors
from paladin_obs.loader import load_file, load_text
from paladin_obs.resolve import resolve

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
      up: {type: gauge}
      http_requests_total: {type: counter, labels: [code]}
      http_request_duration_seconds: {type: histogram, buckets: [0.1, 1]}
      pg_up: {type: gauge, selector: {job: "postgres\\"exporter"}}
    alerts:
      Raw:
        expr: EXPR
        for: 5m
        severity: critical
        summary: Raw alert.
        description: "{{ $value }}"
GLOBAL
"""


def _alert_expr(
    expr: str, env: str = "production", global_reason: str = "", tmp: Path | None = None
) -> str:
    text = SPEC.replace("EXPR", json.dumps(expr)).replace(
        "GLOBAL", f"        global: {global_reason}" if global_reason else ""
    )
    if tmp is not None:  # on disk, so positions inside the expression can be read back
        (tmp / "spec.yaml").write_text(text)
        models = resolve(load_file(tmp / "spec.yaml"))
    else:
        models = resolve(load_text(text, "spec.yaml"))
    (model,) = [m for m in models if m.environment.name == env]
    (alert,) = model.services[0].alerts
    return alert.expr


@pytest.mark.parametrize(
    ("expr", "scoped"),
    [
        ('up{job="checkout"} == 0', 'up{job="checkout", env="production"} == 0'),
        ("up == 0", 'up{env="production", job="checkout"} == 0'),
        ("up{} == 0", 'up{env="production", job="checkout"} == 0'),
        ('up{instance="a",} == 0', 'up{instance="a",env="production", job="checkout"} == 0'),
        (
            'sum by (code) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
            'sum by (code) (rate(http_requests_total{code=~"5..", env="production", job="checkout"}[5m])) > 1',
        ),
        (
            "sum(rate(http_requests_total[5m] offset 1h)) without (code) > 0",
            'sum(rate(http_requests_total{env="production", job="checkout"}[5m] offset 1h)) without (code) > 0',
        ),
        # A metric's own selector replaces the service's; its value is escaped.
        ("pg_up == 0", 'pg_up{env="production", job="postgres\\"exporter"} == 0'),
        ('{__name__="up"} == 0', '{__name__="up", env="production", job="checkout"} == 0'),
        # Recording rules (colon names) and ALERTS get the environment only.
        ("job:up:sum < 1", 'job:up:sum{env="production"} < 1'),
        (
            'ALERTS{alertname="X"} and on() up == 0',
            'ALERTS{alertname="X", env="production"} and on() up{env="production", job="checkout"} == 0',
        ),
        # Functions, aggregations, keywords and label lists are not selectors.
        (
            "max_over_time(up[10m:1m]) == 0 unless on (instance) absent(up)",
            'max_over_time(up{env="production", job="checkout"}[10m:1m]) == 0 unless on (instance) absent(up{env="production", job="checkout"})',
        ),
        (
            "up * on (instance) group_left (code) http_requests_total > 1",
            'up{env="production", job="checkout"} * on (instance) group_left (code) http_requests_total{env="production", job="checkout"} > 1',
        ),
        ("vector(1)", "vector(1)"),
        # A histogram's series are the histogram's: same selector.
        (
            "rate(http_request_duration_seconds_count[5m]) > 1",
            'rate(http_request_duration_seconds_count{env="production", job="checkout"}[5m]) > 1',
        ),
        ("up > bool 0 == inf", 'up{env="production", job="checkout"} > bool 0 == inf'),
        # The user's own matcher on a label wins.
        ('up{job=~"checkout|cart"} == 0', 'up{job=~"checkout|cart", env="production"} == 0'),
    ],
)
def test_raw_expressions_are_scoped(expr: str, scoped: str) -> None:
    out = _alert_expr(expr)
    assert out == scoped
    for vs in selectors(promql_parser.parse(out)):
        assert ("env", "production") in {(m.name, m.value) for m in vs.matchers.matchers}, (
            selector_name(vs)
        )


def test_staging_gets_its_own_environment() -> None:
    assert _alert_expr("up == 0", "staging") == 'up{env="staging", job="checkout"} == 0'


def test_comments_and_layout_survive() -> None:
    out = _alert_expr("up  # the targets\n  == 0")
    assert out == 'up{env="production", job="checkout"}  # the targets\n  == 0'


def test_global_alert_keeps_every_environment() -> None:
    out = _alert_expr('up{env=~".+"} == 0', global_reason="one alert for all environments")
    assert out == 'up{env=~".+", job="checkout"} == 0'


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "upp == 0",
            "metric 'upp' is not in the service's metrics catalog; declare it under metrics",
        ),
        ("upp == 0", "did you mean 'up'?"),
        ("rate(http_request_duration_second_count[5m]) > 1", "did you mean 'http_request_duration_seconds_count'?"),
        ('up{env=~".+"} == 0', "selector up would read other environments' series"),
        ('up{env="staging"} == 0', "mark the alert global: <reason>"),
    ],
)
def test_mistakes_are_located_errors(expr: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        _alert_expr(expr)
    found = [d for d in exc.value.diagnostics if message in d.message]
    assert found, [d.render() for d in exc.value.diagnostics]
    assert found[0].location.line == 22
    assert found[0].path == ("services", "checkout", "alerts", "Raw", "expr")


def test_error_points_at_the_selector_inside_the_expression(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        _alert_expr("up == 0 and upp == 1", tmp=tmp_path)
    (d,) = exc.value.diagnostics
    assert (d.location.line, d.location.column) == (22, 15 + len('"up == 0 and '))


def test_records_are_scoped_too() -> None:
    text = (
        textwrap.dedent(SPEC)
        .replace("EXPR", "'up == 0'")
        .replace("GLOBAL", "    records:\n      checkout:up:sum:\n        expr: sum(up)")
    )
    (model, _) = resolve(load_text(text, "spec.yaml"))
    (record,) = model.services[0].records
    assert record.expr == f'sum(up{{env="{model.environment.name}", job="checkout"}})'


def test_keywords_of_at_are_names_elsewhere() -> None:
    with pytest.raises(InputError) as exc:
        _alert_expr("start == 0")
    assert "metric 'start' is not in the service's metrics catalog" in exc.value.diagnostics[0].message


def test_a_chain_too_long_to_scope_is_refused_not_left_unscoped() -> None:
    with pytest.raises(InputError) as exc:
        _alert_expr(" - ".join(["up"] * 502))
    assert "too long to scope" in exc.value.diagnostics[0].message
