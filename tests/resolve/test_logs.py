"""Resolving ``logs:``: fields and roles, the cardinality guard, drop rules, metrics,
log alerts, and every mistake located at the line that makes it."""

from __future__ import annotations

import textwrap

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_text
from paladin_obs.model import Model
from paladin_obs.resolve import resolve

BASE = """\
version: 1
defaults:
  runbook_url: "https://runbooks.example.com/{alert}"
  dashboards: {enabled: false}
environments:
  production: {labels: {env: production}}
  staging:
    labels: {env: staging}
    logs:
      api: {min_level: info}
services:
  api:
    selector: {job: api}
    logs:
      source: {files: [/var/log/api/*.log]}
      format: json
      fields:
        ts: {role: timestamp, format: RFC3339}
        severity: {role: level}
        request.id: {role: structured_metadata, name: request_id}
        msg: {role: line}
      min_level: warn
LOGS_EXTRA
"""


def spec(extra: str = "", *, replace: tuple[str, str] | None = None) -> str:
    text = BASE.replace("LOGS_EXTRA\n", textwrap.indent(textwrap.dedent(extra), " " * 6))
    if replace is not None:
        assert replace[0] in text, replace[0]
        text = text.replace(*replace)
    return text


def models(text: str) -> dict[str, Model]:
    return {m.environment.name: m for m in resolve(load_text(text, "spec.yaml"))}


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        resolve(load_text(text, "spec.yaml"))
    return [d.render() for d in info.value.diagnostics]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_base_resolves_per_environment() -> None:
    by_env = models(spec())
    prod = by_env["production"].services[0].logs
    staging = by_env["staging"].services[0].logs
    assert prod is not None and staging is not None
    assert prod.static_labels == {"env": "production", "service": "api"}
    assert (prod.min_level, staging.min_level) == ("warn", "info")
    roles = {f.path: (f.role, f.name) for f in prod.fields}
    assert roles == {
        "ts": ("timestamp", "ts"),
        "severity": ("level", "level"),
        "request.id": ("structured_metadata", "request_id"),
        "msg": ("line", "msg"),
    }


BAD = [
    # (what, spec change, the line's needle, message fragment)
    (
        "id as label",
        ("request.id: {role: structured_metadata, name: request_id}", "request.id: {role: label, name: request_id}"),
        "request.id:",
        "'request.id' is an identifier",
    ),
    (
        "unbounded label",
        ("msg: {role: line}", "status: {role: label}"),
        "status: {role: label}",
        "must be few and fixed",
    ),
    ("unknown role", ("msg: {role: line}", "msg: {role: lable}"), "msg: {role: lable}", "is not allowed; use one of"),
    (
        "bad timestamp format",
        ("format: RFC3339}", "format: Tuesday}"),
        "ts: {role",
        "unknown timestamp format",
    ),
    (
        "two levels",
        ("msg: {role: line}", "msg: {role: level, name: lvl}"),
        "msg: {role: level",
        "only one field may have role level",
    ),
    (
        "min_level without level field",
        ("severity: {role: level}", "severity: {role: line}"),
        "min_level: warn",
        "needs a field with role: level",
    ),
    (
        "field clashing with a static label",
        ("msg: {role: line}", "svc: {role: structured_metadata, name: service}"),
        "svc: {role",
        "already a static label",
    ),
]


