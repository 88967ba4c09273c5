"""From a schema-valid spec document to one typed Model per environment.

All defaulting, selector merging, overlays, template rendering and the alert
conventions (severity, static summary, templated description, runbook) happen
here, with every problem located in the spec (or template) and collected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.escape import go_template_literal
from paladin_obs.loader import Document
from paladin_obs.model import (
    Alert,
    Environment,
    Metric,
    Model,
    Record,
    Selector,
    Service,
    Signal,
    Signals,
)
from paladin_obs.params import COERCIONS, Context, ParamError, metric_param
from paladin_obs.spec_schema import validate_spec
from paladin_obs.templates import Library, RenderError, Template, library
from paladin_obs.values import SeriesView, label_list, merge_selectors, parse_matcher

ALERT_FIELDS = frozenset(
    {
        "template",
        "expr",
        "for",
        "keep_firing_for",
        "severity",
        "summary",
        "description",
        "labels",
        "annotations",
        "runbook_url",
        "enabled",
    }
)
RECORD_FIELDS = frozenset({"template", "expr", "labels"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass
class _Field:
    """A value plus the spec path it came from (the alert's or an overlay's)."""

    value: Any
    path: Path


def resolve(doc: Document, only_env: str | None = None) -> list[Model]:
    """Every environment's model, or an InputError listing all problems."""
    errors = validate_spec(doc)
    if errors:
        raise InputError(errors)
    return _Resolver(doc, errors).run(only_env)


