"""``paladin-obs import sloth``: Sloth SLO specs as our spec, with Sloth's own rules.

Both forms Sloth reads are accepted, several per file (``---``):
``version: prometheus/v1`` and the Kubernetes ``PrometheusServiceLevel``
(``apiVersion: sloth.slok.dev/v1``). The spec produced says ``mode: sloth``,
so ``generate`` writes the rules ``sloth generate`` would, given the same
flags (they become spec defaults or are folded into the SLOs, as Sloth does).

What our spec cannot say is refused at its line, never dropped: SLI and SLO
plugins (code run inside Sloth), unknown keys, and names our schema refuses.
A Kubernetes object's ``metadata`` and ``status`` are accepted and not kept:
they describe the object Sloth would wrap the rules in, not the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from paladin_obs.conventions.slo import RESERVED_LABELS, WINDOW_PLACEHOLDER_RE
from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.importers.sloth_windows import add_defaults
from paladin_obs.importers.spec_text import Imported, Source, check_spec
from paladin_obs.loader import load_file_documents

PROMETHEUS_V1 = "prometheus/v1"
K8S_API_VERSION = "sloth.slok.dev/v1"
K8S_KIND = "PrometheusServiceLevel"
_SUPPORTED = f"version: {PROMETHEUS_V1}, or apiVersion: {K8S_API_VERSION} with kind: {K8S_KIND}"
_WINDOW = re.compile(WINDOW_PLACEHOLDER_RE)
_PLUGINS = (
    "Sloth SLO plugins cannot be expressed in a paladin-obs spec (they run code inside "
    "Sloth); remove the chain, or keep generating this SLO with Sloth"
)
_SLI_PLUGIN = (
    "Sloth SLI plugins cannot be expressed in a paladin-obs spec (the plugin writes the "
    "query inside Sloth); write the query it produces as a raw or events SLI"
)


@dataclass(frozen=True)
class SlothOptions:
    """``sloth generate``'s flags that change the rules, in the same words."""

    default_slo_period: str | None = None
    slo_period_windows_path: str | None = None
    disable_alerts: bool = False
    disable_recordings: bool = False
    extra_labels: tuple[tuple[str, str], ...] = ()

    def as_flags(self) -> list[str]:
        """The flags as given, for the imported spec's header."""
        flags = []
        if self.default_slo_period is not None:
            flags.append(f"--default-slo-period {self.default_slo_period}")
        if self.slo_period_windows_path is not None:
            flags.append(f"--slo-period-windows-path {self.slo_period_windows_path}")
        flags += ["--disable-alerts"] * self.disable_alerts
        flags += ["--disable-recordings"] * self.disable_recordings
        flags += [f"--extra-labels {k}={v}" for k, v in self.extra_labels]
        return flags


@dataclass(frozen=True)
class _Dialect:
    """Where the two Sloth forms keep the same things, and how sloth_slo_info names them."""

    root: Path
    plugins: str
    error_query: str
    total_query: str
    error_ratio_query: str
    page: str
    ticket: str
    info: Mapping[str, str] = field(default_factory=dict)


_PROM = _Dialect(
    (),
    "slo_plugins",
    "error_query",
    "total_query",
    "error_ratio_query",
    "page_alert",
    "ticket_alert",
    {"sloth_mode": "cli-gen-prom", "sloth_spec": PROMETHEUS_V1},
)
_K8S = _Dialect(
    ("spec",),
    "sloPlugins",
    "errorQuery",
    "totalQuery",
    "errorRatioQuery",
    "pageAlert",
    "ticketAlert",
    {"sloth_mode": "cli-gen-k8s", "sloth_spec": K8S_API_VERSION},
)


def load_sloth(path: str, options: SlothOptions | None = None) -> dict[str, Any]:
    """Our spec data for the Sloth file at ``path``; InputError locates every problem."""
    return import_sloth(path, options or SlothOptions()).data


def import_sloth(path: str, options: SlothOptions) -> Imported:
    """The spec with where each value came from (for located schema errors)."""
    errors: list[Diagnostic] = []
    out = Imported(path)
    out.put(("version",), 1, Location(path, 1, 1))
    add_defaults(
        out,
        path,
        period=options.default_slo_period,
        windows_path=options.slo_period_windows_path,
        recordings=not options.disable_recordings,
    )
    seen: dict[tuple[str, str], Location] = {}
    documents = [d for d in load_file_documents(path) if d.data is not None]
    if not documents:
        raise InputError(
            [
                Diagnostic(
                    Location(path, 1, 1), f"no Sloth spec in this file; supported: {_SUPPORTED}"
                )
            ]
        )
    for doc in documents:
        src = Source(doc, errors)
        dialect = _dialect(src)
        if dialect is not None:
            _document(src, dialect, options, out, seen)
    if not errors:
        errors.extend(check_spec(out))
    if errors:
        raise InputError(errors)
    return out


