"""A service's ``logs:`` section as the typed ``ServiceLogs`` of one environment.

Everything a log agent would otherwise find out at run time is decided here,
located in the spec: regexes are checked with Go's RE2 rules (Alloy and
Promtail are Go), fields used by drop rules and metrics must be declared, and
the cardinality guard (``resolve.log_labels``) runs before anything is written.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Path
from paladin_obs.escape import go_regex_literal
from paladin_obs.model import Environment
from paladin_obs.model_logs import (
    DropRule,
    KubernetesSource,
    LogField,
    LogMetric,
    LogSource,
    Loki,
    Multiline,
    ServiceLogs,
)
from paladin_obs.regex_groups import named_groups
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.log_alerts import build_log_alerts, build_log_records
from paladin_obs.resolve.log_labels import check_cardinality, check_field
from paladin_obs.suggest import did_you_mean
from paladin_obs.validate.re2 import check_regex

DEFAULT_URL = "http://loki:3100/loki/api/v1/push"


def build_loki(res: Resolution, env: dict[str, Any]) -> Loki:
    """Spec defaults with the environment's ``loki`` laid over them, field by field."""
    merged = {**res.defaults.get("loki", {}), **env.get("loki", {})}
    return Loki(
        url=merged.get("url", DEFAULT_URL),
        tenant=merged.get("tenant", ""),
        promtail=merged.get("promtail", False),
    )


def check_log_overrides(res: Resolution, env_path: Path, overrides: dict[str, Any]) -> None:
    """An override of a service without logs would silently change nothing."""
    services = res.spec["services"]
    for name in overrides:
        if "logs" not in services.get(name, {}):
            res.err(
                (*env_path, "logs", name),
                f"log override for {name!r}, which has no logs section",
                key=True,
            )


def regex_ok(res: Resolution, pattern: str, path: Path, what: str) -> bool:
    """Report a regex Go would refuse; Alloy would refuse to load the pipeline."""
    problem = check_regex(pattern)
    if problem:
        res.err(path, f"{what} is not a valid RE2 regex: {problem}")
        return False
    return True


def build_service_logs(
    res: Resolution,
    service: str,
    raw: dict[str, Any],
    path: Path,
    env: Environment,
    env_override: dict[str, Any],
    env_path: Path,
    alert_overrides: dict[str, Any],
) -> ServiceLogs:
    lpath = (*path, "logs")
    override_path = (*env_path, "logs", service)
    source = _source(raw["source"])
    fmt = raw.get("format", "json")
    regex = raw.get("regex", "")
    groups = _format_regex(res, fmt, regex, lpath)
    fields = tuple(
        f
        for fpath, fraw in raw.get("fields", {}).items()
        if (f := check_field(res, fmt, groups, fpath, fraw, (*lpath, "fields", fpath))) is not None
    )
    _unique_roles(res, fields, lpath)
    static = {lconv.SERVICE_LABEL: service, **env.labels}
    static.update(raw.get("labels", {}))
    static.update(env_override.get("labels", {}))
    check_cardinality(res, source, fields, static, lpath, "fields" in raw)
    min_level = env_override.get("min_level", raw.get("min_level", ""))
    level_path = (
        (*override_path, "min_level") if "min_level" in env_override else (*lpath, "min_level")
    )
    min_level = lconv.level_name(min_level) or "" if min_level else ""
    if min_level and not any(f.role == "level" for f in fields):
        res.err(level_path, "min_level needs a field with role: level to read the level from")
    multiline = raw.get("multiline")
    names = {f.path: f.key for f in fields} | {f.name: f.key for f in fields}
    level_key = next((f.key for f in fields if f.role == "level"), "")
    logs = ServiceLogs(
        source=source,
        format=fmt,
        regex=regex,
        multiline=_multiline(res, multiline, (*lpath, "multiline")) if multiline else None,
        fields=fields,
        static_labels=dict(sorted(static.items())),
        min_level=min_level if min_level != lconv.LEVELS[0] else "",
        drop=tuple(
            d
            for i, rule in enumerate(raw.get("drop", []))
            if (d := _drop(res, rule, (*lpath, "drop", i), names, level_key)) is not None
        ),
        metrics=tuple(
            m
            for mname, mraw in raw.get("metrics", {}).items()
            if (m := _metric(res, mname, mraw, (*lpath, "metrics", mname), names, level_key))
            is not None
        ),
        alerts=(),
        records=(),
        location=res.doc.where(lpath, key=True),
    )
    alerts = build_log_alerts(res, service, logs, raw, lpath, env, alert_overrides, env_path)
    records = build_log_records(res, logs, raw, lpath)
    return replace(logs, alerts=alerts, records=records)


