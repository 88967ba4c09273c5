"""The shape of a Promtail config, checked against our schema of what Promtail reads.

Promtail loads its YAML strictly: a misspelt stage key is a startup error on
every host. No Promtail binary exists here, so ``schema/promtail.schema.json``
(Promtail 3.x's config structs for the parts we write) stands in for it.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.validate.schema_fast import PackageSchema

_SCHEMA = PackageSchema("schema/promtail.schema.json")


def shape_errors(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(data path, message) per schema violation, in document order."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    if _SCHEMA.valid(data):
        return out
    for error in sorted(_SCHEMA.validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        where = "/".join(str(p) for p in path) or "(top)"
        out.append((path, f"promtail config at {where}: {error.message}"))
    return out
