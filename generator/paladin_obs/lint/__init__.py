"""Lint checks beyond what promtool enforces, one check per module (pint's layout).

A check sees every rule of every file checked together, so cross-file checks
(duplicates) and per-rule checks share one interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.validate.rulefile import RuleRef


@dataclass(frozen=True)
class FileRules:
    """The rules of one file, with the way to locate its paths and the parsed
    expressions of the rules that are otherwise valid (lint never re-parses)."""

    file: str
    rules: Sequence[RuleRef]
    locate: Callable[[Path, bool], Location]
    asts: Mapping[Path, pp.Expr] = field(default_factory=dict)


Check = Callable[[Sequence[FileRules]], list[Diagnostic]]


def all_checks() -> list[tuple[str, Check]]:
    from paladin_obs.lint import alerts_comparison, rules_duplicate

    return [
        (rules_duplicate.NAME, rules_duplicate.check),
        (alerts_comparison.NAME, alerts_comparison.check),
    ]


def run(files: Sequence[FileRules]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for name, check in all_checks():
        out.extend(Diagnostic(d.location, f"{d.message} [{name}]", d.path) for d in check(files))
    return out
