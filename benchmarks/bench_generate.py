"""Whole-process wall time of `paladin-obs generate` on a spec (default: Paladin's).

Measures what a user waits for in a pre-commit hook: interpreter start-up,
imports, loading, validation and writing. Usage:

    python benchmarks/bench_generate.py [--runs 20] [--spec paladin-obs.yaml]

Prints min / median / max wall seconds over the runs (after one warm-up run).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--spec", default=str(REPO / "paladin-obs.yaml"))
    parser.add_argument("--command", default=shutil.which("paladin-obs") or "paladin-obs")
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as out:
        cmd = [args.command, "generate", "-f", args.spec, "-o", out]
        subprocess.run(cmd, check=True, capture_output=True)  # warm-up: page cache, .pyc files
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    print(f"paladin-obs generate -f {Path(args.spec).name}: {args.runs} runs, wall seconds "
          f"min {min(times):.3f} median {statistics.median(times):.3f} max {max(times):.3f}")


if __name__ == "__main__":
    main()
