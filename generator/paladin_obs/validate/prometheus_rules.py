"""Prometheus rule files: shape, then each rule's content, then lint across files.

One entry point for hand-written files (``validate``) and generated output
(``generate`` refuses to write anything that fails here). Lint runs only on
rules that are valid, so it never reports follow-on noise of a broken rule.

Rules are parsed and linted a slice at a time (``SLICE`` distinct
expressions): a parsed expression costs ~25 KB of Python objects, so a
10,000-rule file holding all of them at once took 270 MB; lint checks that
read expressions run on each slice (see ``lint.collect``), the rest once on
every rule. Each slice is parsed in one hand-off to the parser's big-stack
thread, not one per rule; rules are sliced in the order of their
expressions, so an expression repeated across the file is parsed once.
``check_slices`` and ``lint_once`` are also the steps ``rules_split`` runs
in two processes for one big file.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import promql_parser as pp

from paladin_obs import lint
from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.validate.base import Checked, Locate, Settings, Source
from paladin_obs.validate.promql_worker import WORKER
from paladin_obs.validate.rule_content import Parsed, check_rule
from paladin_obs.validate.rulefile import RuleRef, check_file

#: Distinct expressions parsed and linted together (with every rule of each);
#: their trees are freed after each slice.
SLICE = 128


def check(sources: Sequence[Source], settings: Settings) -> Checked:
    version = settings.prometheus_version
    result = Checked()
    files: list[lint.FileRules] = []
    shaped: list[tuple[Source, list[Diagnostic], list[RuleRef]]] = []
    for source in sources:
        shape_errors, rules, groups = check_file(source.data, source.locate, version)
        files.append(
            lint.FileRules(source.name, rules, source.locate, {}, groups, source.directives)
        )
        shaped.append((source, shape_errors, rules))
    found: list[Diagnostic] = []
    for index, (_, shape_errors, rules) in enumerate(shaped):
        result.errors.extend(shape_errors)
        problems, findings = check_slices(files, index, rules, settings)
        result.errors.extend(problems)
        found.extend(findings)
    result.findings.extend(lint_once(files, settings, found))
    return result


def check_slices(
    files: Sequence[lint.FileRules],
    index: int,
    rules: Sequence[RuleRef],
    settings: Settings,
    size: int | None = None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Content problems of ``rules`` (of ``files[index]``) and the findings of
    the lint checks that read expressions, a slice of ``size`` distinct
    expressions (``SLICE``, read at the call) at a time; ``files`` is what
    those checks see besides (every rule checked together)."""
    size = SLICE if size is None else size
    version = settings.prometheus_version
    locate = files[index].locate
    per_slice = [m for m in lint.all_checks().values() if lint.reads_asts(m)]
    errors: list[Diagnostic] = []
    found: list[Diagnostic] = []
    for part in _slices(rules, size):
        problems, asts = WORKER.run(functools.partial(_content, part, locate, version))
        errors.extend(problems)
        if asts:
            sliced = list(files)
            sliced[index] = files[index].with_asts(part, asts)
            ctx = lint.context(sliced, settings.catalog, settings.scrape_interval)
            found.extend(lint.collect(ctx, per_slice))
    return errors, found


def lint_once(
    files: Sequence[lint.FileRules], settings: Settings, found: list[Diagnostic]
) -> list[Diagnostic]:
    """``found`` (from ``check_slices``) and the findings of the checks that
    read no expression, run once on every rule, minus what is suppressed."""
    chosen = list(lint.all_checks().values())
    ctx = lint.context(files, settings.catalog, settings.scrape_interval)
    found.extend(lint.collect(ctx, [m for m in chosen if not lint.reads_asts(m)]))
    return lint.finish(ctx, found, chosen)


def _slices(rules: Sequence[RuleRef], size: int) -> list[Sequence[RuleRef]]:
    """``rules`` in slices of ``size`` distinct expressions, each text's rules
    together.

    A big file repeats one expression per severity, team or threshold
    (10,000 rules, ~3,000 texts): side by side, each text is parsed once and
    its rules share the tree, where scattered it was parsed once in every
    slice it fell in. Counting texts, not rules, bounds what a slice holds
    (a tree each). Slices are free to hold any rules: a check sees every
    rule, only the slice parsed, and the findings are sorted for the report.
    """
    ordered = sorted(rules, key=_expression)
    out: list[Sequence[RuleRef]] = []
    start, texts, last = 0, 0, None
    for end, rule in enumerate(ordered):
        if rule.expr != last:
            if texts == size:
                out.append(ordered[start:end])
                start, texts = end, 0
            texts, last = texts + 1, rule.expr
    if start < len(ordered):
        out.append(ordered[start:])
    return out


def _expression(rule: RuleRef) -> str:
    return rule.expr


def _content(
    rules: Sequence[RuleRef], locate: Locate, version: tuple[int, int]
) -> tuple[list[Diagnostic], dict[Path, pp.Expr]]:
    """Content problems of ``rules`` and the expressions of the valid ones, for lint."""
    problems: list[Diagnostic] = []
    asts: dict[Path, pp.Expr] = {}
    parsed: Parsed = {}
    for rule in rules:
        rule_problems, ast = check_rule(rule, locate, version, parsed)
        problems.extend(rule_problems)
        if ast is not None and not rule_problems:
            asts[rule.path] = ast
    return problems, asts
