"""Two teams, two specs with the same file name, one shared output tree.

Ownership is by the spec's identity (its path relative to the output
directory here), so each team's generate, check and prune leaves the other
team's files byte-identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def spec(*services: str) -> str:
    body = "".join(
        f"  {s}:\n    selector: {{job: {s}}}\n    metrics: {{up: {{type: gauge}}}}\n"
        f"    alerts:\n      {s.capitalize()}Down:\n        expr: 'up{{job=\"{s}\"}} == 0'\n"
        f"        severity: critical\n        summary: {s} is down.\n        description: '{{{{ $labels.instance }}}} is down.'\n"
        for s in services
    )
    return "version: 1\ndefaults: {runbook_url: 'https://rb.test/{alert}'}\n" \
        "environments: {production: {labels: {env: production}}}\nservices:\n" + body


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    return subprocess.run([sys.executable, "-m", "paladin_obs", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def files(root: Path, prefix: str) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "rules").rglob("*"))
            if p.is_file() and p.name.startswith(prefix)}


def test_two_specs_of_the_same_name_share_one_tree(tmp_path: Path) -> None:
    for team, services in (("team-a", ("alpha", "beta")), ("team-b", ("gamma",))):
        (tmp_path / team).mkdir()
        (tmp_path / team / "paladin-obs.yaml").write_text(spec(*services))
    a = ("-f", "team-a/paladin-obs.yaml", "-o", ".")
    b = ("-f", "team-b/paladin-obs.yaml", "-o", ".")
    assert run(tmp_path, "generate", *a).returncode == 0
    assert run(tmp_path, "generate", *b).returncode == 0
    team_b = files(tmp_path, "gamma")
    assert list(team_b) == ["rules/production/gamma.rules.yaml"]
    assert b'"spec":"team-b/paladin-obs.yaml"' in team_b["rules/production/gamma.rules.yaml"]
    # Each team's check sees only its own files, and both are clean.
    for args in (a, b):
        result = run(tmp_path, "check", *args)
        assert result.returncode == 0, result.stdout + result.stderr
    # Team A drops a service: its file is pruned, team B's stay byte-identical.
    (tmp_path / "team-a" / "paladin-obs.yaml").write_text(spec("alpha"))
    check_a = run(tmp_path, "check", *a)
    assert check_a.returncode == 1
    assert "rules/production/beta.rules.yaml: orphaned" in check_a.stdout
    assert "gamma" not in check_a.stdout
    assert run(tmp_path, "generate", *a).returncode == 0
    assert not (tmp_path / "rules/production/beta.rules.yaml").exists()
    assert files(tmp_path, "gamma") == team_b
    # Team B renames its service and prunes the old file: team A's file stays.
    team_a = files(tmp_path, "alpha")
    (tmp_path / "team-b" / "paladin-obs.yaml").write_text(spec("delta"))
    assert run(tmp_path, "generate", *b).returncode == 0
    assert files(tmp_path, "gamma") == {}
    assert list(files(tmp_path, "delta")) == ["rules/production/delta.rules.yaml"]
    assert files(tmp_path, "alpha") == team_a
    assert run(tmp_path, "check", *a).returncode == 0


def test_a_file_of_another_spec_in_the_way_is_a_conflict(tmp_path: Path) -> None:
    for team in ("team-a", "team-b"):
        (tmp_path / team).mkdir()
        (tmp_path / team / "paladin-obs.yaml").write_text(spec("alpha"))
    assert run(tmp_path, "generate", "-f", "team-a/paladin-obs.yaml").returncode == 0
    before = files(tmp_path, "alpha")
    result = run(tmp_path, "generate", "-f", "team-b/paladin-obs.yaml")
    assert result.returncode == 2
    assert "rules/production/alpha.rules.yaml: conflict: generated from another spec (team-a/paladin-obs.yaml)" in result.stderr
    assert files(tmp_path, "alpha") == before
    assert run(tmp_path, "generate", "-f", "team-b/paladin-obs.yaml", "--force").returncode == 2  # never forced
