"""``paladin-obs validate``: check specs, Prometheus rule files and Grafana dashboards.

Exit 1 means findings (the files are readable but wrong); exit 2 means a file
could not be used at all (missing, not YAML or JSON, duplicate keys, not a
known kind). YAML files are specs or rule files; JSON files are dashboards,
recognised by their shape.
"""

from __future__ import annotations

from pathlib import Path

from paladin_obs import conventions as conv
from paladin_obs import pipeline
from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.diagnostics import Path as DocPath
from paladin_obs.loader import Document, load_file
from paladin_obs.report import Report
from paladin_obs.validate import VALIDATORS, Settings, Source, grafana_dashboard
from paladin_obs.validate.base import Locate
from paladin_obs.validate.grafana_delivery import is_operator, is_provisioning
from paladin_obs.validate.json_positions import JsonDocument, load_json

_SUFFIXES = (".yaml", ".yml", ".json")


def _expand(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in _SUFFIXES and p.is_file()))
        else:
            out.append(path)
    return out


def _is_spec(doc: Document) -> bool:
    return isinstance(doc.data, dict) and ("services" in doc.data or "version" in doc.data)


def run(paths: tuple[str, ...], version_text: str | None) -> Report:
    if not paths:
        paths = ("paladin-obs.yaml",)
    unusable: list[Diagnostic] = []
    findings: list[Diagnostic] = []
    rule_sources: list[Source] = []
    dashboard_sources: list[Source] = []
    provisioning_sources: list[Source] = []
    operator_sources: list[Source] = []
    for path in _expand(paths):
        if path.suffix == ".json":
            source = _dashboard(path, unusable)
            if source is not None:
                dashboard_sources.append(source)
            continue
        try:
            doc = load_file(path, text_scalars=True, first_document=True)
        except InputError as exc:
            unusable.extend(exc.diagnostics)
            continue
        if _is_spec(doc):
            findings.extend(_check_spec(path, unusable))
            continue
        if doc.data is None or doc.data == {} or (isinstance(doc.data, dict) and "groups" in doc.data):
            rule_sources.append(Source(doc.file, doc.data, _locator(doc)))
        elif is_provisioning(doc.data):
            provisioning_sources.append(Source(doc.file, doc.data, _locator(doc)))
        elif is_operator(doc.data):
            operator_sources.append(Source(doc.file, doc.data, _locator(doc)))
        else:
            unusable.append(
                Diagnostic(
                    Location(str(path), 1, 1),
                    "not a paladin-obs spec (version/services), a Prometheus rule file (groups), "
                    "Grafana dashboard provisioning (apiVersion/providers) nor a GrafanaDashboard",
                )
            )
    settings = Settings(prometheus_version=_version(version_text))
    for kind, sources in (
        (conv.PROMETHEUS_RULES_KIND, rule_sources),
        (grafana_dashboard.KIND, dashboard_sources),
        (gconv.PROVISIONING_KIND, provisioning_sources),
        (gconv.OPERATOR_KIND, operator_sources),
    ):
        if sources or kind == conv.PROMETHEUS_RULES_KIND:
            checked = VALIDATORS[kind].check(sources, settings)
            findings.extend(checked.errors)
            findings.extend(checked.findings)
    shown = tuple(sorted(set(findings)))
    if unusable:
        return Report(
            problems=tuple(unusable),
            findings=shown,
            summary=f"{len(unusable)} file problem(s) made input unusable.",
            exit_code=2,
        )
    errors = [f for f in shown if f.severity == "error"]
    if errors:
        return Report(findings=shown, summary=f"{len(errors)} error(s).", exit_code=1)
    return Report(findings=shown)


def _dashboard(path: Path, unusable: list[Diagnostic]) -> Source | None:
    """A dashboard file as a source, or None (and why, in ``unusable``).

    Recognised by shape: an object with a ``panels`` or ``rows`` list or a
    ``schemaVersion``, or the API's ``{"dashboard": {...}}`` wrapper of one.
    A spec (version/services) or anything else in JSON is refused by name.
    """
    try:
        doc = load_json(path)
    except InputError as exc:
        unusable.extend(exc.diagnostics)
        return None
    prefix: DocPath = ()
    data = doc.data
    if isinstance(data, dict) and _is_dashboard(data.get("dashboard")):
        prefix, data = ("dashboard",), data["dashboard"]
    if not _is_dashboard(data):
        unusable.append(
            Diagnostic(
                Location(str(path), 1, 1),
                "a JSON file must be a Grafana dashboard (an object with panels, rows or "
                "schemaVersion); specs and rule files are YAML",
            )
        )
        return None
    return Source(doc.file, data, _json_locator(doc, prefix))


def _is_dashboard(data: object) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("panels"), list)
        or isinstance(data.get("rows"), list)
        or "schemaVersion" in data
    )


def _json_locator(doc: JsonDocument, prefix: DocPath) -> Locate:
    def locate(path: DocPath, key: bool) -> Location:
        return doc.where((*prefix, *path), key=key)

    return locate


def _locator(doc: Document) -> Locate:
    def locate(path: DocPath, key: bool) -> Location:
        return doc.where(path, key=key)

    return locate


def _check_spec(path: Path, unusable: list[Diagnostic]) -> list[Diagnostic]:
    """A spec is valid when everything it generates is: run the whole pipeline.
    It loaded as text already, so only the typed re-load could fail here."""
    try:
        doc = load_file(path)
    except InputError as exc:
        unusable.extend(exc.diagnostics)
        return []
    try:
        return list(pipeline.build_document(doc).findings)
    except InputError as exc:
        return list(exc.diagnostics)


def _version(text: str | None) -> tuple[int, int]:
    if not text:
        return conv.DEFAULT_PROMETHEUS_VERSION
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)
