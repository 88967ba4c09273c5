"""``--format json`` on real runs: valid against the packaged schema, the same
exit code as the process, the same findings the text format prints, and the
same bytes on every run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.report.cases import CASES, EXIT
from tests.report.runner import REPO, report_json, run

SCHEMA = json.loads(
    (REPO / "generator" / "paladin_obs" / "schema" / "report.schema.json").read_text()
)


def _text_entry(d: dict[str, Any]) -> str:
    """How the text format shows a finding, rebuilt from its JSON object."""
    where = d["file"] if d["line"] is None else f"{d['file']}:{d['line']}:{d['column'] or 0}"
    level = "" if d["severity"] == "error" else f"{d['severity']}: "
    path = ""
    if d["path"]:
        path = " (at " + re.sub(r"\.\[", "[", ".".join(
            f"[{p}]" if isinstance(p, int) else p for p in d["path"]
        )) + ")"
    tag = f" [{d['check']}]" if d["check"] else ""
    return f"{where}: {level}{d['message']}{path}{tag}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_is_valid_and_agrees_with_text(case: str, tmp_path: Path) -> None:
    cwd, args = CASES[case](tmp_path)
    done = run(*args, "--format", "json", cwd=cwd)
    assert done.returncode == EXIT[case], done.stdout + done.stderr
    data = report_json(done)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["exit_code"] == done.returncode
    assert data["command"] == args[0]
    assert list(data) == [
        "version", "tool", "command", "exit_code", "summary", "counts",
        "problems", "findings", "lines",
    ]
    # The text format of the same run shows the same findings and problems, in order
    # (drift findings aside: JSON locates them at their diff's first change).
    text = run(*args, cwd=cwd)
    assert text.returncode == done.returncode
    shown = set((text.stdout + text.stderr).splitlines())
    for d in data["problems"] + data["findings"]:
        entry = d if not (d["check"] or "").startswith("drift/") else {**d, "line": None}
        assert _text_entry(entry) in shown, (_text_entry(entry), shown)
    everything = data["problems"] + data["findings"]
    assert data["counts"] == {
        s: sum(1 for d in everything if d["severity"] == s) for s in ("error", "warning", "info")
    }
    if data["summary"]:
        assert f"paladin-obs: {data['summary']}\n" in done.stderr


@pytest.mark.parametrize(
    ("case", "expect"),
    [
        # Every kind of content each case is there for.
        ("validate-corpus", {"findings": True, "checks": True, "problems": False}),
        ("validate-invalid-odd-name", {"findings": True, "plain": True}),
        ("validate-unusable", {"problems": True, "plain": True}),
        ("check-drift", {"findings": True, "drift_lines": True, "detail": True}),
        ("check-missing-diff", {"findings": True, "detail": True, "drift_lines": False}),
        ("generate-dry-run", {"lines": True}),
        ("generate-refused", {"problems": True, "detail": True}),
        ("check-clean", {"findings": False, "problems": False}),
    ],
)
def test_each_case_has_what_it_is_for(case: str, expect: dict[str, bool], tmp_path: Path) -> None:
    cwd, args = CASES[case](tmp_path)
    data = report_json(run(*args, "--format", "json", cwd=cwd))
    everything = data["problems"] + data["findings"]
    got = {
        "findings": bool(data["findings"]),
        "problems": bool(data["problems"]),
        "checks": any(d["check"] for d in everything),
        "plain": any(d["check"] is None for d in everything),
        "lines": bool(data["lines"]),
        "detail": any(d["detail"] for d in everything),
        "drift_lines": any(
            (d["check"] or "").startswith("drift/") and d["line"] for d in everything
        ),
    }
    assert {k: got[k] for k in expect} == expect


def test_plan_lines_are_single_lines_of_the_text_plan(tmp_path: Path) -> None:
    cwd, args = CASES["generate-dry-run"](tmp_path)
    data = report_json(run(*args, "--format", "json", cwd=cwd))
    text = run(*args, cwd=cwd)
    assert "\n".join(data["lines"]) + "\n" in text.stdout
    assert any(line.startswith("refuse ") for line in data["lines"])


def test_same_run_same_bytes(tmp_path: Path) -> None:
    cwd, args = CASES["validate-corpus"](tmp_path)
    first = run(*args, "--format", "json", cwd=cwd)
    second = run(*args, "--format", "json", cwd=cwd)
    assert first.stdout == second.stdout
    assert first.stdout.isascii()


def test_schema_rejects_what_it_should() -> None:
    """The schema is not a rubber stamp: each broken document is refused."""
    good: dict[str, Any] = {
        "version": 1, "tool": {"name": "paladin-obs", "version": "0.1.0"}, "command": "lint",
        "exit_code": 1, "summary": "", "counts": {"error": 1, "warning": 0, "info": 0},
        "problems": [],
        "findings": [{
            "file": "a.yaml", "line": 3, "column": 5, "severity": "error", "check": None,
            "message": "bad", "path": ["groups", 0], "detail": None, "source": None,
        }],
        "lines": [],
    }
    validator = jsonschema.Draft202012Validator(SCHEMA)
    validator.validate(good)
    finding = good["findings"][0]
    for broken in (
        {**good, "version": 2},
        {**good, "exit_code": 70},
        {**good, "lines": ["two\nlines"]},
        {**good, "findings": [{**finding, "line": 0}]},
        {**good, "findings": [{**finding, "severity": "fatal"}]},
        {**good, "findings": [{**finding, "check": ""}]},
        {**good, "findings": [{k: v for k, v in finding.items() if k != "column"}]},
        {**good, "extra": True},
    ):
        assert not validator.is_valid(broken), broken


@pytest.mark.parametrize("command", ["validate", "lint", "check", "generate"])
@pytest.mark.parametrize(("fmt", "code"), [("xml", 2), ("JSON", 2)])
def test_format_is_an_option_of_each_reporting_command(
    command: str, fmt: str, code: int, tmp_path: Path
) -> None:
    done = run(command, "--format", fmt, cwd=tmp_path)
    assert done.returncode == code
    assert "'--format'" in done.stderr and "text" in done.stderr and "sarif" in done.stderr
