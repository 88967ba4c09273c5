"""``paladin-obs validate``: check specs, rule files, log pipelines and dashboards.

Validity and lint apart, as promtool's ``check rules`` and ``--lint``: exit 1
means a file is readable but Prometheus (Loki, Grafana) would refuse to load
it (a validity error); lint findings on rule files and dashboards are printed
as warnings (``file:line:col: warning: message [check-id]``) and fail the
command only with ``lint_fatal`` (``--lint-fatal``). A spec is valid when
``generate`` would accept it, so its generated output's lint errors stay
errors there. Exit 2 means a file could not be used at all (missing, not YAML
or JSON, duplicate keys, not a known kind). YAML files are specs, rule files (Loki's when under a ``loki``
folder, or all of them with ``--loki``), Promtail configs or Grafana delivery
files; JSON files are dashboards, recognised by their shape. A big Prometheus
rule file given alone is checked by two processes (``validate.rules_split``),
with the same result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from paladin_obs import conventions as conv
from paladin_obs.conventions import grafana as gconv
from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.diagnostics import Path as DocPath
from paladin_obs.directives import parse_comments
from paladin_obs.lint import DEFAULT_SCRAPE_INTERVAL
from paladin_obs.lint.catalog import Catalog, spec_scrape_interval
from paladin_obs.loader import Document, load_file, load_text
from paladin_obs.report import Report
from paladin_obs.validate import VALIDATORS, Settings, Source
from paladin_obs.validate.base import Locate
from paladin_obs.validate.grafana_delivery import is_operator, is_provisioning
from paladin_obs.validate.json_positions import JsonDocument, load_json
from paladin_obs.validate.rules_split import check_split, read_checked_text

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


@dataclass
class Gathered:
    """What every file given said, before a command decides what fails."""

    #: Files that could not be used at all (exit 2).
    unusable: list[Diagnostic] = field(default_factory=list)
    #: Validity errors, and a spec's lint findings (its output is checked as
    #: ``generate`` would check it).
    findings: list[Diagnostic] = field(default_factory=list)
    #: Lint findings of hand-written files, with their checks' own severities.
    lints: list[Diagnostic] = field(default_factory=list)
    #: Hand-written rule files and a spec's generated ones, for checks across both.
    rule_sources: list[Source] = field(default_factory=list)
    generated_rules: list[Source] = field(default_factory=list)


def run(
    paths: tuple[str, ...],
    version_text: str | None,
    *,
    loki: bool = False,
    lint_fatal: bool = False,
    spec: str | None = None,
    scrape_interval: float | None = None,
) -> Report:
    found = gather(paths, version_text, loki=loki, spec=spec, scrape_interval=scrape_interval)
    unusable, findings = found.unusable, found.findings
    # Deduplicated by the sort key, which holds exactly the fields findings
    # compare by: hashing through the dataclasses' generated methods cost a
    # tenth of a second on a big file's 20,000 findings. The first kept, as a set.
    keyed: dict[tuple[object, ...], Diagnostic] = {}
    for finding in findings:
        keyed.setdefault(order(finding), finding)
    for lint_finding in found.lints:
        warning = _as_warning(lint_finding)
        keyed.setdefault(order(warning), warning)
    shown = tuple(keyed[k] for k in sorted(keyed))
    if unusable:
        return Report(
            problems=tuple(unusable),
            findings=shown,
            summary=f"{len(unusable)} file problem(s) made input unusable.",
            exit_code=2,
        )
    errors = [f for f in shown if f.severity == "error"]  # lints are warnings here
    fatal = [f for f in shown if f.check and f.severity == "warning"] if lint_fatal else []
    if errors or fatal:
        parts = [f"{len(errors)} error(s)"] if errors else []
        if fatal:
            parts.append(f"{len(fatal)} lint finding(s) made fatal by --lint-fatal")
        return Report(findings=shown, summary=" and ".join(parts) + ".", exit_code=1)
    return Report(findings=shown)


def gather(
    paths: tuple[str, ...],
    version_text: str | None,
    *,
    loki: bool = False,
    spec: str | None = None,
    scrape_interval: float | None = None,
) -> Gathered:
    """Validate and lint every file of ``paths`` (directories recursively).

    ``spec`` gives the catalog for type-aware lint of rule files (a spec among
    ``paths`` gives it too) and its scrape interval; ``scrape_interval`` wins.
    """
    if not paths:
        paths = ("paladin-obs.yaml",)
    out = Gathered()
    unusable, findings = out.unusable, out.findings
    by_kind: dict[str, list[Source]] = defaultdict(list)
    catalog: Catalog | None = None
    interval: float | None = None
    if spec is not None:
        spec_doc = _spec_doc(Path(spec), unusable)
        if spec_doc is not None:
            catalog = Catalog.from_spec(spec_doc)
            interval = spec_scrape_interval(spec_doc, DEFAULT_SCRAPE_INTERVAL)
            out.generated_rules.extend(_generated_rules(spec_doc, unusable))
    expanded = _expand(paths)
    texts: dict[Path, str] = {}
    one = expanded[0] if spec is None and len(expanded) == 1 else None
    if one is not None and _split(one, version_text, loki, scrape_interval, out, texts):
        return out
    for path in expanded:
        if path.suffix == ".json":
            source = _dashboard(path, unusable)
            if source is not None:
                by_kind[gconv.DASHBOARD_KIND].append(source)
            continue
        try:
            if path in texts:
                doc = load_text(texts[path], str(path), text_scalars=True, first_document=True)
            else:
                doc = load_file(path, text_scalars=True, first_document=True)
        except InputError as exc:
            unusable.extend(exc.diagnostics)
            continue
        if _is_spec(doc):
            typed = _spec_doc(path, unusable)
            if typed is not None:
                findings.extend(_check_spec(typed, out.generated_rules))
                if catalog is None:
                    catalog = Catalog.from_spec(typed)
                    interval = spec_scrape_interval(typed, DEFAULT_SCRAPE_INTERVAL)
            continue
        kind = _yaml_kind(doc.data)
        if kind == conv.PROMETHEUS_RULES_KIND and (loki or lconv.is_loki_path(str(path))):
            kind = lconv.RULES_KIND
        if kind is None:
            unusable.append(
                Diagnostic(
                    Location(str(path), 1, 1),
                    "not a paladin-obs spec (version/services), a Prometheus or Loki rule file "
                    "(groups), a Promtail config (scrape_configs), Grafana dashboard "
                    "provisioning (apiVersion/providers) nor a GrafanaDashboard",
                )
            )
        else:
            if kind == lconv.PROMTAIL_KIND:
                # Promtail reads numbers and booleans as such, unlike rule files.
                doc = load_file(path, first_document=True)
            source = Source(doc.file, doc.data, _locator(doc), parse_comments(doc.text, doc.file))
            by_kind[kind].append(source)
            if kind == conv.PROMETHEUS_RULES_KIND:
                out.rule_sources.append(source)
    settings = Settings(
        _version(version_text),
        catalog,
        scrape_interval if scrape_interval is not None else interval,
    )
    for kind, sources in by_kind.items():
        checked = VALIDATORS[kind].check(sources, settings)
        findings.extend(checked.errors)
        out.lints.extend(checked.findings)
    return out


def _split(
    path: Path,
    version_text: str | None,
    loki: bool,
    scrape_interval: float | None,
    out: Gathered,
    texts: dict[Path, str],
) -> bool:
    """Check a big rule file, given alone, in two processes (``rules_split``);
    False when it is not one or is not cut: it is then checked as usual, from
    the text read here (``texts``)."""
    if path.suffix == ".json" or loki or lconv.is_loki_path(str(path)):
        return False
    try:
        text = texts[path] = read_checked_text(path)
    except InputError:
        return False  # the usual way reports it
    settings = Settings(_version(version_text), None, scrape_interval)
    split = check_split(text, str(path), settings)
    if split is None:
        return False
    checked, source = split
    out.findings.extend(checked.errors)
    out.lints.extend(checked.findings)
    out.rule_sources.append(source)
    return True


def order(d: Diagnostic) -> tuple[object, ...]:
    """The sort key of ``Diagnostic``'s own order (location, message, path,
    check, severity), as one flat tuple: sorting 10,000 findings through the
    dataclasses' generated comparisons took a second."""
    loc = d.location
    return (loc.file, loc.line, loc.column, d.message, d.path, d.check, d.severity)


