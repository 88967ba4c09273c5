from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_file, load_text
from paladin_obs.model import Model
from paladin_obs.resolve import resolve

FIXTURES = Path(__file__).parent / "fixtures"

HEAD = """\
version: 1
defaults: {runbook_url: "https://rb.test/{alert}"}
services:
  api:
    selector: {job: api}
    metrics:
      reqs: {type: counter, labels: [code]}
      lat: {type: histogram}
      mem: {type: gauge}
    signals:
      requests: reqs
      errors: {metric: reqs, match: {code: "=~5.."}}
      latency: lat
"""


def models(text: str, env: str | None = None) -> list[Model]:
    return resolve(load_text(text, "s.yaml"), env)


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        models(text)
    return [d.render() for d in info.value.diagnostics]


def alert_exprs(model: Model) -> dict[str, str]:
    return {a.name: a.expr for s in model.services for a in s.alerts}


def test_selectors_merge_into_every_query() -> None:
    (model,) = resolve(load_file(FIXTURES / "small.yaml"))
    exprs = alert_exprs(model)
    assert 'http_requests_total{code=~"5..", job="api"}' in exprs["ApiErrors"]
    # A metric with its own selector (kube-state-metrics) does not get the service's.
    assert 'kube_pod_container_status_restarts_total{namespace="api"}' in exprs["ApiCrashLooping"]
    assert exprs["ApiProbeDown"] == 'probe_success{instance=~".*/healthz", job="blackbox"} == 0'
    assert exprs["ApiRaw"] == 'up{job="api"} == 0'


def test_alert_conventions() -> None:
    (model,) = resolve(load_file(FIXTURES / "small.yaml"))
    alert = next(a for s in model.services for a in s.alerts if a.name == "ApiErrors")
    assert alert.labels == {"severity": "critical", "team": "sre"}
    assert alert.annotations["runbook_url"] == "https://runbooks.test/api/ApiErrors"
    assert alert.annotations["summary"] == "Error ratio of api is above 5%."
    assert "{{ $value | humanizePercentage }}" in alert.annotations["description"]
    assert "route={{ $labels.route }}" in alert.annotations["description"]


ENVS = HEAD + """\
    alerts:
      ApiErrors: {template: error_ratio, threshold: 0.05, severity: critical}
      ApiSlow: {template: latency_quantile, threshold: 1s, severity: warning}
environments:
  prod: {labels: {env: prod}, selector: {cluster: eu1}}
  dev:
    labels: {env: dev}
    alerts:
      ApiErrors: {threshold: 0.5, severity: info}
      ApiSlow: {enabled: false}
"""


def test_environment_overlays() -> None:
    dev, prod = models(ENVS)  # sorted by name
    assert (dev.environment.name, prod.environment.name) == ("dev", "prod")
    assert set(alert_exprs(dev)) == {"ApiErrors"}
    assert alert_exprs(dev)["ApiErrors"].endswith("> 0.5")
    assert alert_exprs(prod)["ApiErrors"].endswith("> 0.05")
    assert 'cluster="eu1"' in alert_exprs(prod)["ApiSlow"]
    assert 'cluster="eu1"' not in alert_exprs(dev)["ApiErrors"]
    dev_alert = dev.services[0].alerts[0]
    assert dev_alert.labels == {"env": "dev", "severity": "info"}


def test_only_one_environment() -> None:
    (model,) = models(ENVS, "prod")
    assert model.environment.name == "prod"


def test_unknown_environment() -> None:
    with pytest.raises(InputError, match="unknown environment 'qa'; defined: dev, prod"):
        models(ENVS, "qa")


def test_spec_values_are_escaped_for_go_templates_and_promql() -> None:
    text = HEAD.replace("{job: api}", '{job: "a\\"b"}') + """\
    alerts:
      ApiErrors:
        template: error_ratio
        threshold: 0.05
        severity: critical
        labels: {owner: "{{ evil }}"}
"""
    (model,) = models(text)
    alert = model.services[0].alerts[0]
    assert 'job="a\\"b"' in alert.expr
    assert alert.labels["owner"] == '{{"{"}}{{"{"}} evil }}'