def _source(raw: dict[str, Any]) -> LogSource:
    k8s = raw.get("kubernetes")
    if k8s is None:
        return LogSource(files=tuple(raw["files"]))
    selector = ",".join(
        f"{k}!={v[2:]}" if v.startswith("!=") else f"{k}={v}"
        for k, v in sorted(k8s["selector"].items())
    )
    return LogSource(
        kubernetes=KubernetesSource(
            namespaces=tuple(k8s.get("namespaces", ())),
            selector=selector,
            container=k8s.get("container", ""),
        )
    )


def _format_regex(res: Resolution, fmt: str, regex: str, path: Path) -> frozenset[str]:
    """The named groups of a regex format (fields must be among them)."""
    if fmt != "regex":
        if regex:
            res.err((*path, "regex"), f"regex is only read with format: regex, not {fmt}")
        return frozenset()
    if not regex:
        res.err(path, "format regex needs a regex with named groups (?P<name>...)")
        return frozenset()
    if not regex_ok(res, regex, (*path, "regex"), "regex"):
        return frozenset()
    groups = frozenset(named_groups(regex))
    if not groups:
        res.err((*path, "regex"), "the regex has no named group (?P<name>...): it extracts nothing")
    return groups


def _unique_roles(res: Resolution, fields: tuple[LogField, ...], path: Path) -> None:
    seen: dict[str, str] = {}
    for f in fields:
        key: str = f.role if f.role in ("timestamp", "level") else ""
        if f.output:
            key = "output"
        if key and key in seen:
            res.err(
                (*path, "fields", f.path),
                f"only one field may have role {key if key != 'output' else 'line with output'}; "
                f"{seen[key]!r} already has it",
                key=True,
            )
        elif key:
            seen[key] = f.path
    names: dict[str, str] = {}
    for f in fields:
        if f.name in names:
            res.err(
                (*path, "fields", f.path),
                f"fields {names[f.name]!r} and {f.path!r} are both extracted as {f.name!r}; "
                "give one a different name",
                key=True,
            )
        names[f.name] = f.path


def _multiline(res: Resolution, raw: dict[str, Any], path: Path) -> Multiline:
    regex_ok(res, raw["first_line"], (*path, "first_line"), "first_line")
    max_wait = res.duration(raw.get("max_wait"), (*path, "max_wait"))
    if max_wait is not None and max_wait.millis == 0:
        res.err((*path, "max_wait"), "max_wait must be greater than 0")
    return Multiline(
        first_line=raw["first_line"],
        max_wait=max_wait,
        max_lines=raw.get("max_lines"),
    )


def _field_name(
    res: Resolution, names: dict[str, str], value: str, path: Path, what: str
) -> str | None:
    if value in names:
        return names[value]
    known = ", ".join(sorted(names)) or "none"
    res.err(
        path,
        f"{what} {value!r} is not a declared field (declared: {known}); add it under fields"
        + did_you_mean(value, names),
    )
    return None


def _level_value(res: Resolution, value: str, path: Path) -> str:
    """A level compared after the pipeline normalised it: its canonical name."""
    level = lconv.level_name(value)
    if level is None:
        res.err(path, f"{value!r} is not a log level; use {', '.join(lconv.LEVELS)}")
        return ""
    return level


