"""Smoke test of the big-rule-file generator: deterministic, and promtool and we accept its files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "bigrules.py"


def _generate(tmp_path: Path, kind: str, alerts: int, seed: int) -> Path:
    out = tmp_path / f"{kind}-{alerts}-{seed}.yaml"
    subprocess.run(
        [sys.executable, SCRIPT, "--kind", kind, "--alerts", str(alerts), "-o", out, "--seed", str(seed)],
        check=True,
    )
    return out


@pytest.mark.parametrize("kind", ["templated", "mixed"])
def test_files_are_deterministic_valid_and_varied(kind: str, tmp_path: Path, run_promtool, run_cli) -> None:  # type: ignore[no-untyped-def]
    first = _generate(tmp_path, kind, 300, 1)
    (tmp_path / "again").mkdir()
    assert first.read_bytes() == _generate(tmp_path / "again", kind, 300, 1).read_bytes()
    assert first.read_bytes() != _generate(tmp_path, kind, 300, 2).read_bytes()
    text = first.read_text()
    rules = text.count("- alert:") + text.count("- record:")
    assert rules == 300
    if kind == "templated":
        assert text.count("- alert:") == 300
        descriptions = [line for line in text.splitlines() if "description:" in line]
        assert len(set(descriptions)) > 50  # varied per alert, not one text repeated
    else:
        assert "- record:" in text and ": |" in text and ": >" in text and "#" in text
    checked = run_promtool("check", "rules", first)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ours = run_cli("validate", first, cwd=tmp_path)
    assert ours.returncode == 0, ours.stdout + ours.stderr