class _Resolver:
    def __init__(self, doc: Document, errors: list[Diagnostic]) -> None:
        self.doc = doc
        self.errors = errors
        self.spec: dict[str, Any] = doc.data
        defaults = self.spec.get("defaults", {})
        self.defaults = defaults
        self.version = self._version(defaults.get("prometheus_version"))
        self.interval = self._parse_duration(
            defaults.get("evaluation_interval"), ("defaults", "evaluation_interval")
        )
        self.library = self._library(defaults.get("templates", []))

    def err(self, path: Path, message: str, *, key: bool = False) -> None:
        self.errors.append(self.doc.at(path, message, key=key))

    # ---- top level -------------------------------------------------------------------
    def run(self, only_env: str | None) -> list[Model]:
        envs = self.spec.get("environments") or {}
        names = sorted(envs) if envs else [""]
        if only_env is not None and only_env not in names:
            known = ", ".join(n for n in names if n) or "none (the spec defines no environments)"
            raise InputError(
                [
                    Diagnostic(
                        Location(self.doc.file),
                        f"unknown environment {only_env!r}; defined: {known}",
                    )
                ]
            )
        self._check_unique_alerts()
        models = []
        for name in names:
            if only_env is not None and name != only_env:
                continue
            models.append(self._model(name, envs.get(name, {})))
        if self.errors:
            raise InputError(self.errors)
        return models

    def _parse_duration(self, text: str | None, path: Path) -> Duration | None:
        if text is None:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            self.err(path, str(exc))
            return None

    def _version(self, text: str | None) -> tuple[int, int]:
        if text is None:
            return conv.DEFAULT_PROMETHEUS_VERSION
        major, minor = text.split(".")
        return int(major), int(minor)

    def _library(self, dirs: list[str]) -> Library:
        base = FsPath(self.doc.file).resolve().parent
        paths = []
        for i, text in enumerate(dirs):
            path = (base / text).resolve()
            if not path.is_dir():
                self.err(
                    ("defaults", "templates", i),
                    f"template directory {text!r} not found (resolved to {path})",
                )
            paths.append(path)
        return library(tuple(paths))

    def _check_unique_alerts(self) -> None:
        seen: dict[str, Path] = {}
        for path, name, _ in self._all_alert_defs():
            if name in seen:
                first = self.doc.where(seen[name], key=True)
                self.err(
                    path,
                    f"alert {name!r} is defined twice (first at line {first.line}); names must be unique",
                    key=True,
                )
            else:
                seen[name] = path

    def _all_alert_defs(self) -> list[tuple[Path, str, str]]:
        out: list[tuple[Path, str, str]] = []
        for sname, service in self.spec["services"].items():
            for aname in service.get("alerts", {}):
                out.append((("services", sname, "alerts", aname), aname, sname))
            for dname, dep in service.get("dependencies", {}).items():
                for aname in dep.get("alerts", {}):
                    out.append(
                        (("services", sname, "dependencies", dname, "alerts", aname), aname, sname)
                    )
        return out

    def _model(self, env_name: str, env: dict[str, Any]) -> Model:
        env_path: Path = ("environments", env_name)
        environment = Environment(
            name=env_name,
            labels=dict(sorted(env.get("labels", {}).items())),
            selector=self._matchers(env.get("selector", {})),
        )
        overrides = env.get("alerts", {})
        known = {name for _, name, _ in self._all_alert_defs()}
        for name in overrides:
            if name not in known:
                self.err(
                    (*env_path, "alerts", name), f"override for unknown alert {name!r}", key=True
                )
        services = tuple(
            self._service(sname, svc, environment, overrides, env_path)
            for sname, svc in sorted(self.spec["services"].items())
        )
        return Model(
            spec_file=self.doc.file,
            environment=environment,
            prometheus_version=self.version,
            evaluation_interval=self.interval,
            services=services,
        )

    # ---- services --------------------------------------------------------------------
    def _matchers(self, raw: dict[str, str]) -> Selector:
        return merge_selectors(tuple(parse_matcher(k, v) for k, v in raw.items()))

    def _service(
        self,
        name: str,
        raw: dict[str, Any],
        env: Environment,
        overrides: dict[str, Any],
        env_path: Path,
    ) -> Service:
        path: Path = ("services", name)
        selector = self._matchers(raw.get("selector", {}))
        metrics = {
            mname: self._metric(mname, m) for mname, m in sorted(raw.get("metrics", {}).items())
        }

        def selector_for(metric: Metric) -> Selector:
            base = metric.selector if metric.selector is not None else selector
            return merge_selectors(base, env.selector)

        scope = _Scope(
            self, name, env, metrics, selector_for, merge_selectors(selector, env.selector)
        )
        signals = self._signals(raw.get("signals", {}), (*path, "signals"), metrics)
        # Alert scopes: the service itself, then each dependency with its own signals.
        scopes: list[tuple[str, Path, dict[str, Any], Signals]] = [("", path, raw, signals)]
        for dname, dep in sorted(raw.get("dependencies", {}).items()):
            dpath = (*path, "dependencies", dname)
            scopes.append((dname, dpath, dep, self._signals(dep, dpath, metrics)))
        alerts: list[Alert] = []
        for dependency, spath, holder, scope_signals in scopes:
            for aname, alert in holder.get("alerts", {}).items():
                built = scope.alert(
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
        deps = tuple(dependency for dependency, *_ in scopes[1:])
        records = []
        for rname, record in raw.get("records", {}).items():
            rec = scope.record(rname, record, (*path, "records", rname), signals)
            if rec is not None:
                records.append(rec)
        return Service(name, selector, metrics, signals, tuple(alerts), tuple(records), deps)

    def _metric(self, name: str, raw: dict[str, Any]) -> Metric:
        sel = raw.get("selector")
        return Metric(
            name=name,
            type=raw["type"],
            help=raw.get("help", ""),
            unit=raw.get("unit", ""),
            labels=tuple(raw["labels"]) if "labels" in raw else None,
            buckets=tuple(float(b) for b in raw.get("buckets", ())),
            selector=self._matchers(sel) if sel is not None else None,
        )

    def _signals(self, raw: dict[str, Any], path: Path, metrics: dict[str, Metric]) -> Signals:
        wanted = {"requests": ("counter",), "errors": ("counter",), "latency": ("histogram",)}
        found: dict[str, Signal] = {}
        for sname, types in wanted.items():
            if sname not in raw:
                continue
            spath = (*path, sname)
            value = raw[sname]
            mname, match = (
                (value, {}) if isinstance(value, str) else (value["metric"], value.get("match", {}))
            )
            mpath = spath if isinstance(value, str) else (*spath, "metric")
            metric = metrics.get(mname)
            if metric is None:
                self.err(
                    mpath,
                    f"metric {mname!r} is not in the service's metrics catalog; add it under metrics",
                )
                continue
            if metric.type not in types:
                self.err(
                    mpath,
                    f"the {sname} signal needs a {' or '.join(types)}, but {mname} is a {metric.type}",
                )
                continue
            for label in match:
                if metric.labels is not None and label not in metric.labels:
                    known = ", ".join(metric.labels) or "none"
                    self.err(
                        (*spath, "match", label),
                        f"{label!r} is not a label of {mname} (declared labels: {known})",
                        key=True,
                    )
            found[sname] = Signal(metric, self._matchers(match))
        return Signals(**found)


class _Scope:
    """Builds the alerts and records of one service in one environment."""

    def __init__(
        self,
        resolver: _Resolver,
        service: str,
        env: Environment,
        metrics: dict[str, Metric],
        selector_for: Any,
        group_selector: Selector,
    ) -> None:
        self.r = resolver
        self.service = service
        self.env = env
        self.metrics = metrics
        self.selector_for = selector_for
        self.group_labels = sorted({m.name for m in group_selector if m.op == "="})

    def signal_views(self, signals: Signals) -> dict[str, SeriesView]:
        out = {}
        for name in ("requests", "errors", "latency"):
            sig = signals.get(name)
            if sig is not None:
                out[name] = SeriesView(
                    sig.metric, merge_selectors(self.selector_for(sig.metric), sig.match)
                )
        return out

    # ---- templates -------------------------------------------------------------------
    def _template(self, kind: str, name: str, path: Path) -> Template | None:
        try:
            template = self.r.library.get(kind, name)
        except InputError as exc:
            self.r.errors.extend(exc.diagnostics)
            return None
        if template is None:
            available = ", ".join(self.r.library.names(kind))
            self.r.err(
                (*path, "template"),
                f"unknown template {name!r}; available {kind} templates: {available}",
            )
        return template

    def _context(
        self,
        template: Template,
        fields: dict[str, _Field],
        path: Path,
        signals: Signals,
        reserved: frozenset[str],
        dependency: str = "",
    ) -> dict[str, Any] | None:
        ok = True
        ctx = Context(self.metrics, self.selector_for)
        values: dict[str, Any] = {}
        allowed = ", ".join(sorted(template.params)) or "none"
        for key, fld in fields.items():
            if key in reserved:
                continue
            if key not in template.params:
                self.r.err(
                    fld.path,
                    f"unknown parameter {key!r} for template {template.name}; allowed: {allowed}",
                    key=True,
                )
                ok = False
        for pname, spec in sorted(template.params.items()):
            given = fields.get(pname)
            if given is None and spec.required:
                self.r.err(
                    path,
                    f"template {template.name} needs parameter {pname!r} ({spec.type}): {spec.description}",
                )
                ok = False
                continue
            raw = given.value if given is not None else spec.default
            if raw is None:
                values[pname] = None
                continue
            try:
                if spec.type == "metric":
                    values[pname] = metric_param(raw, ctx, spec.metric_types)
                else:
                    values[pname] = COERCIONS[spec.type](raw, ctx)
            except ParamError as exc:
                where = given.path if given is not None else path
                origin = "" if given is not None else f" (the template's default {raw!r})"
                hint = self.r.doc.yaml11_hint(where)
                origin += f"; {hint}" if hint else ""
                self.r.err(where, f"parameter {pname!r} of template {template.name}: {exc}{origin}")
                ok = False
        views = self.signal_views(signals)
        for needed in template.signals:
            if needed not in views:
                self.r.err(
                    path,
                    f"template {template.name} needs the {needed!r} signal, which this scope does not define",
                )
                ok = False
        if not ok:
            return None
        by = list(self.group_labels)
        if isinstance(values.get("by"), list):
            by += [b for b in values["by"] if b not in by]
        values.update(
            service=self.service,
            scope=f"{self.service}/{dependency}" if dependency else self.service,
            dependency=dependency,
            environment=self.env.name,
            signals=views,
            by=label_list(by),
        )
        return values

    def _render(
        self, template: Template, field: str, context: dict[str, Any], path: Path
    ) -> str | None:
        try:
            return template.render(field, context)
        except RenderError as exc:
            self.r.err(path, f"rendering failed: {exc}")
            return None

    # ---- alerts ----------------------------------------------------------------------
    def alert(
        self,
        name: str,
        raw: dict[str, Any],
        path: Path,
        signals: Signals,
        dependency: str,
        overrides: dict[str, Any],
        env_path: Path,
    ) -> Alert | None:
        fields = self._overlay(
            name, raw, path, overrides.get(name, {}), (*env_path, "alerts", name)
        )
        if fields is None:
            return None
        if fields.get("enabled", _Field(True, ())).value is False:
            return None
        r = self.r
        location = r.doc.where(path, key=True)
        summary_f, description_f = fields.get("summary"), fields.get("description")
        if "expr" in fields:
            expr = fields["expr"].value
            expr_location = r.doc.where(fields["expr"].path)
            summary = summary_f.value if summary_f else ""
            description = description_f.value if description_f else ""
        else:
            template = self._template("alerts", raw["template"], path)
            if template is None:
                return None
            context = self._context(template, fields, path, signals, ALERT_FIELDS, dependency)
            if context is None:
                return None
            context["alert"] = name
            rendered = {
                f: self._render(template, f, context, path)
                for f in ("expr", "summary", "description")
            }
            if any(v is None for v in rendered.values()):
                return None
            expr = str(rendered["expr"])
            expr_location = location
            summary = summary_f.value if summary_f else str(rendered["summary"])
            description = description_f.value if description_f else str(rendered["description"])
        summary_path = summary_f.path if summary_f else path
        # A template's summary was checked for actions when it loaded; here its
        # escaped values would look like actions, so only a user's text is checked.
        if summary_f is not None and "{{" in summary:
            r.err(
                summary_path,
                "summary must be static text (no {{ }}); put templated text in description",
            )
        elif not summary.endswith("."):
            r.err(summary_path, f"summary must be one sentence ending with a period: {summary!r}")
        elif summary_f is not None:
            summary = go_template_literal(summary)
        if "{{" not in description:
            r.err(
                description_f.path if description_f else path,
                "description must be a Go template that uses $labels or $value, so the page says which series fired",
            )
        severity = fields["severity"].value
        own_labels = fields["labels"].value if "labels" in fields else {}
        sources = (r.defaults.get("alert_labels", {}), self.env.labels, own_labels)
        labels = {k: go_template_literal(v) for source in sources for k, v in source.items()}
        labels[conv.SEVERITY_LABEL] = severity
        extra = fields["annotations"].value if "annotations" in fields else {}
        for reserved in (conv.SUMMARY, conv.DESCRIPTION, conv.RUNBOOK_URL):
            if reserved in extra:
                r.err(
                    (*fields["annotations"].path, reserved),
                    f"set {reserved} as the alert's own field, not under annotations",
                    key=True,
                )
        annotations = {**extra, conv.SUMMARY: summary, conv.DESCRIPTION: description}
        runbook = self._runbook(name, fields.get("runbook_url"))
        if runbook:
            annotations[conv.RUNBOOK_URL] = runbook
        else:
            r.err(
                path,
                "alert has no runbook_url: set one, or defaults.runbook_url with {alert}",
                key=True,
            )
        return Alert(
            name=name,
            expr=expr,
            severity=severity,
            summary=summary,
            description=description,
            for_=self._duration(fields.get("for")),
            keep_firing_for=self._duration(fields.get("keep_firing_for")),
            labels=dict(sorted(labels.items())),
            annotations=dict(sorted(annotations.items())),
            location=location,
            expr_location=expr_location,
            group=conv.alert_group(self.service, dependency),
        )

    def _overlay(
        self, name: str, raw: dict[str, Any], path: Path, override: dict[str, Any], opath: Path
    ) -> dict[str, _Field] | None:
        """The alert's fields with an environment's override on top; labels and
        annotations merge key by key, everything else is replaced."""
        fields = {k: _Field(v, (*path, k)) for k, v in raw.items()}
        ok = True
        for key, value in override.items():
            if key == "expr" and "template" in raw:
                self.r.err(
                    (*opath, key), "an override cannot replace a template alert's expression"
                )
                ok = False
            elif "expr" in raw and key not in ALERT_FIELDS:
                allowed = ", ".join(sorted(ALERT_FIELDS - {"template"}))
                self.r.err(
                    (*opath, key),
                    f"unknown key {key!r} for an expr alert; allowed: {allowed}",
                    key=True,
                )
                ok = False
            elif key in ("labels", "annotations") and key in fields:
                fields[key] = _Field({**fields[key].value, **value}, (*opath, key))
            else:
                fields[key] = _Field(value, (*opath, key))
        return fields if ok else None

    def _duration(self, fld: _Field | None) -> Duration | None:
        return self.r._parse_duration(fld.value, fld.path) if fld is not None else None

    def _runbook(self, alert: str, fld: _Field | None) -> str:
        if fld is not None:
            return go_template_literal(fld.value)
        pattern = self.r.defaults.get("runbook_url")
        if not pattern:
            return ""
        values = {
            "alert": alert,
            "alert_lower": alert.lower(),
            "service": self.service,
            "environment": self.env.name,
        }
        unknown = [p for p in _PLACEHOLDER.findall(pattern) if p not in values]
        if unknown:
            self.r.err(
                ("defaults", "runbook_url"),
                f"unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + p + '}' for p in conv.RUNBOOK_PLACEHOLDERS)}",
            )
            return ""
        url = _PLACEHOLDER.sub(lambda m: values[m.group(1)], pattern)
        return go_template_literal(url)

    # ---- records ---------------------------------------------------------------------
    def record(self, name: str, raw: dict[str, Any], path: Path, signals: Signals) -> Record | None:
        labels = {**self.env.labels, **raw.get("labels", {})}
        location = self.r.doc.where(path, key=True)
        if "expr" in raw:
            return Record(
                name, raw["expr"], dict(sorted(labels.items())), self.r.doc.where((*path, "expr"))
            )
        template = self._template("records", raw["template"], path)
        if template is None:
            return None
        fields = {k: _Field(v, (*path, k)) for k, v in raw.items()}
        context = self._context(template, fields, path, signals, RECORD_FIELDS)
        if context is None:
            return None
        context["record"] = name
        expr = self._render(template, "expr", context, path)
        if expr is None:
            return None
        return Record(name, expr, dict(sorted(labels.items())), location)
