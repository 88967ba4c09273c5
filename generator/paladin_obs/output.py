"""What a build produced, apart from how it was built.

Kept out of ``pipeline`` so that the commands which only compare or write a
build's output (a cached one included) need not import the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.write import OutFile

if TYPE_CHECKING:
    from paladin_obs.validate.base import Source


@dataclass(frozen=True)
class Output:
    """Rendered files by relative path, who owns them, and where we may prune."""

    files: dict[str, OutFile]
    #: The spec's identity, recorded in every file: its ``id``, or its path
    #: relative to the output directory.
    identity: str
    #: Directories whose files of ours that are no longer produced get pruned.
    scopes: tuple[str, ...]
    #: Lint findings on valid output; only ``error`` ones block ``generate``.
    findings: tuple[Diagnostic, ...] = ()
    #: The Prometheus rule files as validated (located in the spec), so a
    #: hand-written file can be checked against them (duplicates). Not kept
    #: by the cache: only ``lint`` and ``validate`` read it, and they build.
    rule_sources: tuple[Source, ...] = ()
