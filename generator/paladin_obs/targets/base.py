"""The face every output target shows the pipeline (pre-commit's backend pattern).

A target turns one environment's Model into artifacts: data plus kind and
format, as a list or lazily (an iterator: the pipeline checks and serialises
each artifact before asking for the next, so big ones need not all be alive
at once). It never serialises, validates or writes; the pipeline does that
for every target alike, so adding an output is adding a module and one
registry line, never editing the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from paladin_obs.artifacts import Artifact
from paladin_obs.model import Model


class Target(Protocol):
    #: Registry key, shown in messages.
    NAME: str
    #: Directories (relative to the output root) whose files this target writes:
    #: what ``generate`` scans for its own orphans to prune.
    OUTPUT_DIRS: tuple[str, ...]

    def generate(self, model: Model) -> Iterable[Artifact]: ...
