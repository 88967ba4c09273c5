"""One writer per output tree: an advisory lock on ``<root>/.paladin-obs.lock``.

``flock`` locks belong to the open file, so the kernel drops them when the
holder dies, even by ``kill -9``: a lock left by a killed run is simply free
again, with no pid guessing. The lock file is removed on release; a waiter
that locked a file which was removed meanwhile retries on the new one, so
two runs never both believe they hold the lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".paladin-obs.lock"
#: How long a second ``generate`` waits for the first, by default.
DEFAULT_TIMEOUT = 10.0
_POLL = 0.05


class LockTimeout(Exception):
    """Another process holds the tree's lock; ``holder`` says who, if known."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"{path}: locked by {holder or 'another process'}")


@contextlib.contextmanager
def tree_lock(root: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    path = root / LOCK_NAME
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            if _try_lock(fd) and _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        holder = _holder(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise LockTimeout(path, holder)
        time.sleep(_POLL)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _same_file(fd: int, path: Path) -> bool:
    """False when the file we locked was unlinked by its last holder meanwhile."""
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
