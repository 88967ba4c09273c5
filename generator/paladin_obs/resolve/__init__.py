"""From a schema-valid spec document to one typed Model per environment.

All defaulting, selector merging, overlays, template rendering and the alert
conventions (severity, static summary, templated description, runbook) happen
in this package, with every problem located in the spec (or template) and
collected, so one run reports them all. This module walks the spec, environment
by environment and service by service; each concern lives in its own module and
they share only the public ``Resolution`` context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.loader import Document
from paladin_obs.model import (
    Alert,
    Dependency,
    Environment,
    Grafana,
    Model,
    Service,
    ServiceDashboards,
    Signals,
)
from paladin_obs.resolve.alerts import build_alert, check_overrides, check_unique_names
from paladin_obs.resolve.catalog import (
    ServiceScope,
    declared_signals,
    matchers,
    metric_catalog,
)
from paladin_obs.resolve.catalog_checks import check_selectors
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.dashboards import build_grafana, build_service_dashboards
from paladin_obs.resolve.logs import build_loki, build_service_logs, check_log_overrides
from paladin_obs.resolve.overlay import ALERT_FIELDS
from paladin_obs.resolve.records import RECORD_FIELDS, build_record
from paladin_obs.resolve.slo_windows import check_catalogs
from paladin_obs.resolve.slos import build_slos
from paladin_obs.resolve.slos import check_overrides as check_slo_overrides
from paladin_obs.spec_schema import validate_spec
from paladin_obs.suggest import did_you_mean

__all__ = ["ALERT_FIELDS", "RECORD_FIELDS", "Prepared", "environment_model", "prepare", "resolve"]


def resolve(doc: Document, only_env: str | None = None) -> list[Model]:
    """Every environment's model, or an InputError listing all problems."""
    prepared = prepare(doc, only_env)
    models = [environment_model(prepared, name) for name in prepared.names]
    if prepared.res.errors:
        raise InputError(prepared.res.errors)
    return models


@dataclass
class Prepared:
    """What every environment's model shares: the checked spec and its defaults.

    Models are built from it one environment at a time (``environment_model``),
    possibly in other processes (``parallel``), each a copy of this.
    """

    res: Resolution
    #: The environments to build, in order.
    names: list[str]
    grafana: Grafana
    #: Dashboard settings do not vary by environment: read once per service.
    dashboards: dict[str, ServiceDashboards] = field(default_factory=dict)


def prepare(doc: Document, only_env: str | None = None) -> Prepared:
    """The checks of the whole spec, before any environment.

    Raises InputError only when nothing can be built (schema errors, an
    unknown ``only_env``); other problems wait in ``res.errors``.
    """
    errors = validate_spec(doc)
    if errors:
        raise InputError(errors)
    res = Resolution(doc, errors)
    envs = res.spec.get("environments") or {}
    # A spec without environments still yields one model, for the unnamed one.
    names = sorted(envs) if envs else [""]
    if only_env is not None and only_env not in names:
        known = ", ".join(n for n in names if n) or "none (the spec defines no environments)"
        raise InputError(
            [
                Diagnostic(
                    Location(doc.file),
                    f"unknown environment {only_env!r}; defined: {known}"
                    + did_you_mean(only_env, names),
                )
            ]
        )
    check_unique_names(res)
    check_catalogs(res)
    check_selectors(res)
    grafana = build_grafana(res)
    # Problems found so far stay in res.errors and are reported with each
    # environment's (see ``resolve``): one run lists them all.
    return Prepared(res, [n for n in names if only_env is None or n == only_env], grafana)


def environment_model(prepared: Prepared, name: str) -> Model:
    """One environment's model; its problems are added to ``prepared.res.errors``
    (the caller raises them, with those ``prepare`` found)."""
    envs = prepared.res.spec.get("environments") or {}
    return _model(prepared.res, name, envs.get(name, {}), prepared.grafana, prepared.dashboards)


def _model(
    res: Resolution,
    env_name: str,
    env: dict[str, Any],
    grafana: Grafana,
    dashboards: dict[str, ServiceDashboards],
) -> Model:
    env_path: Path = ("environments", env_name)
    environment = Environment(
        name=env_name,
        labels=dict(sorted(env.get("labels", {}).items())),
        selector=matchers(env.get("selector", {})),
    )
    overrides = env.get("alerts", {})
    check_overrides(res, env_path, overrides)
    slo_overrides = env.get("slos", {})
    check_slo_overrides(res, env_path, slo_overrides)
    log_overrides = env.get("logs", {})
    check_log_overrides(res, env_path, log_overrides)
    services = tuple(
        _service(res, sname, svc, environment, env, env_path, dashboards)
        for sname, svc in sorted(res.spec["services"].items())
    )
    return Model(
        spec_file=res.doc.file,
        environment=environment,
        prometheus_version=res.version,
        evaluation_interval=res.interval,
        services=services,
        grafana=grafana,
        loki=build_loki(res, env),
    )


def _service(
    res: Resolution,
    name: str,
    raw: dict[str, Any],
    env: Environment,
    env_raw: dict[str, Any],
    env_path: Path,
    dashboards: dict[str, ServiceDashboards],
) -> Service:
    overrides = env_raw.get("alerts", {})
    slo_overrides = env_raw.get("slos", {})
    path: Path = ("services", name)
    selector = matchers(raw.get("selector", {}))
    metrics = metric_catalog(raw)
    scope = ServiceScope(name, env, metrics, selector)
    signals = declared_signals(res, raw.get("signals", {}), (*path, "signals"), metrics)
    # Alert scopes: the service itself, then each dependency with its own signals.
    scopes: list[tuple[str, Path, dict[str, Any], Signals]] = [("", path, raw, signals)]
    for dname, dep in sorted(raw.get("dependencies", {}).items()):
        dpath = (*path, "dependencies", dname)
        scopes.append((dname, dpath, dep, declared_signals(res, dep, dpath, metrics)))
    alerts: list[Alert] = []
    for dependency, spath, holder, scope_signals in scopes:
        for aname, alert in holder.get("alerts", {}).items():
            built = build_alert(
                res,
                scope,
                aname,
                alert,
                (*spath, "alerts", aname),
                scope_signals,
                dependency,
                overrides,
                env_path,
            )
            if built is not None:
                alerts.append(built)
    deps = tuple(
        Dependency(dependency, holder.get("description", ""), scope_signals)
        for dependency, _, holder, scope_signals in scopes[1:]
    )
    records = []
    for rname, record in raw.get("records", {}).items():
        rec = build_record(res, scope, rname, record, (*path, "records", rname), signals)
        if rec is not None:
            records.append(rec)
    by_scope = {dependency: scope_signals for dependency, _, _, scope_signals in scopes}
    slos = build_slos(res, scope, raw, path, by_scope, slo_overrides, env_path)
    if name not in dashboards:
        dashboards[name] = build_service_dashboards(
            res, name, raw, path, metrics, [s for *_, s in scopes]
        )
    logs = None
    if "logs" in raw:
        logs = build_service_logs(
            res,
            name,
            raw["logs"],
            path,
            env,
            env_raw.get("logs", {}).get(name, {}),
            env_path,
            overrides,
        )
    return Service(
        name,
        selector,
        metrics,
        signals,
        tuple(alerts),
        tuple(records),
        deps,
        slos,
        raw.get("description", ""),
        dashboards[name],
        logs,
    )
