"""The dashboard validator on small in-memory dashboards, the fast schema check
against jsonschema, and JSON positions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from paladin_obs.diagnostics import Location
from paladin_obs.validate import VALIDATORS, Settings, Source
from paladin_obs.validate.dashboard_schema import schema
from paladin_obs.validate.json_positions import load_json_bytes
from paladin_obs.validate.schema_fast import compile_schema

CORPUS = Path(__file__).parent.parent / "corpus" / "dashboards"
CLEAN = json.loads((CORPUS / "good" / "clean.json").read_text())


def _check(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    source = Source("d.json", data, lambda path, key: Location("d.json"))
    checked = VALIDATORS["grafana-dashboard"].check([source], Settings())
    return [e.message for e in checked.errors], [f.check for f in checked.findings]


def _edit(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for part in parents:
        node = node[part]
    if isinstance(node, list) and last == len(node):
        node.append(value)
    else:
        node[last] = value
    return data


ROW = {"id": 9, "type": "row", "title": "R", "collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8}}

# edit (dotted path, value), an error that must appear ("" for none), a warning id that must appear
CASES = [
    ("title", "Clean service", "", ""),
    ("panels.1.gridPos", {"x": 12, "y": 0, "w": 12, "h": 0}, "gridPos.h is 0", ""),
    ("panels.1.gridPos", {"x": -1, "y": 0, "w": 12, "h": 8}, "gridPos.x is -1", ""),
    ("panels.1.gridPos", {"x": 12, "y": 3.5, "w": 12, "h": 8}, "", ""),  # fractional y: Grafana compacts
    ("panels.1.gridPos", {"x": 12, "y": 0, "w": 12.5, "h": 8}, "gridPos.w is 12.5", ""),
    ("panels.1.datasource", None, "", "dashboard/templated-datasource"),
    ("schemaVersion", 30, "", ""),
    # PromQL sent to Loki: Loki parses it as LogQL and refuses it.
    ("panels.1.targets.0.datasource", {"type": "loki", "uid": "l"}, "target A: LogQL is invalid at column 10: unexpected label name http_requests_total", "dashboard/templated-datasource"),
    ("panels.1.targets.0.expr", "rate(x[5m]", "panel 'Error ratio' (id 2), target A: PromQL does not parse", ""),
    ("panels.1.fieldConfig.defaults.thresholds", {"mode": "absolute", "steps": [{"color": "g", "value": 3}]}, "", "dashboard/migrated"),
    ("panels.1.type", "", "'' should be non-empty", ""),
    ("uid", "x" * 41, "is too long", ""),
    ("uid", "has space", "does not match", ""),
    ("templating.list.1.type", "select", "is not one of", ""),
    ("panels.2", dict(ROW, panels=[{"id": 10, "type": "stat", "title": "A", "gridPos": {"x": 0, "y": 20, "w": 12, "h": 4}}, {"id": 11, "type": "stat", "title": "B", "gridPos": {"x": 6, "y": 22, "w": 12, "h": 4}}]), "panel 'B' (id 11) overlaps panel 'A' (id 10)", ""),
    ("panels.2", dict(ROW, panels=[{"id": 10, "type": "stat", "title": "A", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 4}}]), "", ""),  # own layout: no overlap with the top level
    ("panels.2", dict(ROW, gridPos={"h": 1, "w": 0, "x": 0, "y": 8}, collapsed=False), "", "dashboard/migrated"),
    ("panels.2", dict(ROW, gridPos={"h": 1, "w": 24, "x": 0, "y": 7}, collapsed=False), "row 'R' (id 9) overlaps panel", ""),
    ("panels.1.targets.0.expr", "topk($missing, x)", "variable $missing is neither defined", ""),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "error", "warning"), CASES, ids=[f"{c[0]}={c[1]!r}"[:60] for c in CASES])
def test_dashboard_cases(path: str, value: Any, error: str, warning: str) -> None:
    errors, warnings = _check(_edit(path, value))
    if error:
        assert any(error in e for e in errors), errors
    else:
        assert errors == []
    if warning:
        assert warning in warnings


def test_non_prometheus_targets_are_not_parsed() -> None:
    data = _edit("panels.1.targets.0.datasource", {"type": "loki", "uid": "l"})
    data["panels"][1]["targets"][0]["expr"] = '{app="x"} |= "error"'
    assert _check(data)[0] == []


@pytest.mark.parametrize("uid", ["$logs", "${logs}", "[[logs]]"])
def test_datasource_variable_of_another_plugin_is_not_parsed(uid: str) -> None:
    """Every variable syntax names the variable, so its plugin (Loki) is known."""
    data = _edit("templating.list.3", {"name": "logs", "type": "datasource", "query": "loki"})
    target = data["panels"][1]["targets"][0]
    target.update(datasource={"type": "datasource", "uid": uid}, expr='{app="x"} |= "error"')
    assert _check(data)[0] == []


def _mutations() -> list[Any]:
    """Every corpus dashboard, and broken variants of one, for the two schema checkers."""
    docs: list[Any] = [json.loads(p.read_text()) for p in sorted(CORPUS.rglob("*.json"))]
    for path, value in [(c[0], c[1]) for c in CASES] + [("panels", "x"), ("time", {"from": 1}), ("refresh", False)]:
        docs.append(_edit(path, value))
    return docs


def test_fast_schema_agrees_with_jsonschema() -> None:
    fast = compile_schema(schema())
    exact = jsonschema.Draft202012Validator(schema())
    verdicts = [(fast(doc), exact.is_valid(doc)) for doc in _mutations()]
    assert all(a == b for a, b in verdicts)
    assert {a for a, _ in verdicts} == {True, False}


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize(
    ("text", "path", "key", "where"),
    [
        ('{\n  "a": [1, {"b": "c"}]\n}', ("a", 1, "b"), False, (2, 18)),
        ('{\n  "a": [1, {"b": "c"}]\n}', ("a", 1, "b"), True, (2, 13)),
        ('{"a": {"b\\"x": [true, null]}}', ("a", 'b"x', 1), False, (1, 23)),
        ('{"a": 1}', ("a", "missing"), False, (1, 7)),
    ],
)
def test_json_positions(text: str, path: tuple[Any, ...], key: bool, where: tuple[int, int]) -> None:
    doc = load_json_bytes(text.encode(), "f.json")
    assert doc.where(path, key=key) == Location("f.json", *where)


def _loki(expr: str, ref: Any = None, panel_ref: Any = None) -> dict[str, Any]:
    """clean.json with a Loki datasource variable ``loki`` and panel 2's target
    on it (or on ``ref``; ``panel_ref`` replaces the panel's datasource)."""
    data = _edit("templating.list.3", {"name": "loki", "type": "datasource", "query": "loki"})
    panel = data["panels"][1]
    if panel_ref is not None:
        panel["datasource"] = panel_ref
    target = panel["targets"][0]
    target.update(expr=expr, datasource=ref if ref is not None else {"type": "loki", "uid": "${loki}"})
    if ref == "":
        del target["datasource"]
    return data


# a Loki target's expr, the error that must appear ("" for none)
LOKI_CASES = [
    ('{app="x"} |= "error" | json | level="error"', ""),
    ('sum by (level) (count_over_time({app="x"} | json [$__auto]))', ""),
    # loki-mixin's form: the range glued to a label filter
    ('sum(rate({job=~"$job"} | logfmt | level="error"[$__auto]))', ""),
    ('sum by (level) (count_over_time({app="x"} [${__interval}])) > $__range_s', ""),
    # a Go template's own variable is not Grafana's: it stays as written
    ('{app="x"} | line_format "{{ $x := .a }}{{ $x }}"', ""),
    ('{app="x"} |~ "(?i)$job"', ""),
    ('{app=~".*"}', "target A: LogQL is invalid at column 1: the stream selector needs at least one matcher"),
    ('sum_over_time({a="b"}[5m])', "target A: LogQL is invalid at column 1: sum_over_time needs an unwrapped value"),
    ('{app="x"} [5m]', "LogQL is invalid at column 11: unexpected range [5m]"),
    ('count_over_time({app="x"} [$__auto]) offset $__interval', "LogQL is invalid at column 38"),
    # PromQL on a Loki datasource: Loki parses it as LogQL
    ("rate(http_requests_total[5m])", "LogQL is invalid at column 6: unexpected label name http_requests_total"),
    # positions are the query's as written, before substitution
    ('{app=~"$job"} |~ "("', "LogQL is invalid at column 18: invalid regex in |~ line filter"),
    ('{app="x"}\n| json\n| level=~"(error"', "LogQL is invalid at 3:10: invalid regex in level=~"),
    ('{app="$nope"}', "target A: variable $nope is neither defined in templating.list nor a Grafana built-in, so Grafana sends it to Loki as is"),
    ("topk($k, sum(count_over_time({app=\"x\"} [$__auto])))", "variable $k is neither defined"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error"), LOKI_CASES, ids=[c[0][:50] for c in LOKI_CASES])
def test_loki_targets_are_checked_as_logql(expr: str, error: str) -> None:
    errors, _ = _check(_loki(expr))
    assert not any("PromQL" in e for e in errors), errors
    if error:
        assert any(e.startswith("panel 'Error ratio' (id 2), target A: ") and error in e for e in errors), errors
    else:
        assert errors == []


def test_a_logql_error_is_located_at_the_targets_expr() -> None:
    source = Source("d.json", _loki('{app=~".*"}'), lambda path, key: Location("d.json", len(path)))
    (error,) = VALIDATORS["grafana-dashboard"].check([source], Settings()).errors
    assert error.path == ("panels", 1, "targets", 0, "expr")
    assert error.location == Location("d.json", 5)


# how a target says it is Loki: (target datasource, panel datasource); "" drops the target's
LOKI_REFS = [
    ({"type": "loki", "uid": "abc"}, None),
    ({"type": "datasource", "uid": "${loki}"}, None),
    ("", {"type": "loki", "uid": "${loki}"}),
    ({"type": "loki", "uid": "${loki}"}, {"type": "datasource", "uid": "-- Mixed --"}),
    ("", "$loki"),
]


@pytest.mark.parametrize(("ref", "panel_ref"), LOKI_REFS, ids=[str(r) for r in LOKI_REFS])
def test_every_way_of_naming_loki_routes_to_logql(ref: Any, panel_ref: Any) -> None:
    valid, _ = _check(_loki('{app="x"} |= "error"', ref, panel_ref))
    assert not any("PromQL" in e or "LogQL" in e for e in valid), valid
    invalid, _ = _check(_loki('{app=~".*"}', ref, panel_ref))
    assert any("LogQL is invalid" in e for e in invalid), invalid


def test_an_exported_dashboards_loki_input_counts() -> None:
    data = _loki('{app=~".*"}', {"type": "loki", "uid": "${DS_LOKI}"})
    data["__inputs"] = [{"name": "DS_LOKI", "type": "datasource", "pluginId": "loki"}]
    data["panels"][1]["targets"][0]["datasource"] = "${DS_LOKI}"
    data["schemaVersion"] = 30  # a string datasource: migrated below 33
    errors, _ = _check(data)
    assert len(errors) == 1 and "LogQL is invalid at column 1" in errors[0]


def test_promql_lint_does_not_read_loki_targets() -> None:
    """rate_interval and job_instance_matchers are PromQL rules: a fixed LogQL
    range or a stream without job/instance is no finding of theirs."""
    errors, warnings = _check(_loki('sum(rate({app="x"} |= "error" [5m]))'))
    assert errors == []
    assert "dashboard/rate-interval" not in warnings
    assert "dashboard/job-instance-matchers" not in warnings