def _drop(
    res: Resolution, raw: dict[str, Any], path: Path, names: dict[str, str], level_key: str
) -> DropRule | None:
    source = ""
    if "field" in raw:
        found = _field_name(res, names, raw["field"], (*path, "field"), "field")
        if found is None:
            return None
        source = found
    elif "value" in raw:
        res.err((*path, "value"), "value compares a field: add field: <name>")
        return None
    expression = raw.get("regex", "")
    if expression and not regex_ok(res, expression, (*path, "regex"), "regex"):
        return None
    if "contains" in raw:
        if expression:
            res.err(path, "use either contains or regex, not both")
            return None
        expression = go_regex_literal(raw["contains"])
    value = raw.get("value", "")
    if value and expression:
        # Alloy and Promtail refuse a drop stage with both.
        res.err(
            path, "a drop rule compares a field by value or by regex, not both: split it in two"
        )
        return None
    if value and source == level_key:
        value = _level_value(res, value, (*path, "value"))
        if not value:
            return None
    size = raw.get("longer_than", "")
    if not (expression or value or size):
        res.err(path, "a drop rule needs contains, regex, value or longer_than")
        return None
    return DropRule(
        source=source,
        expression=expression,
        value=value,
        longer_than=size,
        reason=raw.get("reason", ""),
    )


_ACTIONS = {
    "counter": ("inc", "add"),
    "gauge": ("set", "inc", "dec", "add", "sub"),
    "histogram": (),
}


def _metric(
    res: Resolution,
    name: str,
    raw: dict[str, Any],
    path: Path,
    names: dict[str, str],
    level_key: str,
) -> LogMetric | None:
    mtype = raw["type"]
    ok = True
    source = ""
    if "field" in raw:
        found = _field_name(res, names, raw["field"], (*path, "field"), "field")
        ok = found is not None
        source = found or ""
    elif mtype != "counter":
        res.err(path, f"a {mtype} reads a value: add field: <declared field>")
        ok = False
    action = raw.get("action", "inc" if mtype == "counter" else "set" if mtype == "gauge" else "")
    allowed = _ACTIONS[mtype]
    if "action" in raw and action not in allowed:
        choices = " or ".join(allowed) if allowed else "no action (it observes the field)"
        res.err((*path, "action"), f"a {mtype} takes {choices}, not {action!r}")
        ok = False
    if mtype == "counter" and action == "add" and not source:
        res.err((*path, "action"), "action add adds a field's value: add field: <declared field>")
        ok = False
    if "value" in raw and (mtype != "counter" or not source):
        res.err(
            (*path, "value"),
            "value counts the lines whose field equals it: counters with a field only",
        )
        ok = False
    value = raw.get("value", "")
    if value and source == level_key:
        value = _level_value(res, value, (*path, "value"))
        ok = ok and bool(value)
    buckets = tuple(float(b) for b in raw.get("buckets", ()))
    if not all(math.isfinite(b) for b in buckets):
        res.err((*path, "buckets"), "buckets must be finite numbers (+Inf is always added)")
        ok = False
    if mtype == "histogram" and not buckets:
        res.err(path, "a histogram needs buckets (ascending upper bounds)")
        ok = False
    elif buckets and mtype != "histogram":
        res.err((*path, "buckets"), f"buckets are for histograms, not a {mtype}")
        ok = False
    elif list(buckets) != sorted(set(buckets)):
        res.err((*path, "buckets"), "buckets must be strictly ascending")
        ok = False
    max_idle = res.duration(raw.get("max_idle"), (*path, "max_idle"))
    if max_idle is not None and max_idle.millis < 1000:
        res.err((*path, "max_idle"), "max_idle must be at least 1s (the agents refuse less)")
        ok = False
    if not ok:
        return None
    return LogMetric(
        name=name,
        type=mtype,
        description=raw["description"],
        source=source,
        value=value,
        action=action,
        buckets=buckets,
        max_idle=max_idle,
    )
