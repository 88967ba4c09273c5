"""Alert rules, and the conventions every alert must meet.

An alert is only useful if the page it sends can be acted on, so every alert,
from a template or hand-written (``expr``), meets the same conventions: a static
one-sentence summary, a description that says which series fired, a severity
label and a runbook. They are checked here, after overlays and rendering,
because only the final text shows whether they hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.diagnostics import Location, Path
from paladin_obs.durations import Duration
from paladin_obs.escape import go_template_literal
from paladin_obs.model import Alert, ParamValue, Signals, Suppression
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import ALERT_FIELDS, Field, overlay
from paladin_obs.resolve.raw_scope import scope_expr
from paladin_obs.resolve.templating import find_template, parameters, render
from paladin_obs.suggest import did_you_mean
from paladin_obs.values import SeriesView

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def alert_definitions(spec: dict[str, Any]) -> list[tuple[Path, str, str]]:
    """(path, alert name, service) of every alert, the services', their
    dependencies' and their logs', in document order."""
    out: list[tuple[Path, str, str]] = []
    for sname, service in spec["services"].items():
        for aname in service.get("alerts", {}):
            out.append((("services", sname, "alerts", aname), aname, sname))
        for dname, dep in service.get("dependencies", {}).items():
            for aname in dep.get("alerts", {}):
                out.append(
                    (("services", sname, "dependencies", dname, "alerts", aname), aname, sname)
                )
        for aname in service.get("logs", {}).get("alerts", {}):
            out.append((("services", sname, "logs", "alerts", aname), aname, sname))
    return out


def check_unique_names(res: Resolution) -> None:
    """Alert names are unique across the whole spec: an environment overrides an
    alert by name alone, and Alertmanager routes and silences by it."""
    seen: dict[str, Path] = {}
    for path, name, _ in alert_definitions(res.spec):
        if name in seen:
            first = res.doc.where(seen[name], key=True)
            res.err(
                path,
                f"alert {name!r} is defined twice (first at line {first.line}); names must be unique",
                key=True,
            )
        else:
            seen[name] = path


def check_overrides(res: Resolution, env_path: Path, overrides: dict[str, Any]) -> None:
    """An override of no alert is a typo that would silently change nothing."""
    known = {name for _, name, _ in alert_definitions(res.spec)}
    for name in overrides:
        if name not in known:
            res.err(
                (*env_path, "alerts", name),
                f"override for unknown alert {name!r}" + did_you_mean(name, known),
                key=True,
            )


def build_alert(
    res: Resolution,
    scope: ServiceScope,
    name: str,
    raw: dict[str, Any],
    path: Path,
    signals: Signals,
    dependency: str,
    overrides: dict[str, Any],
    env_path: Path,
) -> Alert | None:
    """The alert in this environment, or None when disabled there or invalid
    (every problem reported)."""
    fields = overlay(res, raw, path, overrides.get(name, {}), (*env_path, "alerts", name))
    if fields is None:
        return None
    if "enabled" in fields and fields["enabled"].value is False:
        return None
    draft = draft_alert(res, scope, name, raw, fields, path, "alerts", signals, dependency)
    if draft is None:
        return None
    return finish_alert(
        res,
        scope,
        name,
        fields,
        path,
        draft,
        conv.alert_group(scope.service, dependency),
        dependency,
        signals,
    )


def draft_alert(
    res: Resolution,
    scope: ServiceScope,
    name: str,
    raw: dict[str, Any],
    fields: dict[str, Field],
    path: Path,
    kind: str,
    signals: Signals,
    dependency: str = "",
    extra: Mapping[str, Any] | None = None,
    log_fields: Mapping[str, Any] | None = None,
) -> Draft | None:
    """The alert's expression and text: as written (``expr``) or rendered from
    a ``kind`` template with ``extra`` in its context; None when that failed
    (reported)."""
    summary_f, description_f = fields.get("summary"), fields.get("description")
    if "expr" in fields:
        expr = fields["expr"].value
        if kind == "alerts":  # PromQL; log alerts' LogQL has stream selectors of its own
            global_f = fields.get("global")
            scoped = scope_expr(
                res, scope, expr, fields["expr"].path, global_f.value if global_f else None
            )
            if scoped is None:
                return None
            expr = scoped
        return Draft(
            expr,
            res.doc.where(fields["expr"].path),
            summary_f.value if summary_f else "",
            description_f.value if description_f else "",
        )
    template = find_template(res, kind, raw["template"], path)
    if template is None:
        return None
    context = parameters(
        res, scope, template, fields, path, signals, ALERT_FIELDS, dependency, log_fields
    )
    if context is None:
        return None
    params = {p: plain_param(context[p]) for p in sorted(template.params) if p in context}
    threshold = _threshold(context)
    context["alert"] = name
    context.update(extra or {})
    rendered = {
        f: render(res, template, f, context, path) for f in ("expr", "summary", "description")
    }
    if any(v is None for v in rendered.values()):
        return None
    return Draft(
        str(rendered["expr"]),
        res.doc.where(path, key=True),
        summary_f.value if summary_f else conv.as_sentence(str(rendered["summary"]), scope.metrics),
        description_f.value if description_f else str(rendered["description"]),
        template.name,
        threshold,
        params,
    )


@dataclass(frozen=True)
class Draft:
    """An alert's expression and text before the conventions are applied."""

    expr: str
    expr_location: Location
    summary: str
    description: str
    template: str = ""
    threshold: float | None = None
    params: Mapping[str, ParamValue] = field(default_factory=dict)


