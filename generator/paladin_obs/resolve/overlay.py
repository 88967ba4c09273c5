"""An alert's fields with one environment's override laid on top.

Each field keeps the spec path it came from, so a problem with an overridden
value is reported at the override in ``environments``, where the user wrote it,
and not at the alert it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.resolve.context import Resolution

# The keys an alert (or an override of it) sets itself; a template alert's other
# keys are the template's parameters.
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
        "suppress",
        "global",
    }
)


@dataclass
class Field:
    """A value plus the spec path it came from (the alert's or an overlay's)."""

    value: Any
    path: Path


def fields_of(raw: dict[str, Any], path: Path) -> dict[str, Field]:
    """Every key of a spec mapping, located under ``path``."""
    return {k: Field(v, (*path, k)) for k, v in raw.items()}


def overlay(
    res: Resolution, raw: dict[str, Any], path: Path, override: dict[str, Any], opath: Path
) -> dict[str, Field] | None:
    """The alert's fields with an environment's override on top; labels and
    annotations merge key by key, everything else is replaced.

    None when the override is invalid (reported): an alert built from half an
    override would differ from what either the user or the template meant.
    """
    fields = fields_of(raw, path)
    ok = True
    for key, value in override.items():
        if key == "expr" and "template" in raw:
            res.err((*opath, key), "an override cannot replace a template alert's expression")
            ok = False
        elif "expr" in raw and key not in ALERT_FIELDS:
            allowed = ", ".join(sorted(ALERT_FIELDS - {"template"}))
            res.err(
                (*opath, key),
                f"unknown key {key!r} for an expr alert; allowed: {allowed}",
                key=True,
            )
            ok = False
        elif key in ("labels", "annotations") and key in fields:
            fields[key] = Field({**fields[key].value, **value}, (*opath, key))
        else:
            fields[key] = Field(value, (*opath, key))
    return fields if ok else None
