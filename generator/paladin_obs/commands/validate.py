"""``paladin-obs validate``: check specs and Prometheus rule files, generated or not.

Exit 1 means findings (the files are readable but wrong); exit 2 means a file
could not be used at all (missing, not YAML, duplicate keys, not a known kind).
"""

from __future__ import annotations

from pathlib import Path

import click

from paladin_obs import conventions as conv
from paladin_obs import pipeline
from paladin_obs.check_rules import RuleSource, check_rule_sources
from paladin_obs.commands.report import print_diagnostics
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.diagnostics import Path as DocPath
from paladin_obs.loader import Document, load_file
from paladin_obs.validate.rulefile import Locate

_SUFFIXES = (".yaml", ".yml")


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


def run(paths: tuple[str, ...], version_text: str | None) -> int:
    if not paths:
        paths = ("paladin-obs.yaml",)
    unusable: list[Diagnostic] = []
    findings: list[Diagnostic] = []
    rule_sources: list[RuleSource] = []
    for path in _expand(paths):
        try:
            doc = load_file(path, text_scalars=True, first_document=True)
        except InputError as exc:
            unusable.extend(exc.diagnostics)
            continue
        if _is_spec(doc):
            findings.extend(_check_spec(path, unusable))
            continue
        if doc.data is None or (isinstance(doc.data, dict) and "groups" in doc.data):
            rule_sources.append(RuleSource(doc.file, doc.data, _locator(doc)))
        else:
            unusable.append(
                Diagnostic(
                    Location(str(path), 1, 1),
                    "not a paladin-obs spec (version/services) nor a Prometheus rule file (groups)",
                )
            )
    version = _version(version_text)
    findings.extend(check_rule_sources(rule_sources, version))
    print_diagnostics(findings, err=False)
    print_diagnostics(unusable)
    if unusable:
        click.echo(f"paladin-obs: {len(unusable)} file problem(s) made input unusable.", err=True)
        return 2
    if findings:
        click.echo(f"paladin-obs: {len(findings)} finding(s).", err=True)
        return 1
    return 0


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
        pipeline.build_document(doc)
    except InputError as exc:
        return list(exc.diagnostics)
    return []


def _version(text: str | None) -> tuple[int, int]:
    if not text:
        return conv.DEFAULT_PROMETHEUS_VERSION
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)
