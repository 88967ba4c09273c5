"""The spec-wide state every resolution step shares.

Resolution never stops at the first problem: each step reports into one list so
a user sees every mistake in the spec at once, in document order. Keeping that
list, and the defaults every step reads, on one small object is what lets the
steps live in separate modules without reaching into each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FsPath
from typing import Any

from paladin_obs import conventions as conv
from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.loader import Document
from paladin_obs.templates import Library, library


class Resolution:
    """One spec document being resolved, with the problems found so far.

    The defaults are read once here, so their own mistakes (a bad evaluation
    interval, a missing template directory) are reported once, before any
    environment's, and not again for each environment.
    """

    def __init__(self, doc: Document, errors: list[Diagnostic]) -> None:
        self.doc = doc
        self.errors = errors
        self.spec: dict[str, Any] = doc.data
        self.defaults: dict[str, Any] = self.spec.get("defaults", {})
        self.version = _version(self.defaults.get("prometheus_version"))
        self.interval = self.duration(
            self.defaults.get("evaluation_interval"), ("defaults", "evaluation_interval")
        )
        self.library = self._library(self.defaults.get("templates", []))
        #: Signals that failed to resolve (reported), by scope path and name:
        #: what needs them is skipped silently rather than reported again.
        self.failed_signals: set[tuple[Path, str]] = set()

    def err(self, path: Path, message: str, *, key: bool = False) -> None:
        """Record a problem at a spec path (its key rather than its value if ``key``)."""
        self.errors.append(self.doc.at(path, message, key=key))

    def signal_failed(self, scope_path: Path, name: str) -> bool:
        """Whether the scope's ``name`` signal was reported broken already."""
        return (scope_path, name) in self.failed_signals

    def report(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record problems already located elsewhere (in a template file, say)."""
        self.errors.extend(diagnostics)

    def duration(self, text: str | None, path: Path) -> Duration | None:
        """The parsed duration, or None when absent or invalid (the latter reported)."""
        if text is None:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            self.err(path, str(exc))
            return None

    def _library(self, dirs: list[str]) -> Library:
        # Relative to the spec file, not the working directory, so a spec means
        # the same wherever the tool runs.
        base = FsPath(self.doc.file).resolve().parent
        paths = []
        for i, text in enumerate(dirs):
            path = (base / text).resolve()
            inputs.resolved_dir(str(base / text), str(path), path.is_dir())
            if not path.is_dir():
                self.err(
                    ("defaults", "templates", i),
                    f"template directory {text!r} not found (resolved to {path})",
                )
            paths.append(path)
        return library(tuple(paths))


def _version(text: str | None) -> tuple[int, int]:
    # The schema has already checked the "major.minor" shape.
    if text is None:
        return conv.DEFAULT_PROMETHEUS_VERSION
    major, minor = text.split(".")
    return int(major), int(minor)