@pytest.mark.parametrize(("change", "needle", "fragment"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_field_mistakes_are_located(change: tuple[str, str], needle: str, fragment: str) -> None:
    text = spec(replace=change)
    found = problems(text)
    line = line_of(text, needle)
    assert any(f"spec.yaml:{line}:" in p and fragment in p for p in found), found


EXTRA_BAD = [
    ("bad drop regex", "drop:\n  - {regex: 'a(b'}\n", "regex: 'a(b'", "not a valid RE2 regex"),
    (
        "drop on undeclared field",
        "drop:\n  - {field: path, value: /health}\n",
        "field: path",
        "'path' is not a declared field",
    ),
    ("empty drop", "drop:\n  - {reason: noise}\n", "reason: noise", "needs contains, regex"),
    (
        "histogram without buckets",
        "metrics:\n  lat: {type: histogram, description: d, field: msg}\n",
        "lat:",
        "needs buckets",
    ),
    (
        "gauge without field",
        "metrics:\n  g: {type: gauge, description: d}\n",
        "g: {type: gauge",
        "reads a value",
    ),
    (
        "descending buckets",
        "metrics:\n  h: {type: histogram, description: d, field: msg, buckets: [2, 1]}\n",
        "h: {type",
        "strictly ascending",
    ),
    (
        "alert on undeclared field",
        "alerts:\n  ApiErrors:\n    template: log_rate\n    threshold: 1\n    match: {route: /x}\n    severity: critical\n",
        "match: {route",
        "'route' is not a declared log field",
    ),
    (
        "unknown log template",
        "alerts:\n  ApiErrors: {template: log_rat, threshold: 1, severity: critical}\n",
        "template: log_rat",
        "unknown template 'log_rat'",
    ),
    (
        "unknown level",
        "alerts:\n  ApiErrors: {template: log_rate, threshold: 1, levels: [eror], severity: critical}\n",
        "levels: [eror]",
        "'eror' is not a log level",
    ),
    (
        "drop by value and regex",
        "drop:\n  - {field: msg, value: a, regex: '^b'}\n",
        "{field: msg, value: a",
        "by value or by regex, not both",
    ),
    (
        "unknown level in a drop rule",
        "drop:\n  - {field: severity, value: loud}\n",
        "value: loud",
        "'loud' is not a log level",
    ),
    (
        "max_idle below a second",
        "metrics:\n  c: {type: counter, description: d, max_idle: 500ms}\n",
        "c: {type: counter",
        "at least 1s",
    ),
    (
        "multiline max_wait of zero",
        "multiline: {first_line: '^x', max_wait: '0'}\n",
        "multiline:",
        "max_wait must be greater than 0",
    ),
    (
        "infinite bucket",
        "metrics:\n  h: {type: histogram, description: d, field: msg, buckets: [1, .inf]}\n",
        "h: {type",
        "buckets must be finite",
    ),
    (
        "levels the pipeline drops",
        "alerts:\n  ApiInfo: {template: log_rate, threshold: 1, levels: [info], severity: info}\n",
        "levels: [info]",
        "dropped before Loki",
    ),
    (
        "grouping by a label the stream lacks",
        "alerts:\n  ApiErrs: {template: log_rate, threshold: 1, by: [request_id], severity: info}\n",
        "by: [request_id]",
        "'request_id' is not a label of the stream",
    ),
    (
        "pattern matching every line",
        "alerts:\n  ApiAny: {template: log_pattern, text: '.*', regex: true, severity: info}\n",
        "ApiAny:",
        "matches every line",
    ),
    (
        "expr alert without description",
        "alerts:\n  Raw: {expr: 'count_over_time({service=\"api\"}[5m]) > 0', summary: Raw., severity: info}\n",
        "Raw: {expr",
        "'description'",
    ),
]


@pytest.mark.parametrize(
    ("extra", "needle", "fragment"), [b[1:] for b in EXTRA_BAD], ids=[b[0] for b in EXTRA_BAD]
)
def test_pipeline_mistakes_are_located(extra: str, needle: str, fragment: str) -> None:
    text = spec(extra)
    found = problems(text)
    line = line_of(text, needle)
    assert any(f"spec.yaml:{line}:" in p and fragment in p for p in found), found


def test_format_regex_fields_must_be_named_groups() -> None:
    text = spec(
        replace=(
            "format: json\n",
            "format: regex\n      regex: '^(?P<ts>\\S+) (?P<severity>\\w+) (?P<msg>.*)$'\n",
        )
    )
    found = problems(text)
    assert any("'request.id' is not a named group" in p for p in found), found
    ok = text.replace("        request.id: {role: structured_metadata, name: request_id}\n", "")
    logs = models(ok)["production"].services[0].logs
    assert logs is not None and logs.format == "regex"


def test_plain_lines_have_no_fields() -> None:
    found = problems(spec(replace=("format: json", "format: plain")))
    assert any("format plain has no fields" in p for p in found), found


def test_cardinality_limits() -> None:
    labels = "".join(f"        f{i}: {{role: label, bounded: true}}\n" for i in range(5))
    text = spec(replace=("        msg: {role: line}\n", labels))
    found = problems(text)
    # filename + level + 5 bounded labels = 7 dynamic labels.
    assert any("7 labels take their values from the logs" in p for p in found), found
    static = "".join(f"        s{i}: x\n" for i in range(14))
    text = spec(replace=("      min_level: warn\n", f"      min_level: warn\n      labels:\n{static}"))
    found = problems(text)
    assert any("a stream would carry 18 labels" in p for p in found), found


def test_listed_values_make_an_identifier_bounded() -> None:
    text = spec(
        replace=(
            "request.id: {role: structured_metadata, name: request_id}",
            "tenant_id: {role: label, values: [acme, globex]}",
        )
    )
    logs = models(text)["production"].services[0].logs
    assert logs is not None
    assert [f.name for f in logs.fields if f.role == "label"] == ["tenant_id"]


def test_log_alerts_follow_conventions_and_overrides() -> None:
    extra = """\
    alerts:
      ApiErrorLogs: {template: log_rate, threshold: 0.5, for: 5m, severity: critical}
      ApiNoLogs: {template: no_logs, severity: warning}
      ApiPanics: {template: log_pattern, text: 'panicked at "main"', severity: critical}
    """
    text = spec(extra).replace(
        "    logs:\n      api: {min_level: info}\n",
        "    logs:\n      api: {min_level: info}\n    alerts:\n      ApiErrorLogs: {threshold: 2}\n",
    )
    by_env = models(text)
    prod = by_env["production"].services[0].logs
    staging = by_env["staging"].services[0].logs
    assert prod is not None and staging is not None
    alerts = {a.name: a for a in prod.alerts}
    assert alerts["ApiErrorLogs"].expr == (
        'sum(rate({env="production", service="api", level=~"error|fatal"} [5m])) > 0.5'
    )
    assert alerts["ApiNoLogs"].expr == 'absent_over_time({env="production", service="api"} [15m])'
    # The user's text reaches LogQL quoted, whatever it holds.
    assert '|= "panicked at \\"main\\""' in alerts["ApiPanics"].expr
    for alert in alerts.values():
        assert alert.labels["severity"] and alert.labels["env"] == "production"
        assert alert.annotations["runbook_url"] == f"https://runbooks.example.com/{alert.name}"
        assert alert.summary.endswith(".") and "{{" in alert.description
        assert alert.group == "api-log-alerts"
    assert {a.name: a for a in staging.alerts}["ApiErrorLogs"].expr.endswith("> 2")


def test_log_alert_names_share_the_alert_namespace() -> None:
    text = spec("alerts:\n  ApiNoLogs: {template: no_logs, severity: warning}\n").replace(
        "    selector: {job: api}\n",
        "    selector: {job: api}\n    metrics: {up: {type: gauge}}\n"
        "    alerts:\n      ApiNoLogs: {template: absent, metric: up, severity: warning}\n",
    )
    found = problems(text)
    assert any("alert 'ApiNoLogs' is defined twice" in p for p in found), found


def test_log_override_of_a_service_without_logs() -> None:
    text = spec().replace("      api: {min_level: info}", "      web: {min_level: info}")
    found = problems(text)
    assert any("log override for 'web', which has no logs section" in p for p in found), found


def test_levels_in_comparisons_are_normalised() -> None:
    extra = """\
    drop:
      - {field: severity, value: DEBUG}
    metrics:
      errors_total: {type: counter, description: d, field: severity, value: ERROR}
    alerts:
      ApiErr: {template: log_rate, threshold: 1, match: {severity: WARNING}, severity: info}
    """
    logs = models(spec(extra))["production"].services[0].logs
    assert logs is not None
    assert logs.drop[0].value == "debug" and logs.metrics[0].value == "error"
    assert 'level="warn"' in logs.alerts[0].expr


def test_regex_format_reads_fields_under_their_group_names() -> None:
    text = spec(
        replace=(
            "format: json\n",
            "format: regex\n      regex: '^(?P<ts>\\S+) (?P<severity>\\w+) (?P<msg>.*)$'\n",
        )
    ).replace("        request.id: {role: structured_metadata, name: request_id}\n", "")
    text = text.replace("msg: {role: line}", "msg: {role: line, name: message}")
    text += "      alerts:\n        A: {template: log_rate, threshold: 1, match: {msg: boom}, severity: info}\n"
    logs = models(text)["production"].services[0].logs
    assert logs is not None
    level = logs.level
    assert level is not None and (level.name, level.key) == ("level", "severity")
    # The regexp parser extracts the group names, so the filter names the group.
    assert logs.alerts[0].expr.endswith('| msg="boom" [5m])) > 1')


def test_kubernetes_source() -> None:
    text = spec(
        replace=(
            "source: {files: [/var/log/api/*.log]}",
            "source: {kubernetes: {namespaces: [shop], selector: {app: api, tier: '!=batch'}, container: api}}",
        )
    )
    logs = models(text)["production"].services[0].logs
    assert logs is not None and logs.source.kubernetes is not None
    assert logs.source.kubernetes.selector == "app=api,tier!=batch"
    assert logs.source.files == ()
