"""Recording rules: a hand-written expression or a rendered records template.

Records carry the environment's labels like alerts do, but none of the alert
conventions: nobody is paged by a record.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.model import Record, Signals
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import fields_of
from paladin_obs.resolve.raw_scope import scope_expr
from paladin_obs.resolve.templating import find_template, parameters, render

# The keys a record sets itself; a template record's other keys are the
# template's parameters.
RECORD_FIELDS = frozenset({"template", "expr", "labels", "global"})


def build_record(
    res: Resolution,
    scope: ServiceScope,
    name: str,
    raw: dict[str, Any],
    path: Path,
    signals: Signals,
) -> Record | None:
    """The record in this environment, or None when invalid (reported)."""
    labels = {**scope.env.labels, **raw.get("labels", {})}
    location = res.doc.where(path, key=True)
    if "expr" in raw:
        expr = scope_expr(res, scope, raw["expr"], (*path, "expr"), raw.get("global"))
        if expr is None:
            return None
        return Record(name, expr, dict(sorted(labels.items())), res.doc.where((*path, "expr")))
    template = find_template(res, "records", raw["template"], path)
    if template is None:
        return None
    context = parameters(res, scope, template, fields_of(raw, path), path, signals, RECORD_FIELDS)
    if context is None:
        return None
    context["record"] = name
    expr = render(res, template, "expr", context, path)
    if expr is None:
        return None
    return Record(name, expr, dict(sorted(labels.items())), location)
