"""Linting a big file a slice of expressions at a time finds what linting it whole finds.

``prometheus_rules.check`` parses and lints ``SLICE`` distinct expressions at a time so that
a 10,000-rule file never holds every parsed expression; checks marked
``READS_ASTS`` run per slice, the others once. With slices of one rule and
with one slice for everything, every finding (duplicates counted) and every
error must be the same, on the public corpus and the broken-rules corpus
with its spec's catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs import lint
from paladin_obs.commands.validate import _locator, order
from paladin_obs.directives import parse_comments
from paladin_obs.lint.catalog import Catalog
from paladin_obs.loader import load_file
from paladin_obs.validate import Settings, Source, prometheus_rules

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _sources(folder: str) -> list[Source]:
    out = []
    for path in sorted((CORPUS / folder).glob("*.yaml")):
        if path.name == "spec.yaml":
            continue
        try:
            doc = load_file(path, text_scalars=True, first_document=True)
        except Exception:  # unusable files are not what this test is about
            continue
        if isinstance(doc.data, dict) and "groups" in doc.data:
            out.append(Source(doc.file, doc.data, _locator(doc), parse_comments(doc.text, doc.file)))
    return out


def _settings(folder: str) -> Settings:
    if folder != "rules_broken":
        return Settings()
    spec = load_file(CORPUS / folder / "spec.yaml")
    return Settings(catalog=Catalog.from_spec(spec), scrape_interval=30.0)


@pytest.mark.parametrize("folder", ["rules_public", "rules_broken"])
def test_slices_change_nothing(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, settings = _sources(folder), _settings(folder)
    monkeypatch.setattr(prometheus_rules, "SLICE", 10**9)
    whole = prometheus_rules.check(sources, settings)
    monkeypatch.setattr(prometheus_rules, "SLICE", 1)
    sliced = prometheus_rules.check(sources, settings)
    assert sliced.errors == whole.errors
    assert sorted(sliced.findings, key=order) == sorted(whole.findings, key=order)
    assert whole.findings  # the corpus does have findings to compare


def test_only_checks_marked_read_expressions() -> None:
    """A check reading expressions without the mark would find nothing (it runs
    once, with none parsed); one marked without reading them would repeat its
    findings once per slice. Both are told by the source of the check."""
    reading = ("ctx.parsed()", "ctx.alerts()", "range_calls(ctx")
    for name, module in lint.all_checks().items():
        source = Path(module.__file__ or "").read_text()  # type: ignore[attr-defined]
        reads = any(r in source for r in reading)
        assert lint.reads_asts(module) == reads, name