def _as_warning(finding: Diagnostic) -> Diagnostic:
    """A lint finding of a rule file or dashboard, as ``validate`` reports it:
    Prometheus loads the file anyway, so it is a warning whatever the check's
    own severity (which still blocks ``generate``)."""
    if finding.severity != "error":
        return finding
    f = finding  # built directly: ``dataclasses.replace`` costs five times as much
    return Diagnostic(f.location, f.message, f.path, f.check, "warning", f.detail, f.source)


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
    return Source(doc.file, data, _locator(doc, prefix))


def _is_dashboard(data: object) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("panels"), list)
        or isinstance(data.get("rows"), list)
        or "schemaVersion" in data
    )


def _yaml_kind(data: object) -> str | None:
    """The artifact kind of a YAML file that is not a spec, or None."""
    if data is None or data == {} or (isinstance(data, dict) and "groups" in data):
        return conv.PROMETHEUS_RULES_KIND
    if is_provisioning(data):
        return gconv.PROVISIONING_KIND
    if is_operator(data):
        return gconv.OPERATOR_KIND
    if isinstance(data, dict) and "scrape_configs" in data and "clients" in data:
        return lconv.PROMTAIL_KIND
    return None


def _locator(doc: Document | JsonDocument, prefix: DocPath = ()) -> Locate:
    """Locate paths of ``doc``; ``prefix`` is where the checked data sits in it."""

    def locate(path: DocPath, key: bool) -> Location:
        return doc.where((*prefix, *path), key=key)

    return locate


def _spec_doc(path: Path, unusable: list[Diagnostic]) -> Document | None:
    """The spec loaded with YAML's types (None if it cannot be, reported)."""
    try:
        return load_file(path)
    except InputError as exc:
        unusable.extend(exc.diagnostics)
        return None


def _check_spec(doc: Document, generated: list[Source]) -> list[Diagnostic]:
    """A spec is valid when everything it generates is: run the whole pipeline.
    Its generated rule files are kept for checks across files (a hand-written
    file duplicating one of its alerts)."""
    from paladin_obs import pipeline  # only specs need it: a quarter second to import

    try:
        output = pipeline.build_document(doc)
    except InputError as exc:
        return list(exc.diagnostics)
    generated.extend(output.rule_sources)
    return list(output.findings)


def _generated_rules(doc: Document, unusable: list[Diagnostic]) -> list[Source]:
    """The rule files ``--spec`` generates; a spec that does not build is unusable here."""
    from paladin_obs import pipeline

    try:
        return list(pipeline.build_document(doc).rule_sources)
    except InputError as exc:
        unusable.extend(exc.diagnostics)
        return []


def _version(text: str | None) -> tuple[int, int]:
    if not text:
        return conv.DEFAULT_PROMETHEUS_VERSION
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)
