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
from typing import Protocol

from paladin_obs.diagnostics import Diagnostic, Path, Severity
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard
from paladin_obs.validate.dashboard_queries import Query


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
