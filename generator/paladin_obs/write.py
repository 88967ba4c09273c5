"""Plan and apply the writing of generated files, never destroying work we did not create.

A file is ours only when its ownership record (``ownership``) names this
spec and the file's own path. ``plan`` sorts every file into what ``check``
reports and ``generate`` does: create, stale (update), unchanged, orphaned
(delete), edited by hand (refused unless forced) and conflict (not ours, in
the way: always refused). ``apply`` stages every new file next to its target,
then renames each into place (atomic per file), then deletes orphans: a
process killed at any point leaves each file with its old or its new bytes,
and a rerun finishes the job (staged leftovers carry our record and are
cleaned up). Output never follows a symbolic link: a link at a generated path
is a conflict, a link in a directory path must stay inside the output tree,
and pruning does not descend into linked directories.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from paladin_obs import ownership
from paladin_obs.diagnostics import Diagnostic, InputError, Location

Kind = Literal["create", "stale", "unchanged", "orphaned", "edited", "conflict", "leftover"]
_TEMP = re.compile(r"^\.(?P<name>.+)\.paladin-obs-[A-Za-z0-9_]+\.tmp$")
#: Test hook: pause (until killed) before write step N, announcing it on stderr.
PAUSE_ENV = "PALADIN_OBS_PAUSE_AT_STEP"
_HANDS_OFF = "paladin-obs will not touch it: move it away"


@dataclass(frozen=True)
class OutFile:
    """A generated file's bytes (record included) and its environment."""

    content: bytes
    environment: str


@dataclass(frozen=True)
class Change:
    path: str
    kind: Kind
    #: Bytes on disk now (None when missing), and bytes generated (None when not produced).
    old: bytes | None = None
    new: bytes | None = None
    #: Why a conflict is one, and what to do: shown to the user.
    reason: str = ""


@dataclass
class Plan:
    """What a write would do; ``check`` reports it, ``generate`` applies it."""

    changes: list[Change] = field(default_factory=list)

    def of(self, *kinds: Kind) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    @property
    def clean(self) -> bool:
        return all(c.kind == "unchanged" for c in self.changes)

    def blocked(self, force: bool) -> list[Change]:
        """What stops ``generate``: conflicts always, hand edits unless forced."""
        return self.of("conflict") if force else self.of("conflict", "edited")


def plan(
    root: Path,
    files: dict[str, OutFile],
    identity: str,
    scopes: Iterable[str],
    only_env: str | None = None,
) -> Plan:
    """Compare with disk; unreadable paths are input errors (exit 2), not crashes."""
    try:
        return _Planner(root, identity).run(files, scopes, only_env)
    except OSError as exc:
        where = exc.filename or str(root)
        raise InputError(
            [Diagnostic(Location(str(where)), f"cannot read: {exc.strerror}")]
        ) from None


class _Planner:
    def __init__(self, root: Path, identity: str) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.identity = identity
        #: How the identity appears inside a record (JSON, ASCII-escaped).
        self.needle = json.dumps(identity, ensure_ascii=True).encode("ascii")
        #: ``leaves_tree`` of each directory seen: a fleet writes thousands of
        #: files into a few hundred directories.
        self.escapes: dict[str, str] = {"": ""}

    def run(self, files: dict[str, OutFile], scopes: Iterable[str], only_env: str | None) -> Plan:
        changes = [self.produced(rel, out.content) for rel, out in files.items()]
        for scope in sorted(set(scopes)):
            changes.extend(self.unproduced(scope, files, only_env))
        return Plan(sorted(changes, key=lambda c: c.path))

    def produced(self, rel: str, new: bytes) -> Change:
        target = self.root / rel
        escape = self.leaves_tree(rel)
        if escape:
            return Change(rel, "conflict", None, new, f"{escape}; {_HANDS_OFF}")
        try:
            info = target.lstat()
        except (FileNotFoundError, NotADirectoryError):
            return Change(rel, "create", None, new)
        if stat.S_ISLNK(info.st_mode):
            return Change(rel, "conflict", None, new, f"a symbolic link, never written through; {_HANDS_OFF}")
        if not stat.S_ISREG(info.st_mode):
            return Change(rel, "conflict", None, new, f"not a regular file; {_HANDS_OFF}")
        old = target.read_bytes()
        found = ownership.inspect(old)
        reason = self.not_ours(found, old, rel)
        if reason:
            return Change(rel, "conflict", old, new, reason)
        assert found is not None
        if not found.intact:
            return Change(rel, "edited", old, new)
        if old == new:  # one copy of the bytes, not two: a fleet's files are hundreds of MB
            return Change(rel, "unchanged", new, new)
        return Change(rel, "stale", old, new)

    def leaves_tree(self, rel: str) -> str:
        """Why writing ``rel`` would leave the output tree through a link, or ""."""
        return self.directory_escape("/".join(Path(rel).parts[:-1]))

    def directory_escape(self, directory: str) -> str:
        """``leaves_tree`` of a directory under the root ("" for the root itself):
        the first of its directories, from the root down, that links out."""
        known = self.escapes.get(directory)
        if known is not None:
            return known
        parent, _, _ = directory.rpartition("/")
        found = self.directory_escape(parent)
        if not found:
            probe = self.root / directory
            if probe.is_symlink() and not probe.resolve().is_relative_to(self.real_root):
                found = f"its directory {directory} links out of the output directory"
        self.escapes[directory] = found
        return found

    def not_ours(self, found: ownership.Found | None, content: bytes, rel: str) -> str:
        """Why a file at ``rel`` is not this spec's (what to tell the user), or ""."""
        if found is None:
            legacy = ownership.legacy_owner(content)
            if legacy is not None:
                return (
                    f"generated by an older paladin-obs (from {legacy}) without an ownership "
                    "record; delete it once, then run paladin-obs generate"
                )
            return f"no paladin-obs ownership record (written by hand or another tool); {_HANDS_OFF}"
        record = found.record
        if record.spec != self.identity:
            return f"generated from another spec ({ownership.display(record.spec)}); {_HANDS_OFF}"
        if record.path != rel:
            return f"a copy of {ownership.display(record.path)}, not the file generated here; {_HANDS_OFF}"
        return ""

    def unproduced(self, scope: str, files: dict[str, OutFile], only_env: str | None) -> list[Change]:
        base = self.root / scope
        if base.is_symlink() or not base.is_dir():
            return []
        out = []
        for directory, dirs, names in os.walk(base):
            dirs.sort()
            for name in sorted(names):
                path = Path(directory) / name
                rel = path.relative_to(self.root).as_posix()
                if rel in files or path.is_symlink() or not path.is_file():
                    continue
                change = self.orphan(path, rel, only_env)
                if change is not None:
                    out.append(change)
        return out

    def orphan(self, path: Path, rel: str, only_env: str | None) -> Change | None:
        with path.open("rb") as fh:
            head = fh.read(ownership.HEAD_BYTES)
            temp = _TEMP.match(path.name)
            if temp is None and self.needle not in head:
                return None  # the common case: someone else's file, read no further
            content = head + fh.read()
        found = ownership.inspect(content)
        if temp is not None:
            target = (Path(rel).parent / temp.group("name")).as_posix()
            if not content or (found and found.record.spec == self.identity and found.record.path == target):
                return Change(rel, "leftover", content, None)
            return None
        if found is None or found.record.spec != self.identity or found.record.path != rel:
            return None
        if only_env is not None and found.record.environment != only_env:
            return None
        return Change(rel, "orphaned" if found.intact else "edited", content, None)


