"""Write generated files, atomically as a set, and prune only files we generated before.

A file is ours when its first line carries the generated marker naming the
same spec: hand-written rules can live beside generated ones, and two specs can
share an output directory without pruning each other's files. A file we did
not generate standing where we would write is a conflict, never overwritten.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from paladin_obs.conventions import header_owner
from paladin_obs.diagnostics import Diagnostic, InputError, Location


@dataclass
class Plan:
    """What a write would do; ``check`` reports it, ``generate`` applies it."""

    create: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Files at a generated path that this spec did not generate.
    conflicts: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.create or self.update or self.delete or self.conflicts)


def _owned(path: Path, spec_name: str) -> bool:
    with path.open("rb") as fh:
        first = fh.readline(4096).decode("utf-8", "replace")
    return header_owner(first) == spec_name


def plan(root: Path, files: dict[str, bytes], scopes: tuple[str, ...], spec_name: str) -> Plan:
    """Compare with disk; unreadable paths are input errors (exit 2), not crashes."""
    try:
        return _plan(root, files, scopes, spec_name)
    except OSError as exc:
        where = exc.filename or str(root)
        raise InputError(
            [Diagnostic(Location(str(where)), f"cannot read: {exc.strerror}")]
        ) from None


def _plan(root: Path, files: dict[str, bytes], scopes: tuple[str, ...], spec_name: str) -> Plan:
    result = Plan()
    for rel, content in files.items():
        target = root / rel
        if not target.exists() and not target.is_symlink():
            result.create.append(rel)
        elif target.is_dir() or not _owned(target, spec_name):
            result.conflicts.append(rel)
        elif target.read_bytes() != content:
            result.update.append(rel)
        else:
            result.unchanged.append(rel)
    for scope in scopes:
        base = root / scope
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if rel in files or not path.is_file() or path.is_symlink():
                continue
            if _owned(path, spec_name):
                result.delete.append(rel)
    return result


def apply(root: Path, files: dict[str, bytes], result: Plan) -> None:
    """Stage every file next to its target first; replace only when all are staged.

    A failure while staging (a full disk, a file where a directory should be)
    leaves the tree as it was. Renames within a directory are atomic, so a
    reader sees each file either old or new.
    """
    staged: list[tuple[str, Path]] = []
    made: list[Path] = []
    try:
        for rel in (*result.create, *result.update):
            target = root / rel
            _make_dirs(target.parent, made)
            staged.append((_stage(target, files[rel]), target))
    except OSError:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for directory in reversed(made):
            directory.rmdir()
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    for rel in result.delete:
        (root / rel).unlink()
        _remove_empty_parents((root / rel).parent, root)


def _make_dirs(directory: Path, made: list[Path]) -> None:
    missing = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _stage(target: Path, content: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, _mode(target))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _mode(target: Path) -> int:
    """Keep an existing file's mode; a new file gets what the umask allows."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _remove_empty_parents(directory: Path, root: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
