"""The CLI as users run it: real processes, exit codes, messages, files on disk."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paladin_obs import ownership

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "paladin-obs.yaml"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    env.pop("PALADIN_OBS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "paladin_obs", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env, check=False,
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the repo's spec with its generated output already in place."""
    shutil.copy(SPEC, tmp_path / "paladin-obs.yaml")
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    shutil.copytree(REPO / "dashboards", tmp_path / "dashboards")
    shutil.copytree(REPO / "loki", tmp_path / "loki")
    (tmp_path / "rules" / "hand-written.yaml").write_text("groups: []\n")
    return tmp_path


def test_generate_is_fresh_in_the_repo(tmp_path: Path) -> None:
    result = run("generate", "-f", SPEC, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "rules") == tree_digest(REPO / "rules")


def test_generate_twice_changes_nothing(workdir: Path) -> None:
    before = tree_digest(workdir)
    assert run("generate", cwd=workdir).returncode == 0
    assert tree_digest(workdir) == before


MUTATIONS = [
    # (name, old text, new text, expected location prefix, message fragment)
    ("yaml syntax", "  evaluation_interval: 30s\n", "  evaluation_interval: [30s\n", "paladin-obs.yaml:", "YAML syntax error"),
    ("duplicate key", "  staging:\n", "  staging:\n    labels: {env: staging}\n  staging:\n", "paladin-obs.yaml:", "duplicate key 'staging'"),
    ("unknown key", "    selector: {job: paladin}\n", "    selector: {job: paladin}\n    selectr: {}\n", "paladin-obs.yaml:", "unknown key 'selectr'"),
    ("bad duration", "        for: 5m\n        severity: critical\n      # Seed HighLatency",
     "        for: 5mins\n        severity: critical\n      # Seed HighLatency", "paladin-obs.yaml:", "must be a Prometheus duration"),
    ("unknown template parameter", "        quantile: 0.95\n        threshold: 2s\n",
     "        quantile: 0.95\n        treshold: 2s\n", "paladin-obs.yaml:", "unknown parameter 'treshold'"),
    ("bad promql in expr", "      PaladinMetricsAbsent:\n",
     "      PaladinRawBroken:\n        expr: 'sum(rate(paladin_requests_total[5m]) > 1'\n        severity: info\n"
     "        summary: Broken.\n        description: '{{ $value }}'\n      PaladinMetricsAbsent:\n",
     "paladin-obs.yaml:", "PaladinRawBroken"),
]


@pytest.mark.parametrize(("name", "old", "new", "where", "fragment"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_malformed_spec_exits_2_and_writes_nothing(
    workdir: Path, name: str, old: str, new: str, where: str, fragment: str
) -> None:
    spec = workdir / "paladin-obs.yaml"
    text = spec.read_text()
    assert old in text, f"mutation {name} no longer applies"
    spec.write_text(text.replace(old, new, 1))
    before = tree_digest(workdir / "rules")
    result = run("generate", cwd=workdir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if fragment in line]
    assert lines, result.stderr
    file, line, col = lines[0].split(":")[:3]
    assert file == "paladin-obs.yaml" and int(line) > 0 and int(col) > 0
    assert tree_digest(workdir / "rules") == before


def test_bad_promql_points_at_the_expr(workdir: Path) -> None:
    spec = workdir / "paladin-obs.yaml"
    text = spec.read_text().replace(
        "      PaladinMetricsAbsent:\n",
        "      PaladinRawBroken:\n        expr: 'sum(rate(x[5m]) > 1'\n        severity: info\n"
        "        summary: Broken.\n        description: '{{ $value }}'\n      PaladinMetricsAbsent:\n", 1)
    spec.write_text(text)
    expr_line = text.splitlines().index("        expr: 'sum(rate(x[5m]) > 1'") + 1
    result = run("generate", cwd=workdir)
    # At the value's start (15), or exactly where the parse fails when the generated
    # expression is the spec's text (35: the end of input, after the quote).
    assert re.search(
        rf"paladin-obs\.yaml:{expr_line}:(15|35): .*1:\d+: parse error: unclosed left parenthesis",
        result.stderr,
    ), result.stderr


def test_validate_names_the_rule_with_a_broken_template(tmp_path: Path) -> None:
    rules = tmp_path / "hand.yaml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: DiskFull\n    expr: disk_used > 0.9\n"
        "    annotations:\n      description: '{{ $labels.instance has a full disk'\n"
    )
    result = run("validate", rules)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hand.yaml:7:20: alert 'DiskFull': annotation 'description'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_the_repo(tmp_path: Path) -> None:
    assert run("validate", cwd=REPO).returncode == 0
    result = run("validate", "--prometheus-version", "2.53", REPO / "rules")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [
        (None, 2, "file not found"),
        ("groups: []\n---\ngroups: {bad: [\n", 0, ""),  # like promtool: only the first document
        ("groups: [\n", 2, "YAML syntax error"),
        ("{}\n", 0, ""),  # an empty rule file, as promtool reads it
        ("just: text\n", 2, "not a paladin-obs spec"),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n", 1, "alert 'A'"),
        # Lint findings are warnings: Prometheus loads the file (see test_validate_lint_fatal).
        ("groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n  - record: a\n    expr: up\n", 0, "warning: record 'a'"),
    ],
)
def test_validate_exit_codes(tmp_path: Path, content: str | None, code: int, fragment: str) -> None:
    path = tmp_path / "r.yaml"
    if content is not None:
        path.write_text(content)
    result = run("validate", path)
    assert result.returncode == code, result.stdout + result.stderr
    assert fragment in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


