"""Lint checks beyond what promtool enforces, one check per module (pint's layout).

A check sees every rule of every file checked together, so cross-file checks
(duplicates) and per-rule checks share one interface. Lint is a stage of its
own: findings carry a check id and a severity, and only ``error`` findings
block ``generate``; warnings are printed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Location, Path, Severity
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


class LintCheck(Protocol):
    """One check module: its stable id (``area/name``), how much its findings
    matter, and the check itself (it leaves id and severity to ``run``)."""

    ID: str
    SEVERITY: Severity

    def check(self, files: Sequence[FileRules]) -> list[Diagnostic]: ...


def all_checks() -> dict[str, LintCheck]:
    from paladin_obs.lint import alerts_comparison, rules_duplicate

    return {m.ID: m for m in (rules_duplicate, alerts_comparison)}


def run(files: Sequence[FileRules]) -> list[Diagnostic]:
    """Every check's findings, each tagged with the check's id and severity."""
    out: list[Diagnostic] = []
    for check_id, module in all_checks().items():
        out.extend(
            replace(d, check=check_id, severity=module.SEVERITY) for d in module.check(files)
        )
    return out
