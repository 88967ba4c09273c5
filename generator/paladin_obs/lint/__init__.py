"""Lint checks beyond what promtool enforces, one check per module (pint's layout).

A check sees every rule of every file checked together (``LintContext``), so
cross-file checks (duplicates) and per-rule checks share one interface, and the
checks that need a metric's type or labels read them from the spec's catalog
when one is known (a spec, or ``--spec`` for rule files). Lint is a stage of
its own: findings carry a check id and a severity; only ``error`` findings
block ``generate``. A check module has:

* ``ID`` (``area/name``, stable: suppressions and CI configs name it),
* ``SEVERITY`` (error, warning, info),
* a docstring whose first line is ``ID: what it finds`` and whose rest says
  why it matters and how to fix it (``paladin-obs explain ID`` prints it),
* ``NEEDS_CATALOG = True`` when it reads metric types from the spec (it
  finds nothing without one),
* ``READS_ASTS = True`` when it reads parsed expressions (``ctx.parsed()``,
  ``ctx.alerts()``): a big file is then checked a slice of expressions at a
  time (see ``collect``), the others see every rule once with no expression,
* ``check(ctx) -> list[Diagnostic]``, leaving id and severity to ``run``.

Adding a check is adding one module: every module of this package named
``<area>_<name>`` for an area of ``AREAS`` is a rule-file check (ID
``area/name``), found in sorted order so runs are deterministic.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Protocol, TypeVar

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Location, Path, Severity
from paladin_obs.validate.rulefile import GroupRef, RuleRef

T = TypeVar("T")

if TYPE_CHECKING:
    from paladin_obs.directives import Directive
    from paladin_obs.lint.catalog import Catalog

#: Prometheus's own default ``scrape_interval``: what a range is measured
#: against when neither the spec nor the command line says otherwise.
DEFAULT_SCRAPE_INTERVAL = 60.0


@dataclass(frozen=True)
class FileRules:
    """The rules of one file, with the way to locate its paths and the parsed
    expressions of the rules that are otherwise valid (lint never re-parses).

    ``asts`` is empty for Loki rule files (LogQL): checks of PromQL skip them,
    checks of names, labels, annotations and groups still apply.
    """

    file: str
    rules: Sequence[RuleRef]
    locate: Callable[[Path, bool], Location]
    asts: Mapping[Path, pp.Expr] = field(default_factory=dict)
    groups: Sequence[GroupRef] = ()
    #: Suppressions: comments of a hand-written file, or the spec's per alert.
    directives: Sequence[Directive] = ()
    #: The rules ``asts`` may hold, when only a slice of ``rules`` was parsed
    #: (None: any of them); checks then need not look up every rule.
    parsed_rules: Sequence[RuleRef] | None = None

    def with_asts(self, rules: Sequence[RuleRef], asts: Mapping[Path, pp.Expr]) -> FileRules:
        """This file with the expressions of a slice of its rules."""
        return replace(self, asts=asts, parsed_rules=rules)

    def at(self, path: Path, message: str) -> Diagnostic:
        return Diagnostic(self.locate(path, False), message, path, source=self.file)


@dataclass(frozen=True)
class LintContext:
    """Everything a check may read: the files checked together and, when a
    spec is known, its metrics catalog and scrape interval."""

    files: Sequence[FileRules]
    catalog: Catalog | None = None
    #: Seconds between scrapes (``defaults.scrape_interval``, ``--scrape-interval``).
    scrape_interval: float = DEFAULT_SCRAPE_INTERVAL
    #: False for rule files checked with neither a spec nor ``--scrape-interval``:
    #: checks that measure ranges against the interval then say nothing rather
    #: than guess (mixins are written for 15s-30s scrapes, Prometheus's default is 1m).
    scrape_interval_known: bool = True

    # The lists below are made once per context and shared by the checks (a
    # dozen read them, for each slice of a big file): tuples, so none can
    # change what the next one reads.

    def alert_rules(self) -> tuple[tuple[FileRules, RuleRef], ...]:
        """Every alert with its file, parsed or not (LogQL ones too)."""
        return self._kept(
            "_alert_rules", lambda: tuple((f, r) for f in self.files for r in f.rules if r.is_alert)
        )

    def alerts(self) -> tuple[tuple[FileRules, RuleRef, pp.Expr], ...]:
        """Every alert whose expression parsed, with its file."""
        return self._kept(
            "_alerts", lambda: tuple((f, r, ast) for f, r, ast in self.parsed() if r.is_alert)
        )

    def parsed(self) -> tuple[tuple[FileRules, RuleRef, pp.Expr], ...]:
        """Every rule (alert or record) whose expression parsed, with its file."""
        return self._kept(
            "_parsed",
            lambda: tuple(
                (f, r, f.asts[r.path])
                for f in self.files
                if f.asts
                for r in (f.rules if f.parsed_rules is None else f.parsed_rules)
                if r.path in f.asts
            ),
        )

    def _kept(self, name: str, make: Callable[[], T]) -> T:
        kept: T | None = self.__dict__.get(name)
        if kept is None:
            kept = self.__dict__[name] = make()  # frozen: stored past __setattr__
        return kept


def context(
    files: Sequence[FileRules], catalog: Catalog | None, scrape_interval: float | None
) -> LintContext:
    """The context of a validation run (``None``: scrape interval unknown)."""
    if scrape_interval is None:
        return LintContext(files, catalog, DEFAULT_SCRAPE_INTERVAL, scrape_interval_known=False)
    return LintContext(files, catalog, scrape_interval)


class LintCheck(Protocol):
    ID: str
    SEVERITY: Severity

    def check(self, ctx: LintContext) -> list[Diagnostic]: ...


#: Areas of rule-file checks (dashboards have their own registry).
AREAS = ("alerts", "groups", "promql", "rules")


def check_modules() -> tuple[str, ...]:
    """Module names of every rule-file check, sorted."""
    names = (m.name for m in pkgutil.iter_modules(__path__))
    return tuple(sorted(n for n in names if n.split("_", 1)[0] in AREAS and "_" in n))


@cache
def all_checks() -> dict[str, LintCheck]:
    modules: list[LintCheck] = [
        importlib.import_module(f"paladin_obs.lint.{name}") for name in check_modules()
    ]
    return {m.ID: m for m in modules}


def run(
    ctx: LintContext | Sequence[FileRules], checks: Sequence[LintCheck] | None = None
) -> list[Diagnostic]:
    """Every check's findings, each tagged with the check's id and severity,
    minus those the files' directives suppress (plus the directives' own
    problems: no reason, unknown check, suppressing nothing)."""
    if not isinstance(ctx, LintContext):
        ctx = LintContext(tuple(ctx))
    chosen = list(all_checks().values()) if checks is None else list(checks)
    return finish(ctx, collect(ctx, chosen), chosen)


def reads_asts(check: LintCheck) -> bool:
    """Whether ``check`` reads parsed expressions (``READS_ASTS``)."""
    return bool(getattr(check, "READS_ASTS", False))


def per_rule(check: LintCheck) -> bool:
    """Whether ``check``'s findings on a rule read that rule alone (``PER_RULE``):
    a big file checked in two parts (``rules_split``) runs it on each part's
    rules, in the process that read them."""
    return bool(getattr(check, "PER_RULE", False))


def collect(ctx: LintContext, checks: Sequence[LintCheck]) -> list[Diagnostic]:
    """The findings of ``checks`` on ``ctx``, tagged, before suppressions.

    Parsed expressions are large (promql-parser copies each tree into Python
    objects: ~25 KB for a rule of a dozen nodes), so a 10,000-rule file cannot
    keep them all. Its rules are then linted in slices: the checks that read
    expressions run on each slice's (every rule present, only the slice
    parsed), the others once on every rule; ``finish`` applies the
    suppressions to everything at the end.
    """
    found: list[Diagnostic] = []
    for module in checks:
        check_id, severity = module.ID, module.SEVERITY
        # Built directly: dataclasses.replace costs three times as much, per finding.
        found.extend(
            Diagnostic(d.location, d.message, d.path, check_id, severity, d.detail, d.source)
            for d in module.check(ctx)
        )
    return found


def finish(
    ctx: LintContext, found: list[Diagnostic], checks: Sequence[LintCheck]
) -> list[Diagnostic]:
    """``found`` (from ``collect``, over any slices of ``ctx``) minus what the
    files' directives suppress, plus the directives' own problems."""
    from paladin_obs.lint import suppress

    # A type-aware check without a catalog did not really run: its
    # suppressions are not "unused" in a run that cannot see what they silence.
    ran = {
        m.ID for m in checks if ctx.catalog is not None or not getattr(m, "NEEDS_CATALOG", False)
    }
    from paladin_obs.lint.registry import known_ids

    return suppress.apply(ctx.files, found, ran, known_ids())
