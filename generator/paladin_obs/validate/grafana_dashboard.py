"""Grafana dashboards (classic JSON model), generated or hand-written, checked without Grafana.

Strictness follows what Grafana does with real dashboards. Errors are what
renders wrong or cannot run: the required structure (our JSON Schema),
panels outside the 24-column grid or overlapping, duplicate panel ids,
PromQL that does not parse, LogQL (Loki targets) that Loki refuses, a query
using an unknown variable, and a string
datasource where Grafana no longer migrates one. Forms Grafana migrates on
load are warnings, and so is lint. Each step lives in its own module; this
one sequences them, on the PromQL worker thread so the many small parses
skip its hand-off, one dashboard at a time (``stream``) so none need be kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.lint import dashboards as lint
from paladin_obs.validate.base import Checked, Settings, Source
from paladin_obs.validate.dashboard_forms import check_forms
from paladin_obs.validate.dashboard_layout import check_layout
from paladin_obs.validate.dashboard_logql import check_loki_targets
from paladin_obs.validate.dashboard_model import load
from paladin_obs.validate.dashboard_queries import check_queries
from paladin_obs.validate.dashboard_schema import check_schema
from paladin_obs.validate.promql_worker import WORKER

#: The artifact kind this validator checks (a convention will name it too).
KIND = gconv.DASHBOARD_KIND


def check(sources: Sequence[Source], settings: Settings) -> Checked:
    checker = stream(settings)
    for source in sources:
        checker.add(source)
    return checker.finish()


def stream(settings: Settings) -> Stream:
    """A checker fed one dashboard at a time, which keeps none of them: a
    fleet's dashboards are built, checked and written one by one."""
    return Stream(settings)


class Stream:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._result = Checked()
        self._lint = lint.Streamed(settings.catalog)

    def add(self, source: Source) -> None:
        WORKER.run(lambda: self._add(source))

    def finish(self) -> Checked:
        """Everything found, the checks across dashboards included."""
        self._result.findings.extend(WORKER.run(self._lint.finish))
        return self._result

    def _add(self, source: Source) -> None:
        result = self._result
        if not isinstance(source.data, dict):
            result.errors.append(
                Diagnostic(source.locate((), False), "a dashboard must be a JSON object")
            )
            return
        dash = load(source.data)
        result.errors.extend(check_schema(dash, source.locate))
        result.errors.extend(check_layout(dash, source.locate))
        form_errors, warnings = check_forms(dash, source.locate)
        result.errors.extend(form_errors)
        result.findings.extend(warnings)
        version = self._settings.prometheus_version
        query_errors, queries = check_queries(dash, source.locate, version)
        result.errors.extend(query_errors)
        result.errors.extend(check_loki_targets(dash, source.locate))
        self._lint.add(lint.DashboardFile(source.name, dash, source.locate, queries))
