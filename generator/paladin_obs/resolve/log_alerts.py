"""Log alerts and log recording rules: LogQL for Loki's ruler, our alert conventions.

A log alert is an alert like any other (severity, static summary, templated
description, runbook, environment overrides by name); only its language and its
templates (``templates/logs``) differ, so it goes through the same drafting and
conventions as metric alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Path
from paladin_obs.logql_text import LogStream
from paladin_obs.model import Alert, Environment, ParamValue, Record, Signals
from paladin_obs.model_logs import ServiceLogs
from paladin_obs.resolve.alerts import draft_alert, finish_alert
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import Field, overlay
from paladin_obs.suggest import did_you_mean


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
        if draft is not None and _can_fire(res, logs, draft.params, fields, apath):
            out.append(
                finish_alert(res, scope, name, fields, apath, draft, lconv.alert_group(service))
            )
    return tuple(out)


def _can_fire(
    res: Resolution,
    logs: ServiceLogs,
    params: Mapping[str, ParamValue],
    fields: dict[str, Field],
    path: Path,
) -> bool:
    """Refuse what would make a log alert silent forever: counting only levels the
    pipeline drops, or grouping by a label the stream does not have."""
    ok = True
    levels = params.get("levels")
    if isinstance(levels, tuple) and levels and logs.min_level:
        dropped = set(lconv.levels_below(logs.min_level))
        if set(levels) <= dropped:
            where = fields["levels"].path if "levels" in fields else path
            res.err(
                where,
                f"levels {', '.join(map(str, levels))} are dropped before Loki "
                f"(min_level {logs.min_level}): the alert could never fire",
            )
            ok = False
    labels = {*logs.static_labels, *(f.name for f in logs.fields if f.role in ("label", "level"))}
    by = fields["by"].value if "by" in fields else []
    if isinstance(by, list):
        for label in by:
            if label not in labels:
                where = fields["by"].path if "by" in fields else path
                res.err(
                    where,
                    f"{label!r} is not a label of the stream (labels: {', '.join(sorted(labels))}); "
                    "log alerts group by stream labels only" + did_you_mean(label, labels),
                )
                ok = False
    return ok


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
