"""Lint for Grafana dashboards, in the spirit of grafana/dashboard-linter, one check per module.

Rule files and dashboards have different shapes, so dashboard checks have a
registry of their own beside ``lint/__init__.py`` (same face: ``ID``,
``SEVERITY``, ``check(files)``). A check sees every dashboard validated
together (uids must be unique across files) and only parsed queries: it never
reports follow-on noise of a query that does not parse.

A fleet's dashboards are too big to hold all at once (a few hundred MB of
dict trees per environment), so ``Streamed`` lints them one at a time and
keeps only what the checks across files read: a check that compares files
says so (``ACROSS_FILES = True``) and sees each dashboard's top-level
scalars only (its uid, title...), never its panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import promql_parser as pp

from paladin_obs.diagnostics import Diagnostic, Path, Severity
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard
from paladin_obs.validate.dashboard_queries import Query
from paladin_obs.validate.rulefile import RuleRef

if TYPE_CHECKING:
    from paladin_obs import lint as rules
    from paladin_obs.lint.catalog import Catalog


@dataclass(frozen=True)
class DashboardFile:
    """One dashboard with the way to locate its paths and its Prometheus queries."""

    file: str
    dashboard: Dashboard
    locate: Locate
    queries: Sequence[Query] = ()

    def at(self, path: Path, message: str) -> Diagnostic:
        return Diagnostic(self.locate(path, False), message, path)


class DashboardCheck(Protocol):
    ID: str
    SEVERITY: Severity

    def check(self, files: Sequence[DashboardFile]) -> list[Diagnostic]: ...


def all_checks() -> dict[str, DashboardCheck]:
    from paladin_obs.lint import (
        dashboard_job_instance_matchers,
        dashboard_panel_description,
        dashboard_panel_title,
        dashboard_panel_unit,
        dashboard_rate_interval,
        dashboard_templated_datasource,
        dashboard_uid_unique,
    )

    modules: tuple[DashboardCheck, ...] = (
        dashboard_templated_datasource,
        dashboard_job_instance_matchers,
        dashboard_rate_interval,
        dashboard_panel_title,
        dashboard_panel_description,
        dashboard_panel_unit,
        dashboard_uid_unique,
    )
    return {m.ID: m for m in modules}


def run(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    """Every check's findings, each tagged with the check's id and severity."""
    out: list[Diagnostic] = []
    for check_id, module in all_checks().items():
        out.extend(
            replace(d, check=check_id, severity=module.SEVERITY) for d in module.check(files)
        )
    return out


def run_query_checks(files: Sequence[DashboardFile], catalog: Catalog | None) -> list[Diagnostic]:
    """The rule-file checks of PromQL that hold for any query (``QUERIES = True``:
    ``rate()`` on a gauge, ``histogram_quantile`` without ``le``...), on every
    parsed dashboard query, under the same ids: a panel charting nonsense is the
    same mistake as a rule computing it. Type-aware ones need ``catalog``."""
    from paladin_obs import lint as rules

    linted: list[rules.FileRules] = []
    labels: dict[tuple[str, Path], str] = {}
    for f in files:
        linted.append(_file_rules(f, labels))
    return _named(rules.run(rules.LintContext(linted, catalog), query_checks()), labels)


def query_checks() -> list[rules.LintCheck]:
    """The rule-file checks that also run on dashboard queries, in their order."""
    from paladin_obs import lint as rules

    return [m for m in rules.all_checks().values() if getattr(m, "QUERIES", False)]


def _file_rules(f: DashboardFile, labels: dict[tuple[str, Path], str]) -> rules.FileRules:
    """A dashboard's parsed queries as a rule file, each named by its panel in ``labels``."""
    from paladin_obs import lint as rules

    refs: list[RuleRef] = []
    asts: dict[Path, pp.Expr] = {}
    for q in f.queries:
        if q.ast is None:
            continue
        name = q.target.label
        refs.append(RuleRef(q.target.path, name, False, q.substituted.text, {}, {}, None, ""))
        asts[q.target.path] = q.ast
        labels[(f.file, q.target.path)] = name
    return rules.FileRules(f.file, refs, f.locate, asts)


