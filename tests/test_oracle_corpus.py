"""`paladin-obs validate` and promtool give the same verdict on the same files.

The corpora (tests/corpus/) hold PromQL expressions and annotation templates,
valid and invalid; each becomes its own rule file, both tools check all files,
and their per-file verdicts are compared. Target dialect: Prometheus 2.42,
the promtool Debian ships.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"

#: Justified differences, by corpus entry name, with the reason. Keep empty if possible.
KNOWN_DIFFERENCES: dict[str, str] = {}


def _promql_files(out: Path) -> dict[Path, tuple[str, str]]:
    data = yaml.safe_load((CORPUS / "promql.yaml").read_text())
    entries: list[dict[str, Any]] = data["expressions"] if isinstance(data, dict) else data
    files = {}
    for i, entry in enumerate(entries):
        path = out / f"promql_{i:03d}.yaml"
        rule = {"record": f"corpus:expr_{i}:test", "expr": entry["expr"]}
        path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [rule]}]}))
        files[path] = (str(entry.get("name", entry["expr"])), entry["verdict"])
    return files


def _template_files(out: Path) -> dict[Path, tuple[str, str]]:
    entries = yaml.safe_load((CORPUS / "templates.yaml").read_text())["templates"]
    files = {}
    for i, entry in enumerate(entries):
        path = out / f"template_{i:03d}.yaml"
        rule = {"alert": f"Corpus{i}", "expr": "up == 0", "annotations": {"description": entry["template"]}}
        path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [rule]}]}))
        files[path] = (entry["name"], entry["verdict"])
    return files


def _promtool_verdicts(run_promtool: Any, files: list[Path]) -> dict[Path, str]:
    # stdout has "Checking F" then "  SUCCESS" for each good file; failures go to stderr.
    result = run_promtool("check", "rules", *files)
    verdicts: dict[Path, str] = {}
    current: Path | None = None
    for line in result.stdout.splitlines():
        match = re.match(r"^Checking (.+)$", line)
        if match:
            current = Path(match.group(1))
            verdicts[current] = "invalid"
        elif current is not None and line.strip().startswith("SUCCESS"):
            verdicts[current] = "valid"
    return verdicts


def _our_verdicts(files: list[Path], directory: Path) -> dict[Path, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    result = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "validate", "--prometheus-version", "2.42", str(directory)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # Lint findings are warnings: promtool loads those files, so they do not count.
    bad = {
        Path(line.split(":", 1)[0])
        for line in result.stdout.splitlines()
        if line.strip() and ": warning: " not in line
    }
    return {f: "invalid" if f in bad else "valid" for f in files}


def test_validate_agrees_with_promtool(tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    files = {**_promql_files(tmp_path), **_template_files(tmp_path)}
    promql = [f for f in files if f.name.startswith("promql")]
    templates = [f for f in files if f.name.startswith("template")]
    assert len(promql) >= 40 and len(templates) >= 10
    assert sum(1 for f in templates if files[f][1] == "invalid") >= 10
    theirs = _promtool_verdicts(run_promtool, sorted(files))
    ours = _our_verdicts(sorted(files), tmp_path)
    disagreements = []
    for path, (name, corpus) in sorted(files.items()):
        if name in KNOWN_DIFFERENCES:
            continue
        if not (corpus == theirs.get(path) == ours[path]):
            disagreements.append(f"{name}: corpus={corpus} promtool={theirs.get(path)} paladin-obs={ours[path]}")
    assert disagreements == []
