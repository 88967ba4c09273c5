from __future__ import annotations

import json

import jsonschema
import pytest

from paladin_obs.loader import load_text
from paladin_obs.spec_schema import schema_text, validate_spec

BASE = "version: 1\nservices:\n  api:\n"


def messages(text: str) -> list[str]:
    return [d.render() for d in validate_spec(load_text(text, "s.yaml"))]


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE + "    bogus: 1\n", "s.yaml:4:5: unknown key 'bogus'; allowed: alerts, dashboards, dependencies"),
        ("version: 2\nservices: {a: {}}\n", "s.yaml:1:10: must be 1, got 2"),
        ("services: {a: {}}\n", "s.yaml:1:1: missing required key 'version'"),
        (BASE + "    selector: {job: on}\n",
         "s.yaml:4:21: expected string, got boolean: YAML 1.1 reads unquoted 'on' as a boolean; quote it (\"on\")"),
        ("version: 1\ndefaults: {prometheus_version: 2.53}\nservices: {a: {}}\n",
         "s.yaml:2:32: 2.53 is a number; quote it: \"2.53\""),
        # Quoting would not help a number without a unit: the message says what would.
        ("version: 1\ndefaults: {evaluation_interval: 30}\nservices: {a: {}}\n",
         "s.yaml:2:33: expected string, got integer: 30 must be a Prometheus duration"),
        (BASE + "    metrics: {m: {type: count}}\n",
         's.yaml:4:25: "count" is not allowed; use one of "counter", "gauge", "histogram", "summary"'),
        (BASE + "    alerts:\n      bad_name: {expr: up, severity: info}\n",
         's.yaml:5:7: invalid name \'bad_name\': must be a CamelCase alert name'),
        (BASE + "    alerts:\n      X: {template: error_ratio}\n", "s.yaml:5:10: missing required key 'severity'"),
        (BASE + "    alerts:\n      X: {severity: info}\n",
         "s.yaml:5:10: needs either 'template' (with its parameters) or 'expr'"),
        (BASE + "    alerts:\n      X: {expr: up, severity: info, summary: S., description: d, threshold: 1}\n",
         "s.yaml:5:66: unknown key 'threshold'; allowed: annotations, description, enabled, expr"),
        (BASE + "    alerts:\n      X: {template: t, severity: info, for: 5minutes}\n",
         's.yaml:5:45: "5minutes" must be a Prometheus duration'),
        (BASE + "    records:\n      notaname: {expr: up}\n",
         "s.yaml:5:7: invalid name 'notaname': must follow the level:metric:operations convention"),
    ],
)
def test_errors_name_what_is_allowed(text: str, expected: str) -> None:
    found = messages(text)
    assert any(m.startswith(expected) for m in found), found


def test_all_errors_at_once() -> None:
    found = messages(BASE + "    bogus: 1\n    metrics: {m: {type: count}}\n")
    assert len(found) == 2


def test_paladin_spec_is_valid(repo) -> None:  # type: ignore[no-untyped-def]
    from paladin_obs.loader import load_file

    assert validate_spec(load_file(repo / "paladin-obs.yaml")) == []
