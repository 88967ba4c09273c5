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
    ("panels.1.datasource", None, "", "dashboard/templated_datasource"),
    ("schemaVersion", 30, "", ""),
    ("panels.1.targets.0.datasource", {"type": "loki", "uid": "l"}, "", "dashboard/templated_datasource"),
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
