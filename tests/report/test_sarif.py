"""``--format sarif`` on real runs, checked against the official SARIF 2.1.0 JSON
Schemas (OASIS: the committee specification's draft-07 schema and the errata01
standard's draft-04 one, see SARIF_SCHEMA_ORIGIN.md), and against the JSON
report of the same run: one result per problem and finding, at the same spot,
with a described rule for each rule id."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest
from tests.report.cases import CASES, EXIT
from tests.report.runner import report_json, run

from paladin_obs.lint.registry import checks
from paladin_obs.report import rules as report_rules

HERE = Path(__file__).resolve().parent
SCHEMAS = {
    name: json.loads((HERE / name).read_text())
    for name in ("sarif-schema-2.1.0.json", "sarif-schema-2.1.0-errata01.json")
}
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _root_of(cwd: Path) -> Path:
    for directory in (cwd.resolve(), *cwd.resolve().parents):
        if (directory / ".git").exists():
            return directory
    raise AssertionError(f"no repository around {cwd}")


@pytest.mark.parametrize("schema", sorted(SCHEMAS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_sarif_is_valid_and_matches_the_report(case: str, schema: str, tmp_path: Path) -> None:
    cwd, args = CASES[case](tmp_path)
    done = run(*args, "--format", "sarif", cwd=cwd)
    assert done.returncode == EXIT[case], done.stdout + done.stderr
    log = json.loads(done.stdout)
    validator = jsonschema.validators.validator_for(SCHEMAS[schema])
    validator(SCHEMAS[schema]).validate(log)

    # The reference run gets its own copy of the input: generate changes its own.
    twin, _ = CASES[case](tmp_path / "twin")
    expected = report_json(run(*args, "--format", "json", cwd=twin))
    diagnostics = expected["problems"] + expected["findings"]
    (sarif_run,) = log["runs"]
    root = _root_of(cwd)
    assert sarif_run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.as_uri() + "/"}}
    assert sarif_run["invocations"][0]["exitCode"] == done.returncode
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    results = sarif_run["results"]
    assert len(results) == len(diagnostics)
    assert {r["ruleId"] for r in results} == set(ids)
    for result, d in zip(results, diagnostics, strict=True):
        assert result["ruleId"] == (d["check"] or "invalid")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == _LEVEL[d["severity"]]
        assert result["message"]["text"].startswith(d["message"])
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        relative = (cwd / d["file"]).resolve().relative_to(root).as_posix()
        assert physical["artifactLocation"] == {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}
        region = {"startLine": d["line"], "startColumn": d["column"]}
        assert physical.get("region", {}) == {k: v for k, v in region.items() if v is not None}


def test_rules_carry_the_checks_documentation(tmp_path: Path) -> None:
    cwd, args = CASES["validate-corpus"](tmp_path)
    log = json.loads(run(*args, "--format", "sarif", cwd=cwd).stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) >= 5
    known = checks()
    for rule in rules:
        info = known[rule["id"]]
        assert rule["shortDescription"]["text"].lower() == info.summary.replace("``", "`").lower()
        assert info.doc.replace("``", "`")[:40] in rule["fullDescription"]["text"]
        assert f"paladin-obs explain {rule['id']}" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == _LEVEL[info.severity]


def test_every_rule_id_a_report_can_carry_is_described() -> None:
    """Lint checks, drift kinds and plain validity errors: none falls back to its bare id."""
    from paladin_obs.commands import files

    drift = {check for check, _ in files._MESSAGES.values()} | {"drift/edited", "drift/conflict"}
    for rule in sorted(set(checks()) | drift | {report_rules.INVALID}):
        text = report_rules.describe(rule)
        assert text.summary != rule and text.summary, rule
        assert text.doc, rule


def test_a_file_outside_the_repository_is_an_absolute_uri(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    outside = tmp_path / "outside.yaml"
    outside.write_text("groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up ==\n")
    done = run("validate", "../outside.yaml", "--format", "sarif", cwd=root)
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    assert any(r["level"] == "error" for r in results)
    for result in results:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": outside.resolve().as_uri()}


def test_same_run_same_bytes(tmp_path: Path) -> None:
    cwd, args = CASES["validate-corpus"](tmp_path)
    first = run(*args, "--format", "sarif", cwd=cwd).stdout
    assert first == run(*args, "--format", "sarif", cwd=cwd).stdout
    assert first.isascii()




def test_the_schemas_are_real_guards() -> None:
    """Each schema refuses a log our renderer must never write."""
    broken = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "paladin-obs"}}, "results": [
            {"ruleId": "x", "level": "fatal", "message": {"text": "m"}}
        ]}],
    }
    for schema in SCHEMAS.values():
        validator = jsonschema.validators.validator_for(schema)(schema)
        assert not validator.is_valid(broken)
        assert not validator.is_valid({**broken, "version": "2.0.0"})
