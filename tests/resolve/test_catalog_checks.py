"""Issue 9, part 2: the catalog counts. Labels, regex-looking matcher values,
latency buckets and units, each reported at the spec line that made the mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_text
from paladin_obs.model import Matcher, Metric
from paladin_obs.resolve import resolve
from paladin_obs.resolve.catalog_checks import looks_like_regex, metric_unit, series_labels


@pytest.mark.parametrize(
    "value",
    [
        "5..",
        "5xx|4xx",
        ".*",
        "foo.+",
        "[45]..",
        "[0-9]+",
        "[^/]*",
        r"\d+",
        r"api\.example\.com",
        "^api",
        "a.?b",
        "(?i)get",
        "(?:a)",
        "5{2}x",
        "[[:alpha:]]",
    ],
)
def test_regex_values_are_recognised(value: str) -> None:
    assert looks_like_regex(value)


@pytest.mark.parametrize(
    "value",
    [
        "1.2.3",
        "api.example.com",
        "/health",
        "/health/live",
        "v1.0",
        "500",
        "5xx",
        "GET",
        "",
        "http://svc:8080/health/live",
        "a-b_c",
        "10.0.0.1:9100",
        "[::1]:9100",
        "[2001:db8::1]:9100",
        "/api/v1/users/{id}",
        "/items/{0}",
        "/users/[id]",
        "/blog/[...slug]",
        "loading...",
        "user@example.com",
        "C++",
        "what?",
        "$HOME/x",
        "ADMIN$",
        "C:\\Windows\\System32",
        "*.example.com",
    ],
)
def test_ordinary_values_are_not_regexes(value: str) -> None:
    assert not looks_like_regex(value)


def test_series_labels() -> None:
    hist = Metric("h", "histogram", labels=("route",))
    assert series_labels(hist, (Matcher("cluster", "=", "eu1"),)) == frozenset(
        {"route", "le", "job", "instance", "cluster"}
    )
    assert series_labels(Metric("g", "gauge"), ()) is None


def test_metric_unit() -> None:
    assert metric_unit(Metric("x_seconds", "histogram")) == "seconds"
    assert metric_unit(Metric("x_milliseconds", "histogram")) == "milliseconds"
    assert metric_unit(Metric("x_bytes_total", "counter")) == "bytes"
    assert metric_unit(Metric("x_seconds", "histogram", unit="ms")) == "ms"
    assert metric_unit(Metric("x", "gauge")) == ""


HEAD = """\
version: 1
defaults: {runbook_url: "https://rb.test/{alert}"}
services:
  api:
    selector: {job: api}
    metrics:
      http_requests_total: {type: counter, labels: [handler, method, code]}
      http_request_duration_seconds: {type: histogram, labels: [handler], buckets: [0.05, 0.1, 0.5, 1, 5, 10]}
      queue_depth: {type: gauge, labels: [queue]}
      pool_connections: {type: gauge, unit: connections, labels: [pool]}
      probe_success: {type: gauge, selector: {job: blackbox}}
    signals:
      requests: http_requests_total
      errors: {metric: http_requests_total, match: {code: "=~5.."}}
      latency: http_request_duration_seconds
