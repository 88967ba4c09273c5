"""Paths as a repository sees them, for annotations that point into it.

GitHub attaches a workflow command's annotation, and code scanning a SARIF
result, to a file by its path from the repository root; a path relative to
wherever paladin-obs ran (``-o gen``, a subdirectory of a monorepo) would
point nowhere. The root is ``GITHUB_WORKSPACE`` on a GitHub runner, else the
nearest directory upwards holding ``.git`` (a directory, or a file for
worktrees and submodules; looked up on disk, as starting git would cost more
than the whole report), else the current directory. A path outside the root
cannot be expressed from it and stays as given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


def repository_root(cwd: Path, environ: Mapping[str, str]) -> Path:
    workspace = environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(os.path.realpath(workspace))
    here = Path(os.path.realpath(cwd))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


@dataclass(frozen=True)
class Repository:
    """Resolves reported file names against one root, seen from one directory."""

    root: Path
    cwd: Path

    @classmethod
    def here(cls, environ: Mapping[str, str] | None = None) -> Repository:
        cwd = Path.cwd()
        return cls(repository_root(cwd, os.environ if environ is None else environ), cwd)

    def absolute(self, file: str) -> Path:
        """``file`` made absolute from the current directory without resolving
        the file's own symlinks (a link inside the repository is reported where
        it stands)."""
        return Path(os.path.normpath(os.path.join(os.path.realpath(self.cwd), file)))

    def relative(self, file: str) -> str | None:
        """``file`` from the root with ``/`` separators, or None when outside it.

        An absolute ``file`` through a symlinked directory (``/tmp`` on some
        systems) is tried resolved too, as the root is resolved.
        """
        for candidate in (self.absolute(file), Path(os.path.realpath(self.absolute(file)))):
            try:
                inside = candidate.relative_to(self.root)
            except ValueError:
                continue
            return str(PurePosixPath(*inside.parts)) if inside.parts else None
        return None

    def shown(self, file: str) -> str:
        """``file`` from the root when inside it, else as given."""
        relative = self.relative(file)
        return file if relative is None else relative
