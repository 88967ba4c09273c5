"""What a build read: the files and directory listings its output depends on.

The result cache (``cache``) may reuse a build only while everything the
build read is unchanged. Rather than guess that set from the spec (template
directories, built-in templates, files a dashboard refers to), the places
that read input report each read here while a recording is open, so the set
is exactly what was read, whatever the spec says. Code the spec runs
(grafanalib dashboards import anything) cannot be summed up that way: it
marks the build as not reusable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Reads:
    #: File path as opened → sha256 of its bytes.
    files: dict[str, str] = field(default_factory=dict)
    #: Directory searched, with the pattern → the names it matched, sorted.
    listings: dict[str, list[str]] = field(default_factory=dict)
    #: A path as the spec wrote it (absolute, unresolved) → what it resolved to
    #: ("" when it was no directory): a symbolic link moved or a directory
    #: removed changes the build even where no listing does.
    resolved: dict[str, str] = field(default_factory=dict)
    #: Why the build cannot be reused (empty: it can).
    not_reusable: str = ""


_current: Reads | None = None


@contextmanager
def recording() -> Iterator[Reads]:
    """Record every read of the build run inside the ``with`` block."""
    global _current
    previous, _current = _current, Reads()
    try:
        yield _current
    finally:
        _current = previous


def file_read(path: str, data: bytes) -> None:
    if _current is not None:
        _current.files[path] = digest(data)


def listed(directory: str, pattern: str, names: list[str]) -> None:
    if _current is not None:
        _current.listings[f"{directory}\0{pattern}"] = sorted(names)


def resolved_dir(given: str, target: str, is_dir: bool) -> None:
    if _current is not None:
        _current.resolved[given] = target if is_dir else ""


def not_reusable(reason: str) -> None:
    if _current is not None and not _current.not_reusable:
        _current.not_reusable = reason


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def merge(reads: Reads) -> None:
    """Add what a worker process read (``parallel``) to this process's recording."""
    if _current is None:
        return
    _current.files.update(reads.files)
    _current.listings.update(reads.listings)
    _current.resolved.update(reads.resolved)
    if reads.not_reusable:
        not_reusable(reads.not_reusable)