"""
ALERTS = HEAD + "    alerts:\n"


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        resolve(load_text(text, "s.yaml"))
    return [d.render() for d in info.value.diagnostics]


def alert(line: str) -> str:
    return ALERTS + "      X: {" + line + ", severity: info}\n"


MS_HINT = (
    "s.yaml:17:50: latency threshold 750s is at or above the largest bucket "
    "(http_request_duration_seconds's buckets span 0.05 to 10 seconds): histogram_quantile "
    "never returns more than the largest finite bucket, so this alert can never fire; give "
    "the threshold in seconds or add larger buckets; was 750 meant as milliseconds "
    "(0.75s, written 750ms)?"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A signal's match: a regex without =~, and with != instead of !~.
        (
            HEAD.replace('{code: "=~5.."}', '{code: "5.."}'),
            's.yaml:14:59: code: "5.." is an exact match (=) but its value is written as a regex, '
            'so it matches only that literal text; write "=~5.." for a regex match',
        ),
        (
            HEAD.replace('{code: "=~5.."}', '{code: "!=5xx|4xx"}'),
            's.yaml:14:59: code: "!=5xx|4xx" is an exact match (!=) but its value is written as a '
            'regex, so it matches only that literal text; write "!~5xx|4xx" for a regex match',
        ),
        # Selectors: the service's, a metric's, an environment's.
        (
            HEAD.replace("selector: {job: api}", 'selector: {job: "api.*"}'),
            's.yaml:5:21: job: "api.*" is an exact match (=) but its value is written as a regex',
        ),
        (
            HEAD.replace("{job: blackbox}", '{job: "black(?:box)"}'),
            's.yaml:11:52: job: "black(?:box)" is an exact match (=)',
        ),
        (
            HEAD + 'environments:\n  prod:\n    selector: {cluster: "eu-[0-9]+"}\n',
            's.yaml:18:25: cluster: "eu-[0-9]+" is an exact match (=) but its value is written as '
            'a regex, so it matches only that literal text; write "=~eu-[0-9]+" for a regex match',
        ),
        # A template's match: regex value, unknown label.
        (
            alert(
                'template: gauge_threshold, metric: queue_depth, threshold: 5, match: {queue: "a|b"}'
            ),
            's.yaml:17:88: queue: "a|b" is an exact match (=) but its value is written as a regex',
        ),
        (
            alert("template: gauge_threshold, metric: queue_depth, threshold: 5, match: {queu: a}"),
            "s.yaml:17:81: 'queu' is not a label of queue_depth (declared labels: queue; besides "
            "instance, job and its selectors' labels); did you mean 'queue'?",
        ),
        # by: unknown labels, with and without a close one.
        (
            alert("template: error_ratio, threshold: 0.1, by: [route]"),
            "s.yaml:17:55: 'route' is not a label of http_requests_total (declared labels: handler, "
            "method, code; besides instance, job and its selectors' labels)",
        ),
        (
            alert("template: error_ratio, threshold: 0.1, by: [handlr]"),
            "s.yaml:17:55: 'handlr' is not a label of http_requests_total (declared labels: handler, "
            "method, code; besides instance, job and its selectors' labels); did you mean 'handler'?",
        ),
        (
            alert("template: latency_quantile, threshold: 1s, by: [method]"),
            "s.yaml:17:59: 'method' is not a label of http_request_duration_seconds",
        ),
        (
            alert("template: gauge_threshold, metric: queue_depth, threshold: 5, by: [queue, pol]"),
            "s.yaml:17:85: 'pol' is not a label of queue_depth",
        ),
        # A record's by, a signal named by a parameter.
        (
            HEAD
            + "    records:\n      'api:x:rate5m': {template: signal_rate, signal: latency, by: [code]}\n",
            "s.yaml:17:69: 'code' is not a label of http_request_duration_seconds",
        ),
        # An environment's override of by.
        (
            alert("template: error_ratio, threshold: 0.1")
            + "environments:\n  prod:\n    alerts:\n      X: {by: [rout]}\n",
            "s.yaml:21:16: 'rout' is not a label of http_requests_total",
        ),
        # Latency thresholds against the buckets.
        (alert("template: latency_quantile, threshold: 750"), MS_HINT),
        (
            alert("template: latency_quantile, threshold: 10s"),
            "s.yaml:17:50: latency threshold 10s is at or above the largest bucket",
        ),
        (
            alert("template: latency_quantile, threshold: 10ms"),
            "s.yaml:17:50: latency threshold 0.01s is below the smallest bucket "
            "(http_request_duration_seconds's buckets span 0.05 to 10 seconds): a quantile inside "
            "the first bucket is only a guess (interpolated from 0), so the alert would fire on it; "
            "check the threshold's unit or add smaller buckets",
        ),
        # Units: a histogram in milliseconds, a size for a metric in connections.
        (
            alert("template: latency_quantile, threshold: 2s").replace(
                "http_request_duration_seconds: {type: histogram,",
                "http_request_duration_seconds: {type: histogram, unit: milliseconds,",
            ),
            "s.yaml:17:50: the threshold is in seconds but http_request_duration_seconds is "
            "measured in milliseconds",
        ),
        (
            alert("template: saturation, metric: pool_connections, capacity: 1Gi, threshold: 0.9"),
            "s.yaml:17:69: capacity '1Gi' is a size in bytes but pool_connections is measured in "
            "connections; give the capacity as a number in connections",
        ),
        # SLOs: a metric with a regex match, a latency threshold in milliseconds.
        (
            HEAD + "    slos:\n      a:\n        objective: 99\n        sli: {events: {errors: "
            '{metric: http_requests_total, match: {code: "5.."}}, total: requests}}\n',
            's.yaml:19:76: code: "5.." is an exact match (=)',
        ),
        (
            HEAD + "    slos:\n      l:\n        objective: 99\n"
            "        sli: {latency: {signal: latency, threshold: 500}}\n",
            "s.yaml:19:53: latency threshold 500 is not a bucket of http_request_duration_seconds "
            "(buckets: 0.05, 0.1, 0.5, 1, 5, 10); a classic histogram can only count requests under "
            "a bucket boundary; was 500 meant as milliseconds? 0.5 (or 500ms) is a bucket",
        ),
        # A dashboard's saturation panel.
        (
            HEAD + "    dashboards:\n      saturation:\n"
            '        - {metric: queue_depth, match: {queue: "q.+"}}\n',
            's.yaml:18:48: queue: "q.+" is an exact match (=)',
        ),
    ],
)
def test_catalog_mistakes_are_located(text: str, expected: str) -> None:
    found = errors(text)
    assert any(m.startswith(expected) for m in found), "\n".join(found)


@pytest.mark.parametrize(
    "text",
    [
        # Values that only look a bit like regexes.
        HEAD.replace('{code: "=~5.."}', '{code: "500", handler: "/health"}'),
        HEAD.replace(
            "selector: {job: api}", 'selector: {job: api, instance: "api.example.com:9100"}'
        ),
        HEAD + 'environments:\n  prod:\n    selector: {version: "1.2.3", cluster: eu1}\n',
        alert('template: probe_down, match: {instance: "http://svc:8080/health/live"}'),
        # Target labels, selector labels, le and the environment's selector labels.
        alert("template: error_ratio, threshold: 0.1, by: [handler, instance, job]"),
        alert("template: latency_quantile, threshold: 750ms, by: [handler, le]"),
        alert("template: gauge_threshold, metric: queue_depth, threshold: 5, by: [cluster]")
        + "environments:\n  prod:\n    selector: {cluster: eu1}\n",
        # A metric without declared labels is not checked.
        alert("template: gauge_threshold, metric: probe_success, threshold: 1, by: [anything]"),
        # Thresholds inside the buckets; an SLO threshold that is a bucket.
        alert("template: latency_quantile, threshold: 0.05"),
        alert("template: latency_quantile, threshold: 9.99"),
        HEAD + "    slos:\n      l:\n        objective: 99\n"
        "        sli: {latency: {signal: latency, threshold: 500ms}}\n",
        # A number capacity for a metric that is not in bytes.
        alert("template: saturation, metric: pool_connections, capacity: 100, threshold: 0.9"),
    ],
)
def test_what_is_right_is_not_flagged(text: str) -> None:
    assert resolve(load_text(text, "s.yaml"))


def test_errors_of_every_environment_once_each() -> None:
    text = alert("template: error_ratio, threshold: 0.1, by: [route]") + (
        "environments:\n  a: {}\n  b:\n    selector: {cluster: eu1}\n"
    )
    found = [m for m in errors(text) if "'route'" in m]
    assert len(found) == 1, found


def test_generate_exits_2_at_the_line(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD.replace('{code: "=~5.."}', '{code: "5.."}'), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "-f", str(spec), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f'{spec}:14:59: code: "5.." is an exact match' in result.stdout + result.stderr
    assert 'write "=~5.." for a regex match' in result.stdout + result.stderr
