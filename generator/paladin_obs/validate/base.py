"""What every artifact validator receives and returns.

Validators are keyed by artifact kind, not by target: any target emitting
Prometheus rules gets the rule validator, and ``paladin-obs validate`` runs
the same one on hand-written files. A source is plain data with a way to
locate a data path, in the file itself or in the spec that generated it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from paladin_obs import conventions as conv
from paladin_obs.diagnostics import Diagnostic, Location, Path

if TYPE_CHECKING:
    from paladin_obs.directives import Directive
    from paladin_obs.lint.catalog import Catalog

Locate = Callable[[Path, bool], Location]


@dataclass(frozen=True)
class Source:
    name: str
    data: Any
    locate: Locate
    #: Lint suppressions: a hand-written file's comments, a spec's per alert.
    directives: Sequence[Directive] = ()


@dataclass(frozen=True)
class Settings:
    """The dialects artifacts are checked against."""

    prometheus_version: tuple[int, int] = conv.DEFAULT_PROMETHEUS_VERSION
    #: The spec's metrics, when one is known: type-aware lint needs them.
    catalog: Catalog | None = None
    #: Seconds between scrapes, for lint of range lengths; None when unknown
    #: (a rule file checked without a spec or ``--scrape-interval``).
    scrape_interval: float | None = None


@dataclass
class Checked:
    """Validity errors (the artifact is broken: exit 2 for generate, 1 for
    validate) apart from lint findings (reported with their severity)."""

    errors: list[Diagnostic] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


class Validator(Protocol):
    def check(self, sources: Sequence[Source], settings: Settings) -> Checked: ...
