"""Dashboard settings: spec-wide Grafana options and each service's dashboards.

Read once per spec (``build_grafana``) and once per service (the caller keeps
one per service for every environment), so a mistake in them is reported once,
and targets receive only
checked, typed values: a saturation panel names a catalog metric, its ``by``
labels are the metric's own, its capacity is a number in the metric's unit,
and a grafanalib file exists.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.grafana.versions import DEFAULT_GRAFANA_VERSION, schema_version
from paladin_obs.model import (
    Grafana,
    GrafanalibFile,
    GrafanaOperator,
    Metric,
    SaturationPanel,
    ServiceDashboards,
    Signals,
)
from paladin_obs.params import COERCIONS, Context, ParamError
from paladin_obs.resolve.catalog import matchers
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean


def build_grafana(res: Resolution) -> Grafana:
    defaults = res.defaults
    version = DEFAULT_GRAFANA_VERSION
    text = defaults.get("grafana_version")
    if text is not None:
        major, minor = text.split(".")
        version = (int(major), int(minor))
    try:
        schema = schema_version(version)
    except ValueError as exc:
        res.err(("defaults", "grafana_version"), str(exc))
        schema = schema_version(DEFAULT_GRAFANA_VERSION)
    raw: dict[str, Any] = defaults.get("dashboards", {})
    path: Path = ("defaults", "dashboards")
    for key in ("refresh", "time_from"):
        if key in raw:
            res.duration(raw[key], (*path, key))
    provisioning = raw.get("provisioning", {})
    operator = raw.get("operator")
    return Grafana(
        schema_version=schema,
        enabled=raw.get("enabled", True),
        url=defaults.get("grafana_url", "").rstrip("/"),
        variables=tuple(raw.get("variables", ())),
        refresh=raw.get("refresh", "1m"),
        time_from=raw.get("time_from", "6h"),
        tags=tuple(raw.get("tags", ())),
        provisioning_path=provisioning.get("path", "/var/lib/grafana/dashboards").rstrip("/")
        or "/",
        update_interval=res.duration(
            provisioning.get("update_interval"), (*path, "provisioning", "update_interval")
        ),
        allow_ui_updates=provisioning.get("allow_ui_updates", False),
        operator=_operator(res, operator, (*path, "operator")) if operator else None,
    )


def _operator(res: Resolution, raw: dict[str, Any], path: Path) -> GrafanaOperator | None:
    if raw.get("enabled") is False:
        return None
    return GrafanaOperator(
        namespace=raw.get("namespace", "monitoring"),
        instance_selector=dict(sorted(raw.get("instance_selector", {}).items())),
        resync_period=res.duration(raw.get("resync_period"), (*path, "resync_period")),
    )


def build_service_dashboards(
    res: Resolution,
    name: str,
    raw: dict[str, Any],
    path: Path,
    metrics: dict[str, Metric],
    signals: list[Signals],
) -> ServiceDashboards:
    spec: dict[str, Any] = raw.get("dashboards", {})
    dpath = (*path, "dashboards")
    if "saturation" in spec:
        saturation = tuple(
            panel
            for i, item in enumerate(spec["saturation"])
            if (panel := _saturation(res, item, (*dpath, "saturation", i), metrics)) is not None
        )
    else:
        saturation = _default_saturation(metrics, signals)
    files = tuple(
        _grafanalib(res, text, (*dpath, "grafanalib", i))
        for i, text in enumerate(spec.get("grafanalib", ()))
    )
    return ServiceDashboards(
        folder=spec.get("folder", name),
        overview=spec.get("overview", True),
        slo=spec.get("slo", True),
        saturation=saturation,
        grafanalib=files,
        location=res.doc.where(dpath, key=True) if "dashboards" in raw else None,
    )


def _default_saturation(
    metrics: dict[str, Metric], signals: list[Signals]
) -> tuple[SaturationPanel, ...]:
    """Every metric the service exports itself that no RED signal charts already:
    the resource and workload metrics a saturation row is for."""
    used = {
        sig.metric.name
        for scope in signals
        for sig in (scope.requests, scope.errors, scope.latency)
        if sig is not None
    }
    return tuple(
        SaturationPanel(m.name, m.help or m.name, m.help or m.name)
        for m in metrics.values()
        if m.selector is None and m.name not in used and m.type != "summary"
    )


def _saturation(
    res: Resolution, item: str | dict[str, Any], path: Path, metrics: dict[str, Metric]
) -> SaturationPanel | None:
    raw: dict[str, Any] = {"metric": item} if isinstance(item, str) else item
    metric = metrics.get(raw["metric"])
    where = path if isinstance(item, str) else (*path, "metric")
    if metric is None:
        known = ", ".join(sorted(metrics)) or "none"
        res.err(
            where,
            f"metric {raw['metric']!r} is not in the service's metrics catalog (known: {known})"
            + did_you_mean(raw["metric"], metrics),
        )
        return None
    ok = True
    by = tuple(raw.get("by", ()))
    for i, label in enumerate(by):
        if metric.labels is not None and label not in metric.labels:
            declared = ", ".join(metric.labels) or "none"
            res.err(
                (*path, "by", i),
                f"{metric.name} has no label {label!r} (declared labels: {declared})",
            )
            ok = False
    capacity = None
    if "capacity" in raw:
        capacity = _capacity(res, metric, raw["capacity"], (*path, "capacity"))
        ok = ok and capacity is not None
    if not ok:
        return None
    title = raw.get("title") or metric.help or metric.name
    return SaturationPanel(
        metric=metric.name,
        title=title,
        description=raw.get("description") or metric.help or metric.name,
        by=by,
        match=matchers(raw.get("match", {})),
        capacity=capacity,
    )


def _capacity(res: Resolution, metric: Metric, value: Any, path: Path) -> float | None:
    kind = (
        "bytes" if metric.unit == "bytes" else "seconds" if metric.unit == "seconds" else "number"
    )
    try:
        number = COERCIONS[kind](value, Context({}, lambda m: ()))
    except ParamError as exc:
        res.err(path, f"capacity of {metric.name} ({metric.unit or 'no unit'}): {exc}")
        return None
    return float(number)


def _grafanalib(res: Resolution, text: str, path: Path) -> GrafanalibFile:
    # Relative to the spec file, like template directories: the spec means the
    # same wherever the tool runs.
    resolved = (FsPath(res.doc.file).resolve().parent / text).resolve()
    if not resolved.is_file():
        res.err(path, f"grafanalib file {text!r} not found (resolved to {resolved})")
    return GrafanalibFile(str(resolved), res.doc.where(path))
