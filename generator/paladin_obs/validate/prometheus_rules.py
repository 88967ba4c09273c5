"""Prometheus rule files: shape, then each rule's content, then lint across files.

One entry point for hand-written files (``validate``) and generated output
(``generate`` refuses to write anything that fails here). Lint runs only on
rules that are valid, so it never reports follow-on noise of a broken rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs import lint
from paladin_obs.validate.base import Checked, Settings, Source
from paladin_obs.validate.rule_content import check_rule
from paladin_obs.validate.rulefile import check_file


def check(sources: Sequence[Source], settings: Settings) -> Checked:
    version = settings.prometheus_version
    result = Checked()
    linted: list[lint.FileRules] = []
    for source in sources:
        shape_errors, rules, groups = check_file(source.data, source.locate, version)
        result.errors.extend(shape_errors)
        asts = {}
        for rule in rules:
            rule_problems, ast = check_rule(rule, source.locate, version)
            result.errors.extend(rule_problems)
            if ast is not None and not rule_problems:
                asts[rule.path] = ast
        linted.append(
            lint.FileRules(source.name, rules, source.locate, asts, groups, source.directives)
        )
    ctx = lint.context(linted, settings.catalog, settings.scrape_interval)
    result.findings.extend(lint.run(ctx))
    return result