LINTED = (
    "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n  - record: a\n    expr: up\n"
    "  - alert: Watchdog\n    expr: vector(1)\n  - alert: Always\n    expr: rate(x[5m])\n"
)


@pytest.mark.parametrize(
    ("content", "flags", "code"),
    [
        (LINTED, (), 0),
        (LINTED, ("--lint-fatal",), 1),
        (
            "groups:\n- name: g\n  rules:\n  - alert: Watchdog\n    expr: vector(1)\n"
            "    labels: {severity: none}\n    annotations:\n      summary: Always firing.\n"
            "      description: '{{ $value }}: the alerting pipeline works.'\n",
            ("--lint-fatal",),
            0,
        ),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n", (), 1),
    ],
)
def test_validate_lint_fatal(
    tmp_path: Path, run_promtool: Any, content: str, flags: tuple[str, ...], code: int
) -> None:
    """Validity apart from lint, as promtool's ``check rules`` and ``--lint-fatal``."""
    path = tmp_path / "r.yaml"
    path.write_text(content)
    result = run("validate", *flags, path)
    assert result.returncode == code, result.stdout + result.stderr
    oracle = run_promtool("check", "rules", *(["--lint-fatal"] if flags else []), path)
    assert (oracle.returncode == 0) == (code == 0), oracle.stdout + oracle.stderr
    if content is LINTED:
        assert f"{path}:6:5: warning: record 'a' with the same labels" in result.stdout
        assert "[rules/duplicate]" in result.stdout and "[alerts/comparison]" in result.stdout
        # A heartbeat has no comparison on purpose: not flagged (other conventions are).
        assert "'Watchdog' has no comparison" not in result.stdout


def test_check_detects_drift(workdir: Path) -> None:
    assert run("check", cwd=workdir).returncode == 0
    target = workdir / "rules" / "production" / "paladin.rules.yaml"
    target.write_text(target.read_text().replace("for: 10m", "for: 11m"))
    result = run("check", cwd=workdir)
    assert result.returncode == 1
    assert "rules/production/paladin.rules.yaml: edited by hand" in result.stdout
    assert "-    for: 11m\n+    for: 10m\n" in result.stdout  # the diff shows the hand edit


def test_only_one_environment_and_pruning(workdir: Path) -> None:
    # Files a service removed from the spec left behind, one per environment.
    stale = workdir / "rules" / "staging" / "gone.rules.yaml"
    stale.write_bytes(ownership.stamp("yaml", "groups: []\n", "paladin", "staging", "rules/staging/gone.rules.yaml"))
    prod_stale = workdir / "rules" / "production" / "gone.rules.yaml"
    prod_stale.write_bytes(ownership.stamp("yaml", "groups: []\n", "paladin", "production", "rules/production/gone.rules.yaml"))
    # A hand-written file that started as a copy of a generated one, header included.
    copy = workdir / "rules" / "staging" / "mine.rules.yaml"
    copy.write_bytes((workdir / "rules" / "staging" / "paladin.rules.yaml").read_bytes())
    result = run("generate", "--env", "staging", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert prod_stale.exists()  # another environment's tree is not this run's to prune
    assert copy.exists()
    assert run("generate", cwd=workdir).returncode == 0
    assert not prod_stale.exists() and copy.exists()
    assert (workdir / "rules" / "hand-written.yaml").exists()
    assert run("generate", "--env", "nope", cwd=workdir).returncode == 2


def test_schema_command_prints_the_packaged_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].startswith("paladin-obs spec")


def test_usage_errors_exit_2() -> None:
    assert run("generate", "--bogus").returncode == 2
    assert run("validate", "--prometheus-version", "two").returncode == 2


def test_a_hand_written_file_at_a_generated_path_is_never_overwritten(workdir: Path) -> None:
    target = workdir / "rules" / "staging" / "paladin.rules.yaml"
    target.write_text("groups: []  # mine\n")
    before = tree_digest(workdir)
    result = run("generate", cwd=workdir)
    assert result.returncode == 2
    assert "rules/staging/paladin.rules.yaml: conflict: no paladin-obs ownership record" in result.stderr
    assert tree_digest(workdir) == before
    assert run("check", cwd=workdir).returncode == 1


