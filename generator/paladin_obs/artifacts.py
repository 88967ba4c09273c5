"""What targets return: files as data, plus where each part came from in the spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Location, Path


@dataclass(frozen=True)
class Artifact:
    """One output file as data; ``origins`` maps data paths to spec locations so
    a problem found in generated output is reported where the user can fix it."""

    path: str
    kind: str
    data: Any
    header: str
    origins: dict[Path, Location] = field(default_factory=dict, compare=False)
    #: Spec locations of expressions, for PromQL errors (the ``expr`` the user wrote).
    expr_origins: dict[Path, Location] = field(default_factory=dict, compare=False)

    def origin(self, path: Path) -> Location | None:
        """The spec location of the closest enclosing part that has one."""
        probe = path
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            probe = probe[:-1]
        return None
