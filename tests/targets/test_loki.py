"""The Loki target: Alloy modules read back by an independent Alloy reader, Promtail
configs against the shape Promtail reads, ruler files through our LogQL validator
and Grafana's lezer grammar, and hostile spec values that must survive every format."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import textwrap
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from paladin_obs.formats.alloy import Attribute, Block, Document, Ref
from paladin_obs.loader import load_text
from paladin_obs.pipeline import build, build_document
from paladin_obs.validate.logql import check_logql
from paladin_obs.validate.promtail_schema import shape_errors

REPO = Path(__file__).resolve().parents[2]
SPEC = str(REPO / "paladin-obs.yaml")
sys.path.insert(0, str(REPO))
from tests.logql_oracle.lezer import lezer_verdicts  # noqa: E402


def _reader() -> ModuleType:
    name = "paladin_obs_tests_alloy_reader"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, REPO / "tests" / "formats" / "alloy_reader.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@cache
def _paladin() -> dict[str, str]:
    return {path: f.content.decode() for path, f in build(SPEC).files.items()}


def _body(text: str) -> str:
    """The file without the ownership header (comment lines at the top)."""
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(("//", "#")))


def _blocks(doc: Document, name: str) -> list[Block]:
    return [b for b in doc.body if isinstance(b, Block) and b.name == name]


def _attrs(block: Block) -> dict[str, Any]:
    return {a.name: a.value for a in block.body if isinstance(a, Attribute)}


def _stages(doc: Document) -> list[tuple[str, dict[str, Any]]]:
    (process,) = _blocks(doc, "loki.process")
    return [
        (s.name.removeprefix("stage."), _attrs(s))
        for s in process.body
        if isinstance(s, Block) and s.name.startswith("stage.")
    ]


def _refs_resolve(doc: Document) -> None:
    """Every reference names a component of the file and one of its exports."""
    defined = {f"{b.name}.{b.label}" for b in doc.body if isinstance(b, Block)}
    seen: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Ref):
            seen.append(value.expr)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, Block):
            for s in value.body:
                walk(s.value if isinstance(s, Attribute) else s)

    for stmt in doc.body:
        walk(stmt)
    assert seen
    for ref in seen:
        component, export = ref.rsplit(".", 1)
        assert component in defined, ref
        assert export in ("receiver", "targets", "output"), ref


PATHS = {
    "loki/production/paladin.alloy",
    "loki/staging/paladin.alloy",
    "loki/production/promtail/paladin.yaml",
    "loki/staging/promtail/paladin.yaml",
    "loki/production/rules/paladin/paladin.yaml",
    "loki/staging/rules/paladin/paladin.yaml",
}


def test_paladin_layout() -> None:
    assert {p for p in _paladin() if p.startswith("loki/")} == PATHS


@pytest.mark.parametrize("env", ["production", "staging"])
def test_paladin_alloy_pipeline(env: str) -> None:
    doc = _reader().read(_body(_paladin()[f"loki/{env}/paladin.alloy"]))
    assert [(b.name, b.label) for b in doc.body if isinstance(b, Block)] == [
        ("local.file_match", "paladin"),
        ("loki.source.file", "paladin"),
        ("loki.process", "paladin"),
        ("loki.write", "paladin"),
    ]
    _refs_resolve(doc)
    (match,) = _blocks(doc, "local.file_match")
    assert _attrs(match)["path_targets"] == [{"__path__": "/app/logs/paladin.log"}]
    stages = _stages(doc)
    names = [n for n, _ in stages]
    assert names == [
        "static_labels",
        "json",
        "timestamp",
        "template",
        "labels",
        "drop",
        "drop",
        "metrics",
        "drop",
        "structured_metadata",
    ]
    settings = dict(stages[:5])
    assert settings["static_labels"]["values"] == {"env": env, "service": "paladin"}
    assert settings["json"]["expressions"]["paladin_id"] == "span.paladin_id"
    # Only the level becomes a label; ids are structured metadata.
    assert settings["labels"]["values"] == {"level": "level"}
    assert stages[-1][1]["values"] == {"paladin_id": "paladin_id", "target": "target"}
    level_drop = stages[-2][1]
    expected = "^(trace|debug|info)$" if env == "production" else "^(trace|debug)$"
    assert level_drop == {
        "source": "level",
        "expression": expected,
        "drop_counter_reason": "below_min_level",
    }
    (write,) = _blocks(doc, "loki.write")
    (endpoint,) = write.body
    assert isinstance(endpoint, Block)
    assert _attrs(endpoint) == {
        "url": "http://loki-gateway.monitoring.svc/loki/api/v1/push",
        "tenant_id": "paladin",
    }


@pytest.mark.parametrize("env", ["production", "staging"])
def test_paladin_promtail_matches_alloy(env: str) -> None:
    files = _paladin()
    promtail = yaml.safe_load(files[f"loki/{env}/promtail/paladin.yaml"])
    assert shape_errors(promtail) == []
    (scrape,) = promtail["scrape_configs"]
    alloy = _stages(_reader().read(_body(files[f"loki/{env}/paladin.alloy"])))
    stages = [next(iter(s)) for s in scrape["pipeline_stages"]]
    assert stages == [n for n, _ in alloy]
    assert promtail["clients"] == [
        {"url": "http://loki-gateway.monitoring.svc/loki/api/v1/push", "tenant_id": "paladin"}
    ]


def _rule_exprs(files: dict[str, str]) -> list[str]:
    out = []
    for path, text in files.items():
        if "/rules/" in path and path.startswith("loki/"):
            for group in yaml.safe_load(text)["groups"]:
                out += [r["expr"] for r in group["rules"]]
    return out


def test_paladin_rules_are_metric_logql_accepted_by_lezer() -> None:
    exprs = _rule_exprs(_paladin())
    assert len(exprs) == 6
    for expr in exprs:
        assert check_logql(expr, metric=True) == [], expr
    assert lezer_verdicts(exprs) == [True] * len(exprs)


HOSTILE = ['a"b', "back\\slash", "tick`tick", "${HOME}", "{{ .x }}", "new\nline", "é"]


def _spec(logs: str, defaults: str = "") -> str:
    return textwrap.dedent(
        """\
        version: 1
        defaults:
          runbook_url: "https://runbooks.example.com/{alert}"
          dashboards: {enabled: false}
        DEFAULTS
        services:
          api:
            selector: {job: api}
            logs:
        LOGS"""
    ).replace("DEFAULTS\n", textwrap.indent(defaults, "  ")).replace(
        "LOGS", textwrap.indent(textwrap.dedent(logs), " " * 6)
    )


def _generate(text: str) -> dict[str, str]:
    result = build_document(load_text(text, "spec.yaml"))
    return {path: f.content.decode() for path, f in result.files.items()}


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_values_survive_alloy_promtail_and_logql(value: str) -> None:
    quoted = yaml.safe_dump(value, default_style='"').strip()
    text = _spec(
        f"""\
        source: {{files: [/var/log/x.log]}}
        format: json
        labels: {{team: {quoted}}}
        fields:
          lvl: {{role: level}}
          ts: {{role: timestamp}}
        drop:
          - {{contains: {quoted}, reason: noise}}
        alerts:
          ApiText:
            template: log_pattern
            text: {quoted}
            severity: critical
        """,
        defaults="loki: {tenant: t1, promtail: true}\n",
    )
    files = _generate(text)
    doc = _reader().read(_body(files["loki/api.alloy"]))
    stages = dict(_stages(doc))
    assert stages["static_labels"]["values"]["team"] == value
    drop = stages["drop"]["expression"]
    assert re.search(drop, f"xx{value}yy") and not re.search(drop, "xx")
    promtail = yaml.safe_load(files["loki/promtail/api.yaml"])
    assert shape_errors(promtail) == []
    assert promtail["scrape_configs"][0]["pipeline_stages"][0]["static_labels"]["team"] == value
    (expr,) = _rule_exprs(files)
    assert check_logql(expr, metric=True) == []
    assert lezer_verdicts([expr]) == [True]


def test_kubernetes_logfmt_multiline_metrics_and_field_removal() -> None:
    text = _spec(
        r"""
        source:
          kubernetes: {namespaces: [shop], selector: {app: api}, container: api}
        format: logfmt
        multiline: {first_line: '^time=', max_wait: 3s, max_lines: 200}
        fields:
          time: {role: timestamp, format: RFC3339}
          level: {role: level}
          route: {role: label, values: [/a, /b]}
          trace_id: {role: structured_metadata}
          password: {role: drop}
          duration_ms: {role: line}
        metrics:
          api_requests_total: {type: counter, description: Lines per route, field: route, value: /a}
          api_duration_ms: {type: histogram, description: Latency, field: duration_ms, buckets: [10, 100, 1000]}
        """,
        "loki: {promtail: true}\n",
    )
    files = _generate(text)
    doc = _reader().read(_body(files["loki/api.alloy"]))
    _refs_resolve(doc)
    assert [b.name for b in doc.body if isinstance(b, Block)] == [
        "discovery.kubernetes",
        "discovery.relabel",
        "loki.source.kubernetes",
        "loki.process",
        "loki.write",
    ]
    stages = _stages(doc)
    names = [n for n, _ in stages]
    assert names == [
        "static_labels",
        "multiline",
        "logfmt",
        "timestamp",
        "template",
        "template",
        "labels",
        "metrics",
        "structured_metadata",
        "replace",
    ]
    # A label with listed values is bounded by construction: anything else is "other".
    assert stages[5][1] == {
        "source": "route",
        "template": '{{ if eq .Value "/a" "/b" "" }}{{ .Value }}{{ else }}other{{ end }}',
    }
    settings = dict(stages)
    assert settings["multiline"] == {"firstline": "^time=", "max_wait_time": "3s", "max_lines": 200}
    assert settings["labels"]["values"] == {"level": "level", "route": "route"}
    # The dropped field and its value leave the line; the rest stays logfmt.
    removal = settings["replace"]["expression"]
    line = 'time=1 level=info password="s3 cret" route=/a'
    assert re.sub(removal, "", line) == "time=1 level=info route=/a"
    assert re.sub(removal, "", "password=x time=1") == "time=1"
    promtail = yaml.safe_load(files["loki/promtail/api.yaml"])
    assert shape_errors(promtail) == []
    scrape = promtail["scrape_configs"][0]
    assert scrape["pipeline_stages"][:2] == [{"cri": {}}, {"labeldrop": ["filename"]}]
    assert scrape["kubernetes_sd_configs"][0]["selectors"] == [{"role": "pod", "label": "app=api"}]
    metrics = next(s["metrics"] for s in scrape["pipeline_stages"] if "metrics" in s)
    assert metrics["api_duration_ms"]["config"] == {"buckets": [10.0, 100.0, 1000.0]}
    # Promtail's default prefix differs from Alloy's: set, so the series are named alike.
    assert {m["prefix"] for m in metrics.values()} == {"loki_process_custom_"}
    assert metrics["api_requests_total"]["config"] == {"value": "/a", "action": "inc"}
    # No ruler file without log alerts or records; the tenant dir is Loki's default.
    assert not any("/rules/" in p for p in files if p.startswith("loki/"))


def test_json_field_removal_keeps_the_line_json() -> None:
    text = _spec(
        """\
        source: {files: [/x.log]}
        fields:
          secret: {role: drop}
          token: {role: drop}
        """
    )
    stages = dict(_stages(_reader().read(_body(_generate(text)["loki/api.alloy"]))))
    removal = stages["replace"]["expression"]
    for line in (
        '{"a":1,"secret":"x","b":2}',
        '{"secret":"x \\" y","b":2}',
        '{"a":1, "secret": 12.5}',
        '{"secret":null}',
        '{"token":true,"a":{"secret":"n"},"secret":"z"}',
    ):
        kept = json.loads(re.sub(removal, "", line))
        assert "secret" not in json.dumps(kept) and "token" not in kept, line


def test_regex_format_field_removal() -> None:
    text = _spec(
        r"""
        source: {files: [/x.log]}
        format: regex
        regex: '^(?P<ts>\S+) (?P<user>\w+) (x|y) (?P<msg>.*)$'
        fields:
          ts: {role: timestamp, format: RFC3339}
          user: {role: drop}
          msg: {role: line}
        """
    )
    stages = dict(_stages(_reader().read(_body(_generate(text)["loki/api.alloy"]))))
    assert stages["regex"]["expression"] == r"^(?P<ts>\S+) (?P<user>\w+) (x|y) (?P<msg>.*)$"
    removal = stages["replace"]["expression"]
    assert re.compile(removal).groups == 1
    assert re.sub(removal, lambda m: m.group(0).replace(m.group(1), ""), "t1 bob x hi") == "t1  x hi"


def test_promtail_schema_refuses_a_misspelt_stage() -> None:
    promtail = yaml.safe_load(_paladin()["loki/production/promtail/paladin.yaml"])
    promtail["scrape_configs"][0]["pipeline_stages"].append({"jsn": {"expressions": {}}})
    assert any("jsn" in message for _, message in shape_errors(promtail))


def test_the_readme_example_generates() -> None:
    """The Logs section's spec example is real: it generates, with no Prometheus
    rule file for a service that has only logs."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### Logs (Loki)") :]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    text = "version: 1\n" + block.replace(
        "defaults:\n",
        'defaults:\n  runbook_url: "https://runbooks.example.com/{alert}"\n'
        "  dashboards: {enabled: false}\n",
        1,
    )
    files = _generate(text)
    # The example defines one environment, staging.
    assert sorted(files) == [
        "loki/staging/paladin.alloy",
        "loki/staging/promtail/paladin.yaml",
        "loki/staging/rules/paladin/paladin.yaml",
    ]