def _dialect(src: Source) -> _Dialect | None:
    """Which Sloth form a document is, or a located error naming what it says instead."""
    data = src.doc.data
    if not isinstance(data, dict):
        src.error((), f"expected a Sloth spec (a mapping); supported: {_SUPPORTED}")
        return None
    if "version" in data:
        version = data["version"]
        if version == PROMETHEUS_V1:
            return _PROM
        src.error(
            ("version",), f"unsupported Sloth spec version {version!r}; supported: {_SUPPORTED}"
        )
        return None
    if "apiVersion" not in data and "kind" not in data:
        src.error((), f"not a Sloth spec (no version, apiVersion or kind); supported: {_SUPPORTED}")
        return None
    api, kind = data.get("apiVersion"), data.get("kind")
    ok = True
    if api != K8S_API_VERSION:
        hint = (
            "; for OpenSLO use paladin-obs import openslo"
            if str(api).startswith("openslo/")
            else ""
        )
        src.error(("apiVersion",), f"unsupported apiVersion {api!r}; supported: {_SUPPORTED}{hint}")
        ok = False
    if kind != K8S_KIND:
        hint = (
            "; pass alert windows with --slo-period-windows-path" if kind == "AlertWindows" else ""
        )
        src.error(("kind",), f"unsupported kind {kind!r}; supported: {_SUPPORTED}{hint}")
        ok = False
    return _K8S if ok else None


def _document(
    src: Source,
    dialect: _Dialect,
    options: SlothOptions,
    out: Imported,
    seen: dict[tuple[str, str], Location],
) -> None:
    if dialect is _K8S:
        src.mapping((), ("apiVersion", "kind", "metadata", "spec", "status"))
    root = dialect.root
    allowed = (
        ("version", "service", "labels", "slos")
        if dialect is _PROM
        else ("service", "labels", "slos")
    )
    if src.mapping(root, allowed, refused={dialect.plugins: _PLUGINS}, required=True) is None:
        return
    service = src.text((*root, "service"), required=True)
    labels = src.labels((*root, "labels"))
    slos = src.items((*root, "slos"), required=True)
    if not slos and src.has((*root, "slos")):
        src.error((*root, "slos"), "at least one SLO is required")
    if service is None:
        return
    where = src.loc((*root, "service"))
    out.locate(("services",), where)
    out.locate(("services", service), where)
    out.locate(("services", service, "slos"), src.loc((*root, "slos")))
    for index in range(len(slos)):
        path = (*root, "slos", index)
        _slo(src, dialect, options, out, seen, service, labels, path)


def _slo(
    src: Source,
    dialect: _Dialect,
    options: SlothOptions,
    out: Imported,
    seen: dict[tuple[str, str], Location],
    service: str,
    spec_labels: dict[str, str],
    path: Path,
) -> None:
    keys = ("name", "description", "objective", "labels", "sli", "alerting")
    if src.mapping(path, keys, refused={"plugins": _PLUGINS}, required=True) is None:
        return
    name = src.text((*path, "name"), required=True)
    if name is None:
        return
    here = src.loc((*path, "name"))
    first = seen.setdefault((service, name), here)
    if first != here:
        src.error(
            (*path, "name"), f"SLO {name!r} of service {service!r} is already defined at {first}"
        )
        return
    base = ("services", service, "slos", name)
    out.put(base, {}, src.loc(path), key=here)
    description = src.text((*path, "description"))
    if description:
        out.put((*base, "description"), description, src.loc((*path, "description")))
    objective = src.number((*path, "objective"), required=True)
    if objective is not None:
        out.put((*base, "objective"), objective, src.loc((*path, "objective")))
    _labels(src, out, base, spec_labels, path, options)
    out.put((*base, "info_labels"), dict(dialect.info), src.loc(path))
    _sli(src, dialect, out, base, (*path, "sli"))
    _alerting(src, dialect, options, out, base, (*path, "alerting"))


