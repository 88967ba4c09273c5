"""An empty rule file is valid, as promtool reads it: no document, ``null``,
``{}``, ``groups: []``, a groups key with no value. Real promtool is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CliRun, PromtoolRun

EMPTY_FILES = [
    ("zero bytes", ""),
    ("only a newline", "\n"),
    ("only a comment", "# nothing here yet\n"),
    ("empty mapping", "{}\n"),
    ("null", "null\n"),
    ("tilde", "~\n"),
    ("document marker only", "---\n"),
    ("empty document then end marker", "---\n...\n"),
    ("no groups", "groups: []\n"),
    ("groups without value", "groups:\n"),
    ("groups null", "groups: null\n"),
    ("empty mapping with comment", "# rendered by a mixin with no rules\n{}\n"),
]


@pytest.mark.parametrize(("name", "content"), EMPTY_FILES, ids=[n for n, _ in EMPTY_FILES])
def test_empty_rule_file_is_valid(
    tmp_path: Path, run_promtool: PromtoolRun, run_cli: CliRun, name: str, content: str
) -> None:
    path = tmp_path / "empty.rules.yaml"
    path.write_text(content)
    oracle = run_promtool("check", "rules", path)
    assert oracle.returncode == 0, f"promtool refuses {name!r}: {oracle.stderr}"
    ours = run_cli("validate", path, cwd=tmp_path)
    assert ours.returncode == 0, ours.stdout + ours.stderr
    assert ours.stdout.strip() == "" and "Traceback" not in ours.stderr


def test_empty_rule_files_in_a_directory(tmp_path: Path, run_promtool: PromtoolRun, run_cli: CliRun) -> None:
    files = []
    for i, (_, content) in enumerate(EMPTY_FILES):
        files.append(tmp_path / f"r{i:02d}.yaml")
        files[-1].write_text(content)
    assert run_promtool("check", "rules", *files).returncode == 0
    ours = run_cli("validate", tmp_path, cwd=tmp_path)
    assert ours.returncode == 0, ours.stdout + ours.stderr
