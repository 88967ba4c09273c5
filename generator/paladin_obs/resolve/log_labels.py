"""The cardinality guard: what may become a Loki label, and how many labels a stream has.

Every distinct label set is a stream with its own index entries and chunks; a
request, agent or trace id promoted to a label makes one stream per value and
takes the index down. Loki's guidance is few labels, all with few fixed values;
ids belong in structured metadata (stored beside the line, filterable, not
indexed). The guard refuses the mistake in the spec, where it can be fixed,
instead of letting Loki throttle the pipeline in production.
"""

from __future__ import annotations

import re
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Path
from paladin_obs.model_logs import FieldRole, LogField, LogSource
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean

_GO_LAYOUT_TOKENS = ("2006", "06", "01", "02", "15", "03", "04", "05", "Jan", "Mon", "MST", "Z07")
TIMESTAMP_NAMES = frozenset(
    {
        "ANSIC",
        "UnixDate",
        "RubyDate",
        "RFC822",
        "RFC822Z",
        "RFC850",
        "RFC1123",
        "RFC1123Z",
        "RFC3339",
        "RFC3339Nano",
        "Unix",
        "UnixMs",
        "UnixUs",
        "UnixNs",
    }
)
_ROLE_KEYS = {"format": "timestamp", "values": "label", "bounded": "label", "output": "line"}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_]")


def default_name(path: str) -> str:
    """A field's label-safe name: the path's last part (``span.paladin_id`` → ``paladin_id``)."""
    name = _UNSAFE_NAME.sub("_", path.rsplit(".", 1)[-1])
    return f"_{name}" if name[0].isdigit() else name


def check_field(
    res: Resolution,
    fmt: str,
    groups: frozenset[str],
    fpath: str,
    raw: dict[str, Any],
    path: Path,
) -> LogField | None:
    """One declared field, or None when it cannot be read or stored as asked (reported)."""
    role: FieldRole = raw["role"]
    ok = True
    for key, needs in _ROLE_KEYS.items():
        if key in raw and role != needs:
            res.err((*path, key), f"{key} is for role {needs}, not {role}", key=True)
            ok = False
    if fmt == "plain":
        res.err(
            path, "format plain has no fields; use json, logfmt or regex to read fields", key=True
        )
        return None
    if fmt == "regex" and fpath not in groups and groups:
        known = ", ".join(sorted(groups))
        res.err(
            path,
            f"{fpath!r} is not a named group of the regex (groups: {known})"
            + did_you_mean(fpath, groups),
            key=True,
        )
        ok = False
    name = raw.get("name") or default_name(fpath)
    if name.startswith("__"):
        res.err(path, f"{name!r} starts with '__', which Loki reserves; set name:", key=True)
        ok = False
    if role == "level":
        name = raw.get("name", lconv.LEVEL_LABEL)
    if role == "timestamp" and not _timestamp_format_ok(raw.get("format", "RFC3339Nano")):
        res.err(
            (*path, "format"),
            f"unknown timestamp format {raw['format']!r}: use RFC3339, RFC3339Nano, Unix, UnixMs, "
            "UnixUs, UnixNs or a Go layout such as 2006-01-02 15:04:05.000",
        )
        ok = False
    if role == "label":
        ok = _label_ok(res, fpath, name, raw, path) and ok
    if not ok:
        return None
    return LogField(
        path=fpath,
        role=role,
        name=name,
        key=fpath if fmt == "regex" else name,
        format=raw.get("format", "RFC3339Nano") if role == "timestamp" else "",
        values=tuple(raw.get("values", ())),
        output=raw.get("output", False),
        location=res.doc.where(path, key=True),
    )


def _timestamp_format_ok(fmt: str) -> bool:
    return fmt in TIMESTAMP_NAMES or any(token in fmt for token in _GO_LAYOUT_TOKENS)


def _label_ok(res: Resolution, fpath: str, name: str, raw: dict[str, Any], path: Path) -> bool:
    if lconv.is_identifier(fpath) or lconv.is_identifier(name):
        if "values" in raw:
            return True  # listed values are bounded by definition, whatever the name says
        res.err(
            (*path, "role"),
            f"field {fpath!r} is an identifier (one value per request, agent or trace): as a "
            "label it makes one Loki stream per value. Make it role: structured_metadata "
            "(kept with each line, filterable with | "
            f'{name}="...", not indexed), or list its few values under values:',
        )
        return False
    if "values" not in raw and "bounded" not in raw:
        res.err(
            (*path, "role"),
            f"field {fpath!r} becomes a label, so its values must be few and fixed: list them "
            "under values: or set bounded: true; otherwise make it role: structured_metadata",
        )
        return False
    return True


def source_labels(source: LogSource) -> tuple[str, ...]:
    """Labels the agent itself puts on each stream, beside the pipeline's."""
    if source.kubernetes is not None:
        return lconv.KUBERNETES_LABELS
    return (lconv.FILENAME_LABEL,)


def check_cardinality(
    res: Resolution,
    source: LogSource,
    fields: tuple[LogField, ...],
    static: dict[str, str],
    path: Path,
    has_fields: bool,
) -> None:
    """Loki's limits on a stream's labels, counted the way the agent will set them."""
    dynamic = [*source_labels(source), *(f.name for f in fields if f.role in ("label", "level"))]
    for f in fields:
        # Loki renames a parsed key that clashes with a stream label
        # (``service_extracted``): a query on the field would test the label.
        if f.role not in ("timestamp", "drop") and f.name in static:
            res.err(
                (*path, "fields", f.path),
                f"{f.name!r} is already a static label ({f.name}={static[f.name]!r}); "
                "give the field another name:",
                key=True,
            )
    where = (*path, "fields") if has_fields else path
    if len(dynamic) > lconv.MAX_DYNAMIC_LABELS:
        res.err(
            where,
            f"{len(dynamic)} labels take their values from the logs ({', '.join(dynamic)}); "
            f"Loki's limit for a sane index is {lconv.MAX_DYNAMIC_LABELS}: make the rest "
            "structured_metadata",
            key=True,
        )
    total = len(set(dynamic) | set(static))
    if total > lconv.MAX_STREAM_LABELS:
        res.err(
            where,
            f"a stream would carry {total} labels ({', '.join(sorted(set(dynamic) | set(static)))}); "
            f"Loki refuses more than {lconv.MAX_STREAM_LABELS} per stream",
            key=True,
        )
