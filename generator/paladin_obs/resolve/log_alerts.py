"""Log alerts and log recording rules: LogQL for Loki's ruler, our alert conventions.

A log alert is an alert like any other (severity, static summary, templated
description, runbook, environment overrides by name); only its language and its
templates (``templates/logs``) differ, so it goes through the same drafting and
conventions as metric alerts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Path
from paladin_obs.logql_text import LogStream
from paladin_obs.model import Alert, Environment, Record, Signals
from paladin_obs.model_logs import ServiceLogs
from paladin_obs.resolve.alerts import draft_alert, finish_alert
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import overlay


def build_log_alerts(
    res: Resolution,
    service: str,
    logs: ServiceLogs,
    raw: dict[str, Any],
    path: Path,
    env: Environment,
    overrides: dict[str, Any],
    env_path: Path,
) -> tuple[Alert, ...]:
    # Log templates group by stream labels, never by the Prometheus selector's.
    scope = ServiceScope(service, replace(env, selector=()), {}, ())
    stream = LogStream.of(logs)
    out = []
    for name, alert in raw.get("alerts", {}).items():
        apath = (*path, "alerts", name)
        fields = overlay(res, alert, apath, overrides.get(name, {}), (*env_path, "alerts", name))
        if fields is None or ("enabled" in fields and fields["enabled"].value is False):
            continue
        draft = draft_alert(
            res,
            scope,
            name,
            alert,
            fields,
            apath,
            "logs",
            Signals(),
            extra={"logs": stream},
            log_fields=stream.fields,
        )
        if draft is not None:
            out.append(
                finish_alert(res, scope, name, fields, apath, draft, lconv.alert_group(service))
            )
    return tuple(out)


def build_log_records(
    res: Resolution, logs: ServiceLogs, raw: dict[str, Any], path: Path
) -> tuple[Record, ...]:
    return tuple(
        Record(
            name=name,
            expr=record["expr"],
            labels={**logs.static_labels, **record.get("labels", {})},
            location=res.doc.where((*path, "records", name, "expr")),
        )
        for name, record in raw.get("records", {}).items()
    )