A = HEAD + "    alerts:\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (A + "      X: {template: nope, severity: info}\n",
         "s.yaml:15:21: unknown template 'nope'; available alerts templates: absent, crash_looping, error_ratio"),
        (A + "      X: {template: error_ratio, severity: info}\n",
         "s.yaml:15:10: template error_ratio needs parameter 'threshold' (ratio)"),
        (A + "      X: {template: error_ratio, threshold: 5, severity: info}\n",
         "s.yaml:15:45: parameter 'threshold' of template error_ratio: expected a ratio between 0 and 1"),
        (A + "      X: {template: error_ratio, threshold: 0.1, windw: 5m, severity: info}\n",
         "s.yaml:15:50: unknown parameter 'windw' for template error_ratio; allowed: by, min_rate, threshold, window"),
        (A + "      X: {template: saturation, metric: reqs, capacity: 1Gi, threshold: 0.9, severity: info}\n",
         "s.yaml:15:41: parameter 'metric' of template saturation: metric 'reqs' is a counter; this parameter needs a gauge"),
        (A + "      X: {template: absent, metric: nothere, severity: info}\n",
         "s.yaml:15:37: parameter 'metric' of template absent: metric 'nothere' is not in the service's metrics catalog"),
        (A + "      X: {expr: up == 0, severity: info, summary: 'Up {{ $value }}.', description: '{{ $value }}'}\n",
         "s.yaml:15:51: summary must be static text"),
        (A + "      X: {expr: up == 0, severity: info, summary: No period, description: '{{ $value }}'}\n",
         "s.yaml:15:51: summary must be one sentence ending with a period"),
        (A + "      X: {expr: up == 0, severity: info, summary: S., description: static}\n",
         "s.yaml:15:68: description must be a Go template"),
        (A + "      X: {template: absent, metric: mem, severity: info}\n      X: {template: absent, metric: mem, severity: info}\n",
         "s.yaml:16:7: duplicate key 'X'"),
        (A + "      X: {template: absent, metric: mem, severity: info}\n    dependencies:\n      d:\n        alerts:\n"
         "          X: {template: absent, metric: mem, severity: info}\n",
         "s.yaml:19:11: alert 'X' is defined twice (first at line 15)"),
        (A + "      X: {template: error_ratio, threshold: 0.1, severity: info}\n    dependencies:\n      d:\n"
         "        alerts:\n          Y: {template: error_ratio, threshold: 0.1, severity: info}\n",
         "s.yaml:19:14: template error_ratio needs the 'requests' signal, which this scope does not define"),
        (HEAD.replace("requests: reqs", "requests: mem"), "s.yaml:11:17: the requests signal needs a counter, but mem is a gauge"),
        (HEAD.replace("requests: reqs", "requests: nope"), "s.yaml:11:17: metric 'nope' is not in the service's metrics catalog"),
        (HEAD.replace('{code: "=~5.."}', '{status: "5xx"}'), "s.yaml:12:38: 'status' is not a label of reqs (declared labels: code)"),
        (HEAD.replace("rb.test/{alert}", "rb.test/{nope}") + "    alerts:\n      X: {template: absent, metric: mem, severity: info}\n",
         "s.yaml:2:25: unknown placeholder {nope}; use {alert}, {alert_lower}, {service}, {environment}"),
        (HEAD + "environments:\n  p:\n    alerts:\n      Nope: {for: 1m}\n", "s.yaml:17:7: override for unknown alert 'Nope'"),
        (HEAD.replace("version: 1\n", "version: 1\ndefaults: {templates: [missing-dir]}\n", 1).replace(
            'defaults: {runbook_url: "https://rb.test/{alert}"}\n', ""),
         "s.yaml:2:24: template directory 'missing-dir' not found"),
    ],
)
def test_located_errors(text: str, expected: str) -> None:
    found = errors(text)
    assert any(m.startswith(expected) for m in found), found


def test_runbook_required() -> None:
    text = HEAD.replace('defaults: {runbook_url: "https://rb.test/{alert}"}\n', "") + (
        "    alerts:\n      X: {template: absent, metric: mem, severity: info}\n"
    )
    assert any("alert has no runbook_url" in m for m in errors(text))


def test_user_templates_extend_and_override(tmp_path: Path) -> None:
    (tmp_path / "tpl" / "alerts").mkdir(parents=True)
    (tmp_path / "tpl" / "alerts" / "absent.yaml").write_text(
        "params:\n  metric: {type: metric, required: true}\n"
        "expr: absent(${ metric.series }) == 1\nsummary: Overridden.\n"
        "description: '{{ $labels.job }} gone.'\n"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        HEAD.replace('defaults: {runbook_url: "https://rb.test/{alert}"}',
                     'defaults: {runbook_url: "https://rb.test/{alert}", templates: [tpl]}')
        + "    alerts:\n      X: {template: absent, metric: mem, severity: info}\n"
    )
    (model,) = resolve(load_file(spec))
    alert = model.services[0].alerts[0]
    assert alert.expr == 'absent(mem{job="api"}) == 1'
    assert alert.summary == "Overridden."


