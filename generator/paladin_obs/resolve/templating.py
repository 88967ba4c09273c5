"""From a template name and the user's parameters to rendered rule text.

Parameters are coerced and checked against the template's declared types before
anything renders, so a wrong value is reported at the spec line that set it
rather than surfacing as broken PromQL from inside a template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from paladin_obs.diagnostics import InputError, Path
from paladin_obs.model import Signals
from paladin_obs.params import COERCIONS, Context, ParamError, metric_param
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.catalog_checks import (
    check_labels,
    check_latency_threshold,
    check_matcher_values,
    metric_unit,
)
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import Field
from paladin_obs.suggest import closest, did_you_mean
from paladin_obs.templates import RenderError, Template
from paladin_obs.values import SeriesView, label_list, merge_selectors


def find_template(res: Resolution, kind: str, name: str, path: Path) -> Template | None:
    """The named alerts/records template, or None when unknown or broken (reported)."""
    try:
        found = res.library.get(kind, name)
    except InputError as exc:
        res.report(exc.diagnostics)
        return None
    if found is None:
        available = ", ".join(res.library.names(kind))
        res.err(
            (*path, "template"),
            f"unknown template {name!r}; available {kind} templates: {available}"
            + did_you_mean(name, res.library.names(kind)),
        )
    return found


def signal_views(scope: ServiceScope, signals: Signals) -> dict[str, SeriesView]:
    """Each declared signal as the series it selects in this environment."""
    out = {}
    for name in ("requests", "errors", "latency"):
        sig = signals.get(name)
        if sig is not None:
            out[name] = SeriesView(
                sig.metric, merge_selectors(scope.selector_for(sig.metric), sig.match)
            )
    return out


def parameters(
    res: Resolution,
    scope: ServiceScope,
    template: Template,
    fields: dict[str, Field],
    path: Path,
    signals: Signals,
    reserved: frozenset[str],
    dependency: str = "",
    log_fields: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The values a template renders with: its coerced parameters plus what every
    template may use (service, scope, environment, signals, by).

    ``reserved`` are the fields the alert or record sets itself, not parameters.
    Every problem is reported before giving up, so one run shows them all.
    """
    ok = True
    ctx = Context(scope.metrics, scope.selector_for, log_fields or {})
    values: dict[str, Any] = {}
    allowed = ", ".join(sorted(template.params)) or "none"
    # A misspelt parameter is reported once, with its fix, not again as missing.
    suggested: set[str] = set()
    for key, fld in fields.items():
        if key in reserved:
            continue
        if key not in template.params:
            guess = closest(key, template.params)
            if guess is not None:
                suggested.add(guess)
            res.err(
                fld.path,
                f"unknown parameter {key!r} for template {template.name}; allowed: {allowed}"
                + did_you_mean(key, template.params),
                key=True,
            )
            ok = False
    for pname, spec in sorted(template.params.items()):
        given = fields.get(pname)
        if given is None and spec.required and pname in suggested:
            continue
        if given is None and spec.required:
            res.err(
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
            hint = res.doc.yaml11_hint(where)
            origin += f"; {hint}" if hint else ""
            res.err(where, f"parameter {pname!r} of template {template.name}: {exc}{origin}")
            ok = False
    views = signal_views(scope, signals)
    # The alert's scope: its path without ``alerts``/``records`` and its name.
    scope_path = path[:-2]
    for needed in template.signals:
        if needed not in views and res.signal_failed(scope_path, needed):
            ok = False  # the signal's own error says what to fix
        elif needed not in views:
            res.err(
                path,
                f"template {template.name} needs the {needed!r} signal, which this scope does not define",
            )
            ok = False
    for pname, spec in sorted(template.params.items()):
        named = values.get(pname)
        if spec.type != "signal" or not isinstance(named, str) or named in views:
            continue
        ok = False
        if not res.signal_failed(scope_path, named):
            given = fields.get(pname)
            res.err(
                given.path if given is not None else path,
                f"parameter {pname!r} of template {template.name} names the {named!r} signal, "
                "which this scope does not define",
            )
    if ok:
        ok = check_catalog(res, template, fields, values, views)
    if not ok:
        return None
    by = list(scope.group_labels)
    if isinstance(values.get("by"), list):
        by += [b for b in values["by"] if b not in by]
    values.update(
        service=scope.service,
        scope=f"{scope.service}/{dependency}" if dependency else scope.service,
        dependency=dependency,
        environment=scope.env.name,
        signals=views,
        by=label_list(by),
    )
    return values


#: A capacity written as a size with a unit (8Gi, 512MB): a number of bytes.
_SIZE_WITH_UNIT = re.compile(r"^\s*[0-9][0-9.]*\s*(?:[KMGTP]i?B?|B)\s*$")


def check_catalog(
    res: Resolution,
    template: Template,
    fields: dict[str, Field],
    values: dict[str, Any],
    views: dict[str, SeriesView],
) -> bool:
    """The user's parameters against the catalog of the metrics the template
    queries (its ``metric`` parameters and the signals it uses): label names
    (``by``, ``capacity_on``) the metrics have, ``match`` labels they have and
    no regex without ``=~``, a latency ``threshold`` (seconds) inside the
    histogram's buckets, a size capacity only for a metric in bytes.

    Only values the spec gives are checked: a template's defaults are its own.
    """
    metric_views = [
        v
        for p, spec in sorted(template.params.items())
        if spec.type == "metric" and isinstance(v := values.get(p), SeriesView)
    ]
    signal_names = list(template.signals)
    signal_names += [
        v
        for p, spec in sorted(template.params.items())
        if spec.type == "signal" and isinstance(v := values.get(p), str)
    ]
    signal_views = [views[n] for n in dict.fromkeys(signal_names) if n in views]
    queried = [(v.metric, v.matchers) for v in (*metric_views, *signal_views)]
    # ``metric.where(match)``: a template's matchers narrow its metric parameters,
    # or its signals when it has none.
    matched = [(v.metric, v.matchers) for v in metric_views or signal_views]
    ok = True
    for pname, spec in sorted(template.params.items()):
        given = fields.get(pname)
        value = values.get(pname)
        if given is None or value is None:
            continue
        if spec.type == "label_names" and isinstance(value, list):
            labels = [(str(label), (*given.path, i)) for i, label in enumerate(value)]
            ok = check_labels(res, labels, queried, key=False) and ok
        elif spec.type == "label_name":
            ok = check_labels(res, [(str(value), given.path)], queried, key=False) and ok
        elif spec.type == "matchers" and isinstance(given.value, dict):
            labels = [(str(label), (*given.path, label)) for label in given.value]
            ok = check_matcher_values(res, given.value, given.path) and ok
            ok = check_labels(res, labels, matched, key=True) and ok
        elif spec.type == "capacity" and isinstance(given.value, str) and len(metric_views) == 1:
            unit = metric_unit(metric_views[0].metric)
            if _SIZE_WITH_UNIT.match(given.value) and unit not in ("", "bytes"):
                res.err(
                    given.path,
                    f"capacity {given.value!r} is a size in bytes but "
                    f"{metric_views[0].metric.name} is measured in {unit}; give the capacity "
                    f"as a number in {unit}",
                )
                ok = False
    threshold = values.get("threshold")
    threshold_spec = template.params.get("threshold")
    if (
        threshold_spec is not None
        and threshold_spec.type == "seconds"
        and isinstance(threshold, float)
    ):
        histograms = [v.metric for v in signal_views if v.metric.type == "histogram"]
        histograms += [v.metric for v in metric_views if v.metric.type == "histogram"]
        given = fields.get("threshold")
        if len({m.name for m in histograms}) == 1 and given is not None:
            ok = check_latency_threshold(res, histograms[0], threshold, given.path) and ok
    return ok


def render(
    res: Resolution, template: Template, field: str, context: dict[str, Any], path: Path
) -> str | None:
    """One rendered field of the template, or None when rendering fails (reported)."""
    try:
        return template.render(field, context)
    except RenderError as exc:
        res.err(path, f"rendering failed: {exc}")
        return None
