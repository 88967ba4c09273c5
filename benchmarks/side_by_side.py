"""`paladin-obs generate` of two commits, run alternately: is the change slower?

A busy machine drifts over a minute, so timing all runs of one version and
then all of the other (as hyperfine does) can show a 30% difference that is
only drift. Alternating the two processes run by run puts both under the same
load; the ratio of medians is the figure. Usage:

    python benchmarks/side_by_side.py --before 73c10bb [--pairs 60]

The ``before`` commit is checked out into a temporary git worktree and run
from its own source (``PYTHONPATH``) with this venv's interpreter, each
version on its own copy of the spec it had, into its own output directory.
Both compile their modules to bytecode once, into one fresh cache
(``PYTHONPYCACHEPREFIX``), as an installed package has: a bytecode cache left
over for one tree and not the other would decide the result otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _setup(root: Path, source: Path, name: str) -> Path:
    """A copy of the spec (with what it refers to) as ``source`` had it."""
    work = root / name
    work.mkdir()
    shutil.copy(source / "paladin-obs.yaml", work)
    return work


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="commit to compare with")
    parser.add_argument("--pairs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        old = root / "old-tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(old), args.before],
                       check=True, capture_output=True)
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        try:
            runs = {
                "before": (
                    _setup(root, old, "before"),
                    {**base, "PYTHONPATH": str(old / "generator")},
                ),
                "after": (_setup(root, REPO, "after"), base),
            }
            times: dict[str, list[float]] = {"before": [], "after": []}
            for i in range(args.pairs + 3):
                order = ("before", "after") if i % 2 == 0 else ("after", "before")
                for name in order:
                    work, env = runs[name]
                    cmd = [sys.executable, "-m", "paladin_obs", "generate", "-o", str(work / "out")]
                    elapsed = _time(cmd, env, work)
                    if i >= 3:  # the first pairs warm the disk cache
                        times[name].append(elapsed)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)],
                           check=False, capture_output=True)
    before, after = (statistics.median(times[n]) for n in ("before", "after"))
    print(f"{args.pairs} alternating pairs of `paladin-obs generate`:")
    print(f"  before ({args.before}): median {before:.3f} s, mean {statistics.mean(times['before']):.3f} s")
    print(f"  after (working tree): median {after:.3f} s, mean {statistics.mean(times['after']):.3f} s")
    print(f"  ratio of medians {after / before:.2f}")


if __name__ == "__main__":
    main()
