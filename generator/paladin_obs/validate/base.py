"""What every artifact validator receives and returns.

Validators are keyed by artifact kind, not by target: any target emitting
Prometheus rules gets the rule validator, and ``paladin-obs validate`` runs
the same one on hand-written files. A source is plain data with a way to
locate a data path, in the file itself or in the spec that generated it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from paladin_obs import conventions as conv
from paladin_obs.diagnostics import Diagnostic, Location, Path

Locate = Callable[[Path, bool], Location]


@dataclass(frozen=True)
class Source:
    name: str
    data: Any
    locate: Locate


@dataclass(frozen=True)
class Settings:
    """The dialects artifacts are checked against."""

    prometheus_version: tuple[int, int] = conv.DEFAULT_PROMETHEUS_VERSION


@dataclass
class Checked:
    """Validity errors (the artifact is broken: exit 2 for generate, 1 for
    validate) apart from lint findings (reported with their severity)."""

    errors: list[Diagnostic] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


class Validator(Protocol):
    def check(self, sources: Sequence[Source], settings: Settings) -> Checked: ...
