"""benchmarks/treemem.py counts forked workers, which GNU time's %M does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREEMEM = ROOT / "benchmarks" / "treemem.py"

# A parent and a forked child each touch 120 MiB of their own for a second.
FORKS = """
import os, time
block = bytearray(120 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
pid = os.fork()
if pid == 0:
    mine = bytearray(120 * 1024 * 1024)
    for i in range(0, len(mine), 4096):
        mine[i] = 1
    time.sleep(1.0)
    os._exit(0)
time.sleep(1.0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_tree_memory_counts_a_forked_child(tmp_path: Path) -> None:
    out = tmp_path / "peak.txt"
    result = subprocess.run(
        [sys.executable, str(TREEMEM), "-o", str(out), "--", sys.executable, "-c", FORKS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    peak_mib = int(out.read_text()) / 1024
    # Parent's block (shared copy-on-write, counted once) + child's own block.
    assert peak_mib > 230, peak_mib


def test_exit_status_is_passed_through(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(TREEMEM), "-o", str(tmp_path / "p"), "--", sys.executable, "-c",
         "raise SystemExit(3)"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 3
