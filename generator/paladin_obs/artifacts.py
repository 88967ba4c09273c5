"""What targets return: files as data, plus where each part came from in the spec.

A target never serialises or writes: it says what the file holds (``data``),
what it is (``kind``: which validator checks it) and how it is written
(``format``: which serialiser and ownership marker apply). So one validator
serves every target that emits its kind, and one writer serves every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from paladin_obs.diagnostics import Location, Path
from paladin_obs.directives import Directive

#: Serialisations ``formats`` knows; each has an ownership marker in ``ownership``.
Format = Literal["yaml", "json", "alloy"]


@dataclass(frozen=True)
class Artifact:
    """One output file as data; ``origins`` maps data paths to spec locations so
    a problem found in generated output is reported where the user can fix it.

    The most specific path wins: a rule maps to its alert's spec key, and the
    rule's ``expr`` to the ``expr`` the user wrote (for raw expressions).
    """

    path: str
    kind: str
    format: Format
    data: Any
    origins: dict[Path, Location] = field(default_factory=dict, compare=False)
    #: Lint suppressions of the spec, each on the rule it covers.
    directives: tuple[Directive, ...] = field(default=(), compare=False)
    #: ``data`` already serialised in ``format``, when the target needed the
    #: text itself (a dashboard's JSON is also embedded in its operator
    #: resource): serialising a fleet's dashboards twice was a second's work.
    text: str | None = field(default=None, compare=False, repr=False)

    def origin(self, path: Path) -> Location | None:
        """The spec location of the closest enclosing part that has one."""
        probe = path
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            probe = probe[:-1]
        return self.origins.get(())
