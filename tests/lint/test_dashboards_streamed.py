"""Dashboard lint one file at a time finds exactly what linting them together finds."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from paladin_obs import conventions as conv
from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.diagnostics import Path as DataPath
from paladin_obs.lint import dashboards
from paladin_obs.validate import Settings, Source
from paladin_obs.validate.dashboard_model import load
from paladin_obs.validate.dashboard_queries import check_queries
from paladin_obs.validate.grafana_dashboard import stream

CORPUS = Path(__file__).parent.parent / "corpus" / "dashboards"
DOCS = sorted(p for p in CORPUS.rglob("*.json"))


def _locate(path: DataPath, key: bool) -> Location:
    return Location("d.json")


def _files(docs: list[dict[str, Any]]) -> list[dashboards.DashboardFile]:
    out = []
    for i, doc in enumerate(docs):
        dash = load(doc)
        _, queries = check_queries(dash, _locate, conv.DEFAULT_PROMETHEUS_VERSION)
        out.append(dashboards.DashboardFile(f"d{i}.json", dash, _locate, queries))
    return out


def _together(files: list[dashboards.DashboardFile], catalog: Any = None) -> list[Diagnostic]:
    return dashboards.run(files) + dashboards.run_query_checks(files, catalog)


def _streamed(files: list[dashboards.DashboardFile], catalog: Any = None) -> list[Diagnostic]:
    linted = dashboards.Streamed(catalog)
    for f in files:
        linted.add(f)
    return linted.finish()


def _board(title: str, pid: int, ref: str, expr: str) -> dict[str, Any]:
    data = json.loads((CORPUS / "good" / "clean.json").read_text())
    data = copy.deepcopy(data)
    data["uid"] = f"uid-{pid}"
    panel = data["panels"][0]
    panel.update(title=title, id=pid)
    panel["targets"] = [{"refId": ref, "expr": expr}]
    return data


def test_the_corpus_gives_the_same_findings_in_the_same_order() -> None:
    docs = [json.loads(p.read_text()) for p in DOCS]
    files = _files(docs + docs[:3])  # the repeats share uids
    expected = _together(files)
    assert expected
    assert _streamed(files) == expected


@pytest.mark.parametrize("catalog", [False, True])
def test_query_checks_give_the_same_findings(catalog: bool) -> None:
    from tests.lint.harness import catalog as spec_catalog

    exprs = [
        "rate(queue_depth[$__rate_interval])",
        "deriv(http_requests_total[$__rate_interval])",
        "histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.99, http_request_duration_seconds_bucket)",
        "sum(rate(http_requests_total[5m]))",
    ]
    files = _files([_board(f"p{i}", i + 1, "A", e) for i, e in enumerate(exprs)] * 2)
    cat = spec_catalog() if catalog else None
    expected = _together(files, cat)
    assert expected
    assert _streamed(files, cat) == expected


@pytest.mark.parametrize("order", [0, 1])
def test_a_name_another_dashboard_records_exempts_a_query_as_when_together(order: int) -> None:
    """A query's panel label is what rule checks read as a recorded name: the
    first dashboard alone draws a finding, the two together draw none."""
    recorder = _board("B", 7, "x_bucket", "sum(up)")
    user = _board(
        "A", 1, "A", "histogram_quantile(0.99, {__name__=\"panel 'B' (id 7), target x_bucket\"})"
    )
    alone = _streamed(_files([user]))
    assert [d.check for d in alone if d.check.startswith("promql/")] == [
        "promql/histogram-quantile-rate"
    ]
    files = _files([user, recorder] if order == 0 else [recorder, user])
    expected = _together(files)
    assert not [d for d in expected if d.check == "promql/histogram-quantile-rate"]
    assert _streamed(files) == expected


def test_across_files_checks_see_only_top_level_scalars() -> None:
    (f,) = _files([_board("A", 1, "A", "up")])
    kept = dashboards.slim(f)
    assert kept.dashboard.data == {
        k: v for k, v in f.dashboard.data.items() if not isinstance(v, dict | list)
    }
    assert kept.dashboard.panels == [] and kept.queries == ()


def test_the_validator_fed_one_at_a_time_still_compares_uids() -> None:
    doc = json.loads((CORPUS / "good" / "clean.json").read_text())
    checker = stream(Settings())
    for i in range(3):
        checker.add(Source(f"d{i}.json", copy.deepcopy(doc), _locate))
    checked = checker.finish()
    assert checked.errors == []
    assert [f.check for f in checked.findings] == ["dashboard/uid-unique"] * 2
