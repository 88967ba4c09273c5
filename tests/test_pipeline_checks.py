"""Artifacts checked as they come find what checking each kind's files together finds."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Location
from paladin_obs.diagnostics import Path as DataPath
from paladin_obs.pipeline_checks import Checks
from paladin_obs.validate import VALIDATORS, Settings, Source

CLEAN = json.loads(
    (Path(__file__).parent / "corpus" / "dashboards" / "good" / "clean.json").read_text()
)


def _locate(path: DataPath, key: bool) -> Location:
    return Location("spec.yaml")


def _rules(name: str) -> dict[str, Any]:
    rule = {"alert": name, "expr": "up == 0", "for": "5m", "labels": {"severity": "page"}}
    return {"groups": [{"name": "g", "rules": [rule, dict(rule)]}]}


def _operator(name: str, text: str) -> dict[str, Any]:
    return {
        "apiVersion": gconv.OPERATOR_API_VERSION,
        "kind": "GrafanaDashboard",
        "metadata": {"name": name},
        "spec": {"instanceSelector": {}, "json": text},
    }


def test_each_kind_finds_what_its_validator_finds_on_all_files() -> None:
    sources = {
        conv.PROMETHEUS_RULES_KIND: [Source(f"r{i}.yaml", _rules("A"), _locate) for i in range(2)],
        gconv.DASHBOARD_KIND: [
            Source(f"d{i}.json", copy.deepcopy(CLEAN), _locate) for i in range(3)
        ],
        gconv.OPERATOR_KIND: [
            Source("o1.yaml", _operator("Bad_Name", "[]"), _locate),
            Source("o2.yaml", _operator("ok", "{"), _locate),
        ],
    }
    settings = Settings()
    checks = Checks(settings)
    for i in range(3):  # interleaved, as a target yields them
        for kind, kind_sources in sources.items():
            if i < len(kind_sources):
                checks.add(kind, kind_sources[i])
    found = dict(checks.finish())
    assert list(found) == sorted(sources)
    for kind, kind_sources in sources.items():
        expected = VALIDATORS[kind].check(kind_sources, settings)
        assert (found[kind].errors, found[kind].findings) == (expected.errors, expected.findings)
    assert found[gconv.OPERATOR_KIND].errors
    assert found[gconv.DASHBOARD_KIND].findings


def test_a_kind_without_validator_is_refused() -> None:
    checks = Checks(Settings())
    try:
        checks.add("no-such-kind", Source("x", {}, _locate))
    except LookupError as exc:
        assert "no-such-kind" in str(exc)
    else:
        raise AssertionError("an unknown kind was accepted")
