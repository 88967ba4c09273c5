"""Same spec, same bytes: across hash seeds, and between two runs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generate(out: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator"), "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "-f", str(REPO / "paladin-obs.yaml"), "-o", str(out)],
        check=True, env=env, capture_output=True,
    )
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_hash_seed_does_not_change_output(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", "1")
    second = generate(tmp_path / "b", "2")
    assert first and first == second
