"""Validate Prometheus rule data: shape, then content, then lint across files.

One entry point for hand-written files (``validate``) and for generated output
(``generate`` refuses to write anything that fails here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from paladin_obs import lint
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.validate.rulefile import Locate, check_shape
from paladin_obs.validate.rules import check_rule


@dataclass(frozen=True)
class RuleSource:
    """A rule file's data and how to locate its paths (in the file, or in the spec)."""

    name: str
    data: Any
    locate: Locate


def check_rule_sources(sources: Sequence[RuleSource], version: tuple[int, int]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    linted: list[lint.FileRules] = []
    for source in sources:
        shape_errors, rules = check_shape(source.data, source.locate, version)
        problems.extend(shape_errors)
        asts = {}
        for rule in rules:
            rule_problems, ast = check_rule(rule, source.locate, version)
            problems.extend(rule_problems)
            if ast is not None and not rule_problems:
                asts[rule.path] = ast
        linted.append(lint.FileRules(source.name, rules, source.locate, asts))
    problems.extend(lint.run(linted))
    return problems
