"""Empty directories before a timed run by moving them aside, not deleting them.

``python benchmarks/set_aside.py TRASH DIR...`` renames each existing DIR into
a new directory under TRASH (one rename, whatever DIR holds); ``run.py``
deletes TRASH when the whole benchmark is over.

Why not ``rm -rf``: deleting a 500-service fleet's tree (10,000 files, 265 MB)
leaves the file system work to do after ``rm`` returns (freeing and
discarding the blocks, on this project's machine an ext4 mounted with
``discard``), and that work lands on the next timed run. Measured on that
machine with a bare loop creating 10,000 files of 26 KB in 1,000 new
directories, four times in a row: 3.3, 5.1, 7.4, 8.1 s when each tree was
deleted before the next, 0.5, 0.5, 1.0 s when the trees were kept (after a
first 5.9 s while earlier deletions were still settling). A user's
``generate`` does not follow the deletion of another tree that closely; the
benchmark's runs would, one after the other, and charge it to paladin-obs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: set_aside.py TRASH DIR...", file=sys.stderr)
        return 2
    trash = Path(argv[0])
    trash.mkdir(parents=True, exist_ok=True)
    for name in argv[1:]:
        path = Path(name)
        if path.exists() or path.is_symlink():
            path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