def _named(found: Sequence[Diagnostic], labels: dict[tuple[str, Path], str]) -> list[Diagnostic]:
    out = []
    for d in found:
        label = labels.get((d.source, d.path[:-1]))
        # The checks name a rule ("record 'x': ..."); a query is named by its panel.
        if label is not None and d.message.startswith(f"record {label!r}"):
            d = replace(d, message=label + d.message[len(f"record {label!r}") :])
        out.append(d)
    return out


def across_files(check: DashboardCheck) -> bool:
    """Whether ``check`` compares dashboards (``ACROSS_FILES``) rather than reading each alone."""
    return bool(getattr(check, "ACROSS_FILES", False))


def slim(f: DashboardFile) -> DashboardFile:
    """What a check across files may read of ``f``: its top-level scalars."""
    data = f.dashboard.data
    kept = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    return DashboardFile(f.file, Dashboard(kept), f.locate)


class Streamed:
    """Dashboard lint one file at a time, with the findings ``run`` and
    ``run_query_checks`` give for all the files at once, in the same order.

    Two things cross files. The checks marked ``ACROSS_FILES`` see slim
    copies (``slim``) at the end. And a rule-file check may exempt what a
    rule checked alongside records (histogram_quantile over a recorded
    name): a dashboard's query is named like a recorded rule, so a file's
    queries linted alone may draw a finding another file's names exempt,
    never the reverse. A file whose queries draw nothing alone is done; the
    rare file that draws something is linted again at the end, with every
    file's names.
    """

    def __init__(self, catalog: Catalog | None) -> None:
        self._catalog = catalog
        self._checks = list(all_checks().items())
        self._queries = query_checks()
        self._order = {m.ID: i for i, m in enumerate(self._queries)}
        self._kept: list[DashboardFile] = []
        self._lint: list[tuple[int, int, Diagnostic]] = []
        self._found: list[tuple[int, int, Diagnostic]] = []
        #: Every query's name, as rule checks see recorded names.
        self._names: set[str] = set()
        self._again: list[tuple[int, rules.FileRules, dict[tuple[str, Path], str]]] = []

    def add(self, f: DashboardFile) -> None:
        from paladin_obs import lint as rules

        index = len(self._kept)
        for order, (check_id, module) in enumerate(self._checks):
            if across_files(module):
                continue
            self._lint.extend(
                (order, index, replace(d, check=check_id, severity=module.SEVERITY))
                for d in module.check((f,))
            )
        self._kept.append(slim(f))
        labels: dict[tuple[str, Path], str] = {}
        file_rules = _file_rules(f, labels)
        self._names.update(r.name for r in file_rules.rules)
        if not file_rules.asts:
            return
        found = rules.run(rules.LintContext((file_rules,), self._catalog), self._queries)
        if found:
            self._again.append((index, file_rules, labels))

    def finish(self) -> list[Diagnostic]:
        """The findings of every file added, lint first, then the query checks."""
        for order, (check_id, module) in enumerate(self._checks):
            if across_files(module):
                self._lint.extend(
                    (order, len(self._kept), replace(d, check=check_id, severity=module.SEVERITY))
                    for d in module.check(self._kept)
                )
        self._found.extend(self._linted_again())
        lint = sorted(self._lint, key=lambda item: item[:2])
        found = sorted(self._found, key=lambda item: item[:2])
        return [d for *_, d in lint] + [d for *_, d in found]

    def _linted_again(self) -> list[tuple[int, int, Diagnostic]]:
        from paladin_obs import lint as rules

        if not self._again:
            return []
        files = [file_rules for _, file_rules, _ in self._again]
        labels = {k: v for _, _, named in self._again for k, v in named.items()}
        index = {file_rules.file: i for i, file_rules, _ in self._again}
        names = [RuleRef((), n, False, "", {}, {}, None, "") for n in sorted(self._names)]
        # Names only, no expressions: the checks see them as rules checked alongside.
        files.append(rules.FileRules("", names, files[0].locate))
        found = rules.run(rules.LintContext(files, self._catalog), self._queries)
        return [
            (self._order.get(d.check, len(self._order)), index.get(d.source, -1), d)
            for d in _named(found, labels)
        ]
