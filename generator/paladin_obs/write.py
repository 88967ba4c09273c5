"""Write generated files atomically and prune only files we generated before.

A file is ours when its first line carries the generated marker; anything
else in the output tree is left alone, so hand-written rules can live beside
generated ones.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from paladin_obs.conventions import GENERATED_MARKER


@dataclass
class Plan:
    """What a write would do; ``check`` reports it, ``generate`` applies it."""

    create: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.create or self.update or self.delete)


def owned(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.readline().startswith(GENERATED_MARKER.encode())
    except OSError:
        return False


def plan(root: Path, files: dict[str, bytes], scopes: tuple[str, ...]) -> Plan:
    result = Plan()
    for rel, content in files.items():
        target = root / rel
        if not target.exists():
            result.create.append(rel)
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
            if path.is_file() and rel not in files and owned(path):
                result.delete.append(rel)
    return result


def apply(root: Path, files: dict[str, bytes], result: Plan) -> None:
    for rel in (*result.create, *result.update):
        _atomic_write(root / rel, files[rel])
    for rel in result.delete:
        (root / rel).unlink()


def _atomic_write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