def apply(root: Path, result: Plan, *, force: bool = False) -> None:
    """Stage every file next to its target first; replace only when all are staged.

    A failure while staging (a full disk, a file where a directory should be)
    leaves the tree as it was. Renames within a directory are atomic, so a
    reader, or a crash, sees each file either old or new.
    """
    if result.blocked(force):
        raise ValueError("apply() called with a blocked plan")
    writes = [c for c in result.changes if c.new is not None and c.kind in ("create", "stale", "edited")]
    deletes = [c for c in result.changes if c.new is None and c.kind in ("orphaned", "leftover", "edited")]
    steps = _Steps()
    staged: list[tuple[str, Path]] = []
    made: list[Path] = []
    present: set[Path] = set()
    # One flush of the file system for many files: an fsync per file costs a
    # few milliseconds each, a minute for a fleet's thousands of files.
    each = len(writes) <= _FSYNC_EACH_UP_TO
    try:
        for change in writes:
            assert change.new is not None
            target = root / change.path
            _make_dirs(target.parent, made, present)
            staged.append((_stage(target, change.new, steps, sync=each), target))
        if not each:
            _sync_file_systems({target.parent for _, target in staged})
    except OSError:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for directory in reversed(made):
            directory.rmdir()
        raise
    for tmp, target in staged:
        steps.step(f"replace {target}")
        os.replace(tmp, target)
    for change in deletes:
        steps.step(f"delete {change.path}")
        (root / change.path).unlink(missing_ok=True)
        _remove_empty_parents((root / change.path).parent, root)


class _Steps:
    """Numbered write steps, so a test can stop the writer at any one of them."""

    def __init__(self) -> None:
        text = os.environ.get(PAUSE_ENV, "")
        self.pause_at = int(text) if text.isdigit() else 0
        self.count = 0

    def step(self, what: str) -> None:
        self.count += 1
        if self.count == self.pause_at:
            sys.stderr.write(f"paladin-obs: paused before step {self.count} ({what})\n")
            sys.stderr.flush()
            while True:
                time.sleep(60)


def _make_dirs(directory: Path, made: list[Path], present: set[Path]) -> None:
    """Make ``directory`` and its missing parents, noting what was made (to
    undo) and what is known to exist (``present``: one look per directory,
    not per file)."""
    missing = []
    probe = directory
    while probe not in present and not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
    present.update(missing)
    present.add(directory)


#: Up to this many staged files are made durable one by one; more at once.
_FSYNC_EACH_UP_TO = 16


def _sync_file_systems(directories: set[Path]) -> None:
    """Make every staged file durable before any rename, one call per file system.

    Linux's ``syncfs`` flushes the file system holding a directory (one per
    device the files are on: a mount inside the output tree counts); where
    it is missing, ``sync`` flushes all of them.
    """
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    one_per_device: dict[int, Path] = {}
    for directory in sorted(directories):
        one_per_device.setdefault(directory.stat().st_dev, directory)
    for directory in one_per_device.values():
        fd = os.open(directory, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                os.sync()
                return
        finally:
            os.close(fd)


def _syncfs() -> Callable[[int], int] | None:
    try:
        import ctypes

        # The running program's own symbols: libc's, on Linux (no ldconfig lookup).
        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    return function


def _stage(target: Path, content: bytes, steps: _Steps, *, sync: bool = True) -> str:
    steps.step(f"stage {target}")
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.paladin-obs-", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            # Two writes with a step between, so tests can kill us mid-file;
            # the record (in the first lines) is always in the first part.
            cut = _cut(content)
            fh.write(content[:cut])
            fh.flush()
            steps.step(f"finish staging {target}")
            fh.write(content[cut:])
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.chmod(tmp, _mode(target))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _cut(content: bytes) -> int:
    """Half the file, but never before the end of the third line (the record's)."""
    end = 0
    for _ in range(3):
        found = content.find(b"\n", end)
        if found < 0:
            return len(content)
        end = found + 1
    return max(end, len(content) // 2)


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
