"""The little the checks need to know about each parsed piece of a query.

Loki validates while it builds its AST: each constructor checks its own node
and only looks at what kind of expression its children are.  So the tree here
is deliberately thin: an expression is its kind and position; the other nodes
carry just the fields some check reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Expr", "Grouping", "IpTerm", "Kind", "LabelFilter", "LogRange", "Matcher", "Selector"]


class Kind(Enum):
    """What Loki's parser would have built: a log query, a number, or a metric query."""

    LOG = "log"
    LITERAL = "literal"
    METRIC = "metric"


@dataclass(frozen=True, slots=True)
class Expr:
    kind: Kind
    start: int


@dataclass(frozen=True, slots=True)
class Matcher:
    name: str
    op: str
    value: str
    start: int
    #: False when the regex is invalid (already reported; later checks skip it).
    valid: bool


@dataclass(frozen=True, slots=True)
class Selector:
    start: int
    matchers: tuple[Matcher, ...]


@dataclass(frozen=True, slots=True)
class IpTerm:
    """``label = ip("pattern")`` inside a label filter."""

    pattern: str
    pattern_start: int


@dataclass(frozen=True, slots=True)
class LabelFilter:
    """A label-filter chain; ``single`` is its only term when it has just one."""

    single: object | None


@dataclass(frozen=True, slots=True)
class Grouping:
    start: int
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LogRange:
    selector: Selector
    #: Where ``| unwrap`` starts, or None without unwrap.
    unwrap_start: int | None
