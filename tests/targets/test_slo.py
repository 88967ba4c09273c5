"""The SLO target: golden files (reviewed by eye) and the contract's invariants."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from paladin_obs.loader import load_file
from paladin_obs.resolve import resolve
from paladin_obs.targets import slo as slo_target

GOLDEN = Path(__file__).parent.parent / "golden" / "slo"


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_golden(tmp_path: Path, case: str, run_promtool: Any) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "-f", str(GOLDEN / case / "spec.yaml"), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = GOLDEN / case / "expected"
    for want in sorted(expected.rglob("*.yaml")):
        got = out / want.relative_to(expected)
        assert got.read_text() == want.read_text(), f"{case}: {want.relative_to(expected)} differs"
    checked = run_promtool("check", "rules", *sorted((out / "rules").rglob("*.yaml")))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_paladin_slo_file_sits_beside_the_service_rules(repo: Path) -> None:
    models = resolve(load_file(repo / "paladin-obs.yaml"))
    for model in models:
        (artifact,) = slo_target.generate(model)
        assert artifact.path == f"rules/{model.environment.name}/paladin.slo.rules.yaml"
        names = [g["name"] for g in artifact.data["groups"]]
        slos = ["api-availability", "api-latency", "llm-availability"]
        assert names == [
            f"sloth-slo-{kind}-paladin-{s}" for s in slos for kind in ("sli-recordings", "meta-recordings", "alerts")
        ]
        # Every rule points back at the SLO that produced it.
        for index, group in enumerate(artifact.data["groups"]):
            for i in range(len(group["rules"])):
                assert artifact.origin(("groups", index, "rules", i)) is not None


def test_recordings_can_be_left_out(tmp_path: Path) -> None:
    spec = yaml.safe_load((GOLDEN / "sloth" / "spec.yaml").read_text())
    spec["defaults"]["slos"]["recordings"] = False
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    (model,) = resolve(load_file(path))
    (artifact,) = slo_target.generate(model)
    assert [g["name"] for g in artifact.data["groups"]] == ["sloth-slo-alerts-myservice-requests-availability"]


def test_a_service_without_slos_has_no_slo_file(tmp_path: Path, repo: Path) -> None:
    (model,) = resolve(load_file(repo / "tests" / "fixtures" / "small.yaml"))
    assert slo_target.generate(model) == []
