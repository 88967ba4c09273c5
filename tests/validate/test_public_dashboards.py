"""Real public dashboards judged as Grafana would: no unusable input, errors only
for the hard rules, and exactly the errors listed here (checked by hand against
the files and the features SOURCES.md records for them).

Overlapping panels, duplicate panel ids and panel string datasources at
schemaVersion >= 33 are common in published dashboards (Grafana re-packs,
re-numbers and resolves them when it loads them); they are still what
``validate`` exists to catch, so they are expected here, file by file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.logql_oracle import lezer_verdicts_fixture  # noqa: F401

from paladin_obs.commands import validate
from paladin_obs.validate.dashboard_model import load
from paladin_obs.validate.grafana_vars import substitute

PUBLIC = Path(__file__).parent.parent / "corpus" / "dashboards" / "public"
FILES = sorted(PUBLIC.glob("*.json"))

#: How an error message tells its hard rule.
KINDS = (
    ("overlaps", "overlap"),
    ("is already used by", "duplicate_id"),
    ("a form Grafana only migrates", "string_datasource"),
    ("PromQL does not parse", "promql"),
    ("LogQL is invalid", "logql"),
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
    # Loki's mixins: their 8 LogQL targets are valid; the grid is not. 'Logs' and
    # 'Log Rate' share y 6 at full width.
    "loki__loki-logs.json": {"overlap": 1},
    # Four panels at x 12 with w 18; two rows S3 and Azure Blob share id 78 and y 37,
    # and their panels repeat ids 79 and 80 (a copied row); 'Success Rate' and
    # 'Memory Usage' share a cell in a collapsed row.
    "loki__loki-operational.json": {"grid": 4, "overlap": 2, "duplicate_id": 3},
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


def test_public_loki_targets_pass_lezer_once_substituted(
    lezer_verdicts: Callable[[list[str]], list[bool]],
) -> None:
    """The corpus's Loki targets, as ``validate`` checks them (variables replaced
    by position), parse in Grafana's own LogQL grammar too."""
    queries = []
    for path in FILES:
        dash = load(json.loads(path.read_text()))
        known = frozenset(dash.variables)
        for target in dash.targets:
            expr = target.target.get("expr")
            if isinstance(expr, str) and expr.strip() and dash.is_loki(target):
                queries.append(substitute(expr, known).text)
    if not queries:
        pytest.skip("no public dashboards in tests/corpus/dashboards/public")
    assert len(queries) == 10
    verdicts = lezer_verdicts(queries)
    assert [q for q, ok in zip(queries, verdicts, strict=True) if not ok] == []
