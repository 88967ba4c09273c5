"""Lint for Grafana dashboards, in the spirit of grafana/dashboard-linter, one check per module.

Rule files and dashboards have different shapes, so dashboard checks have a
registry of their own beside ``lint/__init__.py`` (same face: ``ID``,
``SEVERITY``, ``check(files)``). A check sees every dashboard validated
together (uids must be unique across files) and only parsed queries: it never
reports follow-on noise of a query that does not parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from paladin_obs.diagnostics import Diagnostic, Path, Severity
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard
from paladin_obs.validate.dashboard_queries import Query
from paladin_obs.validate.rulefile import RuleRef

if TYPE_CHECKING:
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

    checks = [m for m in rules.all_checks().values() if getattr(m, "QUERIES", False)]
    linted: list[rules.FileRules] = []
    labels: dict[tuple[str, Path], str] = {}
    for f in files:
        refs: list[RuleRef] = []
        asts = {}
        for q in f.queries:
            if q.ast is None:
                continue
            name = q.target.label
            refs.append(RuleRef(q.target.path, name, False, q.substituted.text, {}, {}, None, ""))
            asts[q.target.path] = q.ast
            labels[(f.file, q.target.path)] = name
        linted.append(rules.FileRules(f.file, refs, f.locate, asts))
    out = []
    for d in rules.run(rules.LintContext(linted, catalog), checks):
        label = labels.get((d.source, d.path[:-1]))
        # The checks name a rule ("record 'x': ..."); a query is named by its panel.
        if label is not None and d.message.startswith(f"record {label!r}"):
            d = replace(d, message=label + d.message[len(f"record {label!r}") :])
        out.append(d)
    return out
