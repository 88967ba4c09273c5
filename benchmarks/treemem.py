"""Peak memory of a whole process tree: a command and every process it forks.

    python benchmarks/treemem.py [-o FILE] [--interval 0.02] -- COMMAND ...

GNU time's ``%M`` is the peak resident set of the *largest single* process
(``wait4`` reports the biggest child, not the sum), so a tool that forks
workers looks as small as its largest worker. This samples the proportional
set size (PSS: each shared page divided among the processes sharing it, so
copy-on-write pages after a fork count once) of the command and all its
descendants every ``--interval`` seconds and reports the largest sum seen, in
KiB, on stderr or into ``-o FILE`` (like ``time -o``). Linux only (``/proc``).

Sampling can miss a peak shorter than the interval; the tools measured here
hold their peak for hundreds of milliseconds. The command's exit status is
passed through.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        found += [int(child) for child in text.split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone between listing and reading
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def tree_pss_kb(root: int) -> int:
    """The summed PSS of ``root`` and its descendants, now."""
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _pss_kb(pid)
        todo += _children(pid)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", help="write the peak (KiB) here instead of stderr")
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    process = subprocess.Popen(command)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss_kb(process.pid))
        time.sleep(args.interval)
    if args.output:
        Path(args.output).write_text(f"{peak}\n")
    else:
        print(f"peak tree PSS {peak} KiB", file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main())