def _labels(
    src: Source,
    out: Imported,
    base: Path,
    spec_labels: dict[str, str],
    path: Path,
    options: SlothOptions,
) -> None:
    """Spec labels, then the SLO's, then --extra-labels: later ones win, as in Sloth."""
    root = path[:-2]
    own = src.labels((*path, "labels"))
    merged: dict[str, tuple[str, Path | None]] = {}
    for key, value in spec_labels.items():
        merged[key] = (value, (*root, "labels", key))
    for key, value in own.items():
        merged[key] = (value, (*path, "labels", key))
    for key, value in options.extra_labels:
        merged[key] = (value, None)
    for key, (_, origin) in list(merged.items()):
        if key in RESERVED_LABELS:
            del merged[key]
            why = f"{key!r} is a label the SLO rules set themselves; use another name"
            if origin is None:
                src.errors.append(Diagnostic(Location("--extra-labels"), why))
            else:
                src.error(origin, why, key=True)
    if not merged:
        return
    target = (*base, "labels")
    out.put(target, {k: v for k, (v, _) in merged.items()}, src.loc((*path, "labels")))
    for key, (_, origin) in merged.items():
        if origin is None:
            out.locate((*target, key), Location("--extra-labels"))
        else:
            out.locate((*target, key), src.loc(origin), key=src.loc(origin, key=True))


def _sli(src: Source, dialect: _Dialect, out: Imported, base: Path, path: Path) -> None:
    sli = src.mapping(path, ("events", "raw"), refused={"plugin": _SLI_PLUGIN}, required=True)
    if sli is None:
        return
    out.put((*base, "sli"), {}, src.loc(path))
    if "events" in sli:
        events = (*path, "events")
        if src.mapping(events, (dialect.error_query, dialect.total_query), required=True) is None:
            return
        for ours, theirs in (("errors", dialect.error_query), ("total", dialect.total_query)):
            query = _query(src, (*events, theirs))
            if query is not None:
                out.put(
                    (*base, "sli", "events", ours), {"query": query}, src.loc((*events, theirs))
                )
    if "raw" in sli:
        raw = (*path, "raw")
        if src.mapping(raw, (dialect.error_ratio_query,), required=True) is None:
            return
        query = _query(src, (*raw, dialect.error_ratio_query))
        if query is not None:
            target = (*base, "sli", "raw", "error_ratio_query")
            out.put(target, query, src.loc((*raw, dialect.error_ratio_query)))


def _query(src: Source, path: Path) -> str | None:
    query = src.text(path, required=True)
    if query is not None and not _WINDOW.search(query):
        src.error(
            path,
            f"{path[-1]} must contain {{{{.window}}}} where the range goes (Sloth requires it too)",
        )
        return None
    return query


def _alerting(
    src: Source, dialect: _Dialect, options: SlothOptions, out: Imported, base: Path, path: Path
) -> None:
    """alerting as ours: page and ticket tiers, disabled ones kept as ``enabled: false``."""
    keys = ("name", "labels", "annotations", dialect.page, dialect.ticket)
    src.mapping(path, keys)
    target = (*base, "alerting")
    out.put(target, {}, src.loc(path))
    name = src.text((*path, "name"))
    if name:
        out.put((*target, "name"), name, src.loc((*path, "name")))
    _texts(src, out, (*path, "labels"), (*target, "labels"))
    _texts(src, out, (*path, "annotations"), (*target, "annotations"))
    enabled = []
    for ours, theirs in (("page", dialect.page), ("ticket", dialect.ticket)):
        tier = (*path, theirs)
        src.mapping(tier, ("disable", "labels", "annotations"))
        disabled = src.flag((*tier, "disable"))
        if not disabled:
            enabled.append(theirs)
        tier_out = (*target, ours)
        out.put(tier_out, {}, src.loc(tier))
        if disabled or options.disable_alerts:
            where = src.loc((*tier, "disable")) if disabled else Location("--disable-alerts")
            out.put((*tier_out, "enabled"), False, where)
        _texts(src, out, (*tier, "labels"), (*tier_out, "labels"))
        _texts(src, out, (*tier, "annotations"), (*tier_out, "annotations"))
        if not out.data_at(tier_out):
            out.drop(tier_out)
    if enabled and not name:
        src.error(
            path if src.has(path) else path[:-1],
            f"alerting.name is required while {' and '.join(enabled)} is enabled (Sloth "
            f"requires it too); name the alert, or set disable: true on both",
            key=True,
        )
    if not out.data_at(target):
        out.drop(target)


def _texts(src: Source, out: Imported, path: Path, target: Path) -> None:
    """Labels or annotations copied with the location of each name and value."""
    values = src.labels(path)
    if not values:
        return
    out.put(target, values, src.loc(path))
    for key in values:
        out.locate((*target, key), src.loc((*path, key)), key=src.loc((*path, key), key=True))
