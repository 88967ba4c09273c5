"""Run lint on rule-file text as ``validate`` would, and read findings as (id, line).

Checks are tested on real YAML text, so a finding's line is asserted as a user
sees it, and on the spec's catalog when the check needs metric types.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.lint.catalog import Catalog
from paladin_obs.lint.suppress import parse_comments
from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, prometheus_rules

#: A small catalog: one of each metric type, with labels and buckets.
SPEC = """\
version: 1
services:
  api:
    selector: {job: api}
    metrics:
      http_requests_total: {type: counter, labels: [code, method, route]}
      http_request_duration_seconds: {type: histogram, labels: [method, route], buckets: [0.1, 0.5, 1, 5]}
      rpc_duration_seconds: {type: summary, labels: [method]}
      queue_depth: {type: gauge, labels: [queue]}
      process_start_time_seconds: {type: gauge}
"""


def catalog(spec: str = SPEC) -> Catalog:
    return Catalog.from_spec(load_text(spec, "spec.yaml"))


def lint_text(
    text: str,
    only: Sequence[str] | None = None,
    *,
    spec: str | None = None,
    scrape_interval: float | None = 60.0,
    files: Sequence[str] = (),
) -> list[Diagnostic]:
    """Validity errors and lint findings of ``text`` (and ``files``, checked
    together), keeping only checks in ``only`` when given."""
    sources = []
    for i, body in enumerate((text, *files)):
        body = textwrap.dedent(body)
        name = "rules.yaml" if i == 0 else f"rules{i}.yaml"
        doc = load_text(body, name, text_scalars=True, first_document=True)

        def locate(path, key, doc=doc):  # type: ignore[no-untyped-def]
            return doc.where(path, key=key)

        sources.append(Source(name, doc.data, locate, parse_comments(body, name)))
    settings = Settings(
        catalog=catalog(spec) if spec is not None else None, scrape_interval=scrape_interval
    )
    checked = prometheus_rules.check(sources, settings)
    found = checked.errors + checked.findings
    return [d for d in found if only is None or d.check in only]


def ids_lines(found: Sequence[Diagnostic]) -> list[tuple[str, int]]:
    return sorted((d.check, d.location.line) for d in found)