def test_overrides_merge_labels_and_annotations() -> None:
    text = HEAD + """\
    alerts:
      ApiDown:
        expr: up == 0
        severity: info
        summary: Down.
        description: '{{ $labels.instance }}'
        labels: {component: api, routing: slack}
        annotations: {dashboard: https://grafana.test/d/api}
environments:
  prod:
    alerts:
      ApiDown: {labels: {routing: pager}, annotations: {playbook: p}}
"""
    (model,) = models(text)
    alert = model.services[0].alerts[0]
    assert alert.labels == {"component": "api", "routing": "pager", "severity": "info"}
    assert alert.annotations["dashboard"] == "https://grafana.test/d/api"
    assert alert.annotations["playbook"] == "p"


@pytest.mark.parametrize(
    ("alerts", "envs", "expected"),
    [
        ("      ApiDown: {expr: up == 0, severity: info, summary: D., description: '{{ $value }}'}\n",
         "      ApiDown: {threshold: 0.5}\n", "unknown key 'threshold' for an expr alert"),
        ("      ApiDown: {template: error_ratio, threshold: 0.1, severity: info}\n",
         "      ApiDown: {expr: up}\n", "an override cannot replace a template alert's expression"),
        ("      ApiDown: {template: error_ratio, threshold: 0.1, severity: info, for: 300y}\n",
         "      ApiDown: {}\n", "out of range: Prometheus durations end at about 292y"),
        ("      ApiDown: {template: error_ratio, threshold: .nan, severity: info}\n",
         "      ApiDown: {}\n", "expected a finite number"),
        ("      ApiDown: {template: saturation, metric: mem, capacity: 0, threshold: 0.5, severity: info}\n",
         "      ApiDown: {}\n", "expected a size greater than zero"),
        ("      ApiDown: {template: probe_down, metric: mem, endpoint: off, severity: info}\n",
         "      ApiDown: {}\n", "YAML 1.1 reads unquoted 'off' as a boolean"),
        ("      ApiDown: {template: absent, metric: mem, severity: info, annotations: {summary: x}}\n",
         "      ApiDown: {}\n", "set summary as the alert's own field, not under annotations"),
    ],
)
def test_more_located_errors(alerts: str, envs: str, expected: str) -> None:
    text = HEAD + "    alerts:\n" + alerts + "environments:\n  prod:\n    alerts:\n" + envs
    found = errors(text)
    assert any(expected in m for m in found), found


def test_spec_values_with_braces_in_template_summaries() -> None:
    text = HEAD + "    alerts:\n      ApiProbe: {template: probe_down, metric: mem, endpoint: '/a{b}', severity: info}\n"
    (model,) = models(text)
    assert model.services[0].alerts[0].summary == 'Api probe of /a{{"{"}}b} is failing.'


def test_errors_of_every_environment_at_once() -> None:
    text = HEAD + """\
    alerts:
      ApiDown: {expr: up == 0, severity: info, summary: D., description: '{{ $value }}'}
environments:
  a: {}
  b:
    alerts:
      ApiDown: {description: '{{ $value'}
  c:
    alerts:
      ApiDown: {expr: 'up =='}
"""
    from paladin_obs.pipeline import build_document

    with pytest.raises(InputError) as info:
        build_document(load_text(text, "s.yaml"))
    messages = [d.message for d in info.value.diagnostics]
    assert any("(environment b)" in m for m in messages), messages
    assert any("(environment c)" in m for m in messages), messages


def test_a_failing_user_template_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "tpl" / "alerts").mkdir(parents=True)
    (tmp_path / "tpl" / "alerts" / "div.yaml").write_text(
        "params:\n  n: {type: number, default: 0, description: d}\n"
        "expr: up > ${ 1 / n }\nsummary: S.\ndescription: '{{ $value }}'\n"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        HEAD.replace('defaults: {runbook_url: "https://rb.test/{alert}"}',
                     'defaults: {runbook_url: "https://rb.test/{alert}", templates: [tpl]}')
        + "    alerts:\n      X: {template: div, severity: info}\n"
    )
    with pytest.raises(InputError, match="ZeroDivisionError"):
        resolve(load_file(spec))
