"""Grafana dashboards (classic JSON model), generated or hand-written, checked without Grafana.

Strictness follows what Grafana does with real dashboards. Errors are what
renders wrong or cannot run: the required structure (our JSON Schema),
panels outside the 24-column grid or overlapping, duplicate panel ids,
PromQL that does not parse, LogQL (Loki targets) that Loki refuses, a query
using an unknown variable, and a string
datasource where Grafana no longer migrates one. Forms Grafana migrates on
load are warnings, and so is lint. Each step lives in its own module; this
one sequences them, on the PromQL worker thread so the many small parses
skip its hand-off.
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
    return WORKER.run(lambda: _check(sources, settings))


def _check(sources: Sequence[Source], settings: Settings) -> Checked:
    result = Checked()
    files: list[lint.DashboardFile] = []
    for source in sources:
        if not isinstance(source.data, dict):
            result.errors.append(
                Diagnostic(source.locate((), False), "a dashboard must be a JSON object")
            )
            continue
        dash = load(source.data)
        result.errors.extend(check_schema(dash, source.locate))
        result.errors.extend(check_layout(dash, source.locate))
        form_errors, warnings = check_forms(dash, source.locate)
        result.errors.extend(form_errors)
        result.findings.extend(warnings)
        query_errors, queries = check_queries(dash, source.locate, settings.prometheus_version)
        result.errors.extend(query_errors)
        result.errors.extend(check_loki_targets(dash, source.locate))
        files.append(lint.DashboardFile(source.name, dash, source.locate, queries))
    result.findings.extend(lint.run(files))
    result.findings.extend(lint.run_query_checks(files, settings.catalog))
    return result