def test_two_specs_share_an_output_directory(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("version: 1\nservices: {alpha: {}}\n")
    (tmp_path / "b.yaml").write_text("version: 1\nservices: {beta: {}}\n")
    assert run("generate", "-f", "a.yaml", "-o", "out", cwd=tmp_path).returncode == 0
    assert run("generate", "-f", "b.yaml", "-o", "out", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "out" / "rules").iterdir()) == ["alpha.rules.yaml", "beta.rules.yaml"]


def test_a_failed_write_leaves_the_tree_as_it_was(workdir: Path) -> None:
    shutil.rmtree(workdir / "rules" / "staging")
    (workdir / "rules" / "staging").write_text("a file where a directory must go\n")
    spec = workdir / "paladin-obs.yaml"
    spec.write_text(spec.read_text().replace("for: 10m", "for: 11m"))  # production is stale now
    before = tree_digest(workdir)
    result = run("generate", cwd=workdir)
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(workdir) == before


@pytest.mark.parametrize(
    "text",
    ["version: 1\nservices: &a\n  s: *a\n", "version: 1\nservices: {}\n\x00\n", "[1, 2]\n", ""],
    ids=["recursive alias", "nul byte", "list", "empty"],
)
def test_odd_specs_exit_2_with_a_location(tmp_path: Path, text: str) -> None:
    (tmp_path / "s.yaml").write_text(text)
    result = run("generate", "-f", "s.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("s.yaml:")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bug_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from paladin_obs import cli, pipeline

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "build", boom)
    monkeypatch.setattr(sys, "argv", ["paladin-obs", "generate", "-f", str(SPEC)])
    monkeypatch.delenv("PALADIN_OBS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert err.startswith("paladin-obs: internal error: RuntimeError: boom") and "Traceback" not in err


def test_hand_edit_stale_refuse_and_force(workdir: Path) -> None:
    """The issue's acceptance, as a user meets it on a committed tree."""
    prod = workdir / "rules" / "production" / "paladin.rules.yaml"
    committed = prod.read_bytes()
    prod.write_bytes(committed.replace(b"severity: critical", b"severity: cr1tical", 1))
    result = run("check", cwd=workdir)
    assert result.returncode == 1
    assert result.stdout.startswith("rules/production/paladin.rules.yaml: edited by hand")
    assert "-      severity: cr1tical\n+      severity: critical\n" in result.stdout
    # A threshold changed in the spec: staging is stale, production still edited.
    spec = workdir / "paladin-obs.yaml"
    spec.write_text(spec.read_text().replace("PaladinHighErrorRate: {threshold: 0.10}", "PaladinHighErrorRate: {threshold: 0.2}"))
    result = run("check", cwd=workdir)
    assert "rules/staging/paladin.rules.yaml: stale" in result.stdout
    assert "+      ) > 0.2\n" in result.stdout
    staging_before = (workdir / "rules" / "staging" / "paladin.rules.yaml").read_bytes()
    refused = run("generate", cwd=workdir)
    assert refused.returncode == 2
    assert "rules/production/paladin.rules.yaml: edited by hand" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert (workdir / "rules" / "staging" / "paladin.rules.yaml").read_bytes() == staging_before
    forced = run("generate", "--force", cwd=workdir)
    assert forced.returncode == 0, forced.stderr
    assert prod.read_bytes() == committed
    assert run("check", cwd=workdir).returncode == 0


def test_dry_run_prints_the_diff_and_writes_nothing(workdir: Path) -> None:
    assert run("generate", "--dry-run", cwd=workdir).returncode == 0
    spec = workdir / "paladin-obs.yaml"
    spec.write_text(spec.read_text().replace("PaladinHighErrorRate: {threshold: 0.10}", "PaladinHighErrorRate: {threshold: 0.2}"))
    before = tree_digest(workdir / "rules")
    result = run("generate", "--dry-run", cwd=workdir)
    assert result.returncode == 1
    assert "update rules/staging/paladin.rules.yaml (stale)" in result.stdout
    assert "-      ) > 0.1\n" in result.stdout and "+      ) > 0.2\n" in result.stdout
    assert "production" not in result.stdout
    full = run("generate", "--dry-run", "--diff", cwd=workdir)
    assert "more diff line(s)" not in full.stdout and len(full.stdout) > len(result.stdout)
    assert tree_digest(workdir / "rules") == before
    assert not (workdir / ".paladin-obs.lock").exists()


def test_output_paths_from_the_spec_stay_in_the_tree(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("version: 1\nenvironments: {'..': {}}\nservices: {a: {}}\n")
    result = run("generate", "-f", "s.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2 and "s.yaml:2:" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "rules").exists()


@pytest.mark.parametrize(("code", "status", "printed"), [(None, 0, ""), (0, 0, ""), (2, 2, ""), (70, 70, ""), ("bad", 1, "bad\n")])
def test_the_console_script_exits_as_python_would(
    code: object, status: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # ``run`` leaves with os._exit (no interpreter teardown): the status must be
    # the one ``sys.exit(code)`` gives.
    from paladin_obs.cli import _exit_status

    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed
