"""``--format github``: workflow commands parsed back as the runner reads them.

A small parser (properties split on ``,`` and ``=``, then GitHub's unescaping)
reads every line of real runs; what it reads must be the findings of the JSON
report of the same run, with paths from the repository root. Hostile text
(newlines, ``%``, ``,``, ``:``) must survive the round trip and never end a
property or the command early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.report.cases import CASES, EXIT
from tests.report.runner import report_json, run

from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.report import Report
from paladin_obs.report.github import render
from paladin_obs.report.paths import Repository

_LINE = re.compile(r"^::(?P<command>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
_ESCAPE = re.compile(r"%(25|0D|0A|3A|2C)")
_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class Annotation:
    command: str
    properties: dict[str, str]
    message: str


def parse(line: str) -> Annotation:
    match = _LINE.match(line)
    assert match, line
    properties: dict[str, str] = {}
    for item in (match["props"] or "").split(","):
        key, sep, value = item.partition("=")
        assert sep and key not in properties, line
        properties[key] = _unescape(value)
    return Annotation(match["command"], properties, _unescape(match["message"]))


def _root_of(cwd: Path) -> Path:
    for directory in (cwd.resolve(), *cwd.resolve().parents):
        if (directory / ".git").exists():
            return directory
    raise AssertionError(cwd)


@pytest.mark.parametrize("case", sorted(CASES))
def test_lines_parse_back_to_the_findings(case: str, tmp_path: Path) -> None:
    cwd, args = CASES[case](tmp_path)
    done = run(*args, "--format", "github", cwd=cwd)
    assert done.returncode == EXIT[case], done.stdout + done.stderr
    # The reference run gets its own copy of the input: generate changes its own.
    twin, _ = CASES[case](tmp_path / "twin")
    expected = report_json(run(*args, "--format", "json", cwd=twin))
    diagnostics = expected["problems"] + expected["findings"]
    lines = done.stdout.splitlines()
    assert len(lines) == len(diagnostics)
    root = _root_of(cwd)
    for line, d in zip(lines, diagnostics, strict=True):
        got = parse(line)
        assert got.command == _COMMAND[d["severity"]]
        want = {"file": (cwd / d["file"]).resolve().relative_to(root).as_posix()}
        if d["line"] is not None:
            want["line"] = str(d["line"])
        if d["column"] is not None:
            want["col"] = str(d["column"])
        want["title"] = d["check"] or "paladin-obs"
        assert got.properties == want
        assert got.message.startswith(d["message"])
        if d["detail"]:
            assert got.message.endswith("\n" + d["detail"].rstrip("\n"))
    # Nothing else on standard output; the summary is plain text on standard error.
    assert done.stderr.endswith(f"paladin-obs: {expected['summary']}\n" if expected["summary"] else "")
    assert not any(line.startswith("::") for line in done.stderr.splitlines())


def test_check_on_drift_prints_one_located_error_per_file(tmp_path: Path) -> None:
    cwd, args = CASES["check-drift"](tmp_path)
    done = run(*args, "--format", "github", cwd=cwd)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.match(r"^::error file=svc/rules/(production|staging)/checkout\.rules\.yaml,line=\d+,", line)
    by_file = {parse(line).properties["file"]: parse(line) for line in lines}
    stale = by_file["svc/rules/production/checkout.rules.yaml"]
    edited = by_file["svc/rules/staging/checkout.rules.yaml"]
    assert stale.properties["title"] == "drift/stale"
    assert edited.properties["title"] == "drift/edited"
    # The line is the first one the diff changes, in the file on disk (which has an
    # ownership record line the diff leaves out): the spec changed `for` in both.
    for annotation in (stale, edited):
        on_disk = (cwd.parent / annotation.properties["file"]).read_text().splitlines()
        assert on_disk[int(annotation.properties["line"]) - 1] == "    for: 10m"


@pytest.mark.parametrize(
    ("file", "message", "check", "detail"),
    [
        ("plain.yaml", "nothing odd", "", ""),
        ("a,b:c%d.yaml", "50% of it, twice: once\nand again\r\n", "promql/x", ""),
        ("x.yaml", "%0A is not a newline, %25 not a percent", "a/b", ""),
        ("x.yaml", "::error file=evil::injected", "", "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"),
        ("dir/with space/and,comma.yaml", "title: with colon", "drift/stale", "line\r\nline\n"),
        ("ünïcode.yaml", "naïve — ok", "", ""),
    ],
)
def test_hostile_text_survives_the_round_trip(
    file: str, message: str, check: str, detail: str, tmp_path: Path
) -> None:
    repository = Repository(tmp_path, tmp_path)
    d = Diagnostic(Location(file, 3, 7), message, ("groups", 0), check, "warning", detail)
    out = render(Report(findings=(d,)), "validate", repository).out
    assert out.endswith("\n") and out.count("\n") == 1 and "\r" not in out
    got = parse(out.rstrip("\n"))
    assert got.properties == {"file": file, "line": "3", "col": "7", "title": check or "paladin-obs"}
    text = message + " (at groups[0])"
    assert got.message == (text + "\n" + detail.rstrip("\n") if detail else text)


@pytest.mark.parametrize(
    ("workspace", "cwd_under", "file_shown"),
    [
        # GITHUB_WORKSPACE wins over the .git found upwards.
        ("repo/svc", "repo/svc", "rules/production/checkout.rules.yaml"),
        (None, "repo/svc", "svc/rules/production/checkout.rules.yaml"),
        # A workspace that does not hold the file: the path stays as given.
        ("elsewhere", "repo/svc", "rules/production/checkout.rules.yaml"),
    ],
)
def test_paths_are_relative_to_the_repository(
    workspace: str | None, cwd_under: str, file_shown: str, tmp_path: Path
) -> None:
    _, args = CASES["check-drift"](tmp_path)
    (tmp_path / "elsewhere").mkdir()
    env = {"GITHUB_WORKSPACE": str(tmp_path / workspace)} if workspace else {}
    done = run(*args, "--format", "github", cwd=tmp_path / cwd_under, env=env)
    files = {parse(line).properties["file"] for line in done.stdout.splitlines()}
    assert file_shown in files