def finish_alert(
    res: Resolution,
    scope: ServiceScope,
    name: str,
    fields: dict[str, Field],
    path: Path,
    draft: Draft,
    group: str,
    dependency: str = "",
    signals: Signals | None = None,
) -> Alert:
    """The alert conventions, checked on the final text and applied: the same
    for metric alerts (Prometheus) and log alerts (Loki ruler)."""
    location = res.doc.where(path, key=True)
    summary_f, description_f = fields.get("summary"), fields.get("description")
    summary, description = draft.summary, draft.description
    summary_path = summary_f.path if summary_f else path
    # A template's summary was checked for actions when it loaded; here its
    # escaped values would look like actions, so only a user's text is checked.
    if summary_f is not None and "{{" in summary:
        res.err(
            summary_path,
            "summary must be static text (no {{ }}); put templated text in description",
        )
    elif not summary.endswith("."):
        res.err(summary_path, f"summary must be one sentence ending with a period: {summary!r}")
    elif summary_f is not None:
        summary = go_template_literal(summary)
    if "{{" not in description:
        res.err(
            description_f.path if description_f else path,
            "description must be a Go template that uses $labels or $value, so the page says which series fired",
        )
    severity = fields["severity"].value
    own_labels = fields["labels"].value if "labels" in fields else {}
    sources = (res.defaults.get("alert_labels", {}), scope.env.labels, own_labels)
    labels = {k: go_template_literal(v) for source in sources for k, v in source.items()}
    labels[conv.SEVERITY_LABEL] = severity
    extra = fields["annotations"].value if "annotations" in fields else {}
    for reserved in (conv.SUMMARY, conv.DESCRIPTION, conv.RUNBOOK_URL):
        if reserved in extra:
            res.err(
                (*fields["annotations"].path, reserved),
                f"set {reserved} as the alert's own field, not under annotations",
                key=True,
            )
    annotations = {**extra, conv.SUMMARY: summary, conv.DESCRIPTION: description}
    link = runbook(res, scope, name, fields.get("runbook_url"))
    if link:
        annotations[conv.RUNBOOK_URL] = link
    else:
        res.err(
            path,
            "alert has no runbook_url: set one, or defaults.runbook_url with {alert}",
            key=True,
        )
    return Alert(
        name=name,
        expr=draft.expr,
        severity=severity,
        summary=summary,
        description=description,
        for_=_duration(res, fields.get("for")),
        keep_firing_for=_duration(res, fields.get("keep_firing_for")),
        labels=dict(sorted(labels.items())),
        annotations=dict(sorted(annotations.items())),
        location=location,
        expr_location=draft.expr_location,
        group=group,
        template=draft.template,
        dependency=dependency,
        threshold=draft.threshold,
        params=draft.params,
        signals=signals if signals is not None else Signals(),
        suppress=_suppressions(res, fields.get("suppress")),
    )


def _suppressions(res: Resolution, fld: Field | None) -> tuple[Suppression, ...]:
    """The alert's ``suppress`` mapping (check id → reason; the schema checked
    both), each located at its key for the unused-suppression warning."""
    if fld is None:
        return ()
    return tuple(
        Suppression(check, reason, res.doc.where((*fld.path, check), key=True))
        for check, reason in sorted(fld.value.items())
    )


def plain_param(value: Any) -> ParamValue:
    """A coerced template parameter as plain model data (see ``ParamValue``)."""
    if isinstance(value, SeriesView):
        return value.metric.name
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, tuple):
        return value
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _threshold(context: dict[str, Any]) -> float | None:
    """What the expression compares against: ``threshold``, or an age limit
    (``max_age``) in seconds."""
    value = context.get("threshold")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    age = context.get("max_age")
    return float(age.seconds) if isinstance(age, Duration) else None


def _duration(res: Resolution, fld: Field | None) -> Duration | None:
    return res.duration(fld.value, fld.path) if fld is not None else None


def runbook(res: Resolution, scope: ServiceScope, alert: str, fld: Field | None) -> str:
    # The alert's own URL wins; else the spec-wide pattern, filled in per alert,
    # so one line in defaults gives every alert a runbook.
    if fld is not None:
        return go_template_literal(fld.value)
    pattern = res.defaults.get("runbook_url")
    if not pattern:
        return ""
    values = {
        "alert": alert,
        "alert_lower": alert.lower(),
        "service": scope.service,
        "environment": scope.env.name,
    }
    unknown = [p for p in _PLACEHOLDER.findall(pattern) if p not in values]
    if unknown:
        res.err(
            ("defaults", "runbook_url"),
            f"unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + p + '}' for p in conv.RUNBOOK_PLACEHOLDERS)}",
        )
        return ""
    url = _PLACEHOLDER.sub(lambda m: values[m.group(1)], pattern)
    return go_template_literal(url)
