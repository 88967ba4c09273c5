"""Real public dashboards judged as Grafana would: no unusable input, errors only
for the hard rules, and exactly the errors listed here (checked by hand against
the files and the features SOURCES.md records for them).

Overlapping panels, duplicate panel ids and panel string datasources at
schemaVersion >= 33 are common in published dashboards (Grafana re-packs,
re-numbers and resolves them when it loads them); they are still what
``validate`` exists to catch, so they are expected here, file by file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from paladin_obs.commands import validate

PUBLIC = Path(__file__).parent.parent / "corpus" / "dashboards" / "public"
FILES = sorted(PUBLIC.glob("*.json"))

#: How an error message tells its hard rule.
KINDS = (
    ("overlaps", "overlap"),
    ("is already used by", "duplicate_id"),
    ("a form Grafana only migrates", "string_datasource"),
    ("PromQL does not parse", "promql"),
    ("is neither defined", "unknown_variable"),
    ("runs past the grid", "grid"),
    ("gridPos.", "grid"),
)

#: Errors per file (every file not listed has none).
EXPECTED: dict[str, dict[str, int]] = {
    # two rows share id 102 and y 8; a copied row repeats its panels' ids
    "argo-cd__dashboard.json": {"duplicate_id": 4, "overlap": 1},
    # schemaVersion 36 with '${DS_PROMETHEUS}' strings on every panel and target
    "flux2__cluster.json": {"string_datasource": 12},
    # four panels with id 4
    "flux2__control-plane.json": {"duplicate_id": 3},
    # rows and panels stacked at y 1-5 (19 overlapping pairs, one error per panel)
    "istio__pilot-dashboard.gen.json": {"overlap": 9},
    "kube-prometheus__prometheus-remote-write.json": {"overlap": 4},
    # a row and two panels all at y 0
    "postgres-exporter__postgres-overview.json": {"overlap": 2},
    "strimzi__strimzi-kafka-exporter.json": {"string_datasource": 16},
    "strimzi__strimzi-kafka.json": {"string_datasource": 30},
    "strimzi__strimzi-operators.json": {"string_datasource": 19},
    # two rows at y 0; two panels of a collapsed row at the same place
    "tikv__tikv_raw.json": {"overlap": 2},
}


def _kind(message: str) -> str:
    return next((kind for text, kind in KINDS if text in message), f"other: {message}")


def test_corpus_is_there() -> None:
    if not FILES:
        pytest.skip("no public dashboards in tests/corpus/dashboards/public")
    assert set(EXPECTED) <= {f.name for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_public_dashboard_verdict(path: Path) -> None:
    report = validate.run((str(path),), None)
    assert report.exit_code != 2, report.problems
    errors = Counter(_kind(f.message) for f in report.findings if f.severity == "error")
    assert dict(errors) == EXPECTED.get(path.name, {})
    assert report.exit_code == (1 if errors else 0)
