"""``paladin-obs validate`` on dashboard JSON: exit codes and messages that name the panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import CliRun

CORPUS = Path(__file__).parent / "corpus" / "dashboards"

# file, exit code, what the output must contain (the panel's title and id, the reason)
BROKEN = [
    ("overlap.json", 1, ["panel 'Error ratio' (id 2) overlaps panel 'Request rate' (id 1)"]),
    ("width_25.json", 1, ["panel 'Error ratio' (id 2): gridPos.w is 25", "panels[1].gridPos.w"]),
    ("past_right_edge.json", 1, ["panel 'Error ratio' (id 2) runs past the grid's right edge"]),
    ("string_datasource.json", 1, ["panel 'Error ratio' (id 2): datasource is the string 'Prometheus'"]),
    ("duplicate_panel_id.json", 1, ["panel 'Error ratio' (id 1): panel id 1 is already used by panel 'Request rate' (id 1)"]),
    ("duplicate_id_in_collapsed_row.json", 1, ["panel 'Saturation' (id 2): panel id 2 is already used", "panels[2].panels[0].id"]),
    ("bad_promql.json", 1, ["panel 'Error ratio' (id 2), target A: PromQL does not parse", "unclosed left parenthesis", "panels[1].targets[0].expr"]),
    ("bad_logql.json", 1, ["panel 'Logs' (id 5), target A: LogQL is invalid at column 1: the stream selector needs at least one matcher", "panels[2].panels[1].targets[0].expr"]),
    ("unknown_variable.json", 1, ["panel 'Error ratio' (id 2), target A: variable $environment is neither defined"]),
    ("missing_unit.json", 0, ["warning: panel 'Error ratio' (id 2) has no unit", "[dashboard/panel-unit]"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "code", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_dashboard_is_named(run_cli: CliRun, name: str, code: int, expected: list[str]) -> None:
    path = CORPUS / "broken" / name
    result = run_cli("validate", path, cwd=CORPUS)
    assert result.returncode == code, result.stdout + result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:"), first  # file:line:column first
    assert first.split(":")[1].isdigit() and first.split(":")[2].isdigit()


GOOD = [
    ("clean.json", []),
    ("variables.json", []),
    ("legacy_forms.json", ["legacy rows[] layout", "a string datasource ('$datasource')"]),
]


@pytest.mark.parametrize(("name", "warnings"), GOOD, ids=[g[0] for g in GOOD])
def test_good_dashboards_pass(run_cli: CliRun, name: str, warnings: list[str]) -> None:
    result = run_cli("validate", CORPUS / "good" / name, cwd=CORPUS)
    assert result.returncode == 0, result.stdout + result.stderr
    for text in warnings:
        assert text in result.stdout
    assert (" error" not in result.stdout) and ("warning" in result.stdout) == bool(warnings)


def test_directory_walk_includes_json_and_keeps_rule_files(run_cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text((CORPUS / "good" / "clean.json").read_text())
    (tmp_path / "r.rules.yaml").write_text(
        "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up\n"
    )
    result = run_cli("validate", tmp_path, cwd=tmp_path)
    assert result.returncode == 1
    assert "r.rules.yaml:5:" in result.stdout and "d.json" not in result.stdout


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ('{"panels": [}', 2, "x.json:1:13: not valid JSON"),
        ('{"version": 1, "services": {}}', 2, "must be a Grafana dashboard"),
        ("[1, 2]", 2, "must be a Grafana dashboard"),
        ('{"panels": [], "x": NaN}', 2, "NaN is not a JSON value"),
        ('{"dashboard": {"title": "T", "panels": [{"type": "stat", "id": 1, "gridPos": {"x": 0, "y": 0, "w": 30, "h": 2}}]}}', 1, "x.json:1:"),
    ],
    ids=["invalid", "spec-in-json", "list", "nan", "api-wrapper"],
)
def test_unusable_json(run_cli: CliRun, tmp_path: Path, text: str, code: int, expected: str) -> None:
    (tmp_path / "x.json").write_text(text)
    result = run_cli("validate", "x.json", cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert expected in result.stdout + result.stderr


def test_wrapper_locates_inside_the_dashboard(run_cli: CliRun, tmp_path: Path) -> None:
    data = json.loads((CORPUS / "broken" / "overlap.json").read_text())
    (tmp_path / "w.json").write_text(json.dumps({"dashboard": data, "meta": {}}, indent=2))
    result = run_cli("validate", "w.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "overlaps panel 'Request rate' (id 1)" in result.stdout
