"""Dashboard lint checks: pass/fail cases per check, and what every check module must have."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from paladin_obs.diagnostics import Location
from paladin_obs.lint import dashboards
from paladin_obs.validate import VALIDATORS, Settings, Source

CLEAN = json.loads(
    (Path(__file__).parent.parent / "corpus" / "dashboards" / "good" / "clean.json").read_text()
)


def _findings(*docs: dict[str, Any]) -> list[tuple[str, str]]:
    sources = [
        Source(f"d{i}.json", doc, lambda path, key: Location("d.json")) for i, doc in enumerate(docs)
    ]
    checked = VALIDATORS["grafana-dashboard"].check(sources, Settings())
    assert checked.errors == []
    return [(f.check, f.message) for f in checked.findings]


def _panel(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    data["panels"][1].update(changes)
    return data


def _expr(expr: str) -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    data["panels"][1]["targets"][0]["expr"] = expr
    return data


ERR = CLEAN["panels"][1]
# check id, dashboard, whether the check must fire (naming panel 'Error ratio' (id 2))
CASES = [
    ("dashboard/templated-datasource", _panel(datasource={"type": "prometheus", "uid": "abc"}), True),
    ("dashboard/templated-datasource", _panel(datasource=None), True),
    ("dashboard/templated-datasource", _panel(targets=[dict(ERR["targets"][0], datasource={"type": "prometheus", "uid": "${nope}"})]), True),
    ("dashboard/templated-datasource", _panel(datasource={"type": "datasource", "uid": "-- Mixed --"}), False),
    ("dashboard/templated-datasource", CLEAN, False),
    ("dashboard/job-instance-matchers", _expr('sum(rate(x{instance=~"$instance"}[$__rate_interval]))'), True),
    ("dashboard/job-instance-matchers", _expr('sum(rate(x{job="api"}[$__rate_interval]))'), False),  # pinned on purpose
    ("dashboard/job-instance-matchers", _expr('sum(slo:sli_error:ratio_rate5m) > 0'), False),  # a recording rule
    ("dashboard/job-instance-matchers", _expr('sum(rate(x{job=~"$job", instance=~"$instance"}[$__rate_interval]))'), False),
    ("dashboard/rate-interval", _expr('rate(x{job=~"$job", instance=~"$instance"}[5m])'), True),
    ("dashboard/rate-interval", _expr('irate(x{job=~"$job", instance=~"$instance"}[$__interval])'), True),
    ("dashboard/rate-interval", _expr('increase(x{job=~"$job", instance=~"$instance"}[$__range])'), False),
    ("dashboard/rate-interval", _expr('max_over_time(x{job=~"$job", instance=~"$instance"}[5m])'), False),
    ("dashboard/panel-title", _panel(title=""), True),
    ("dashboard/panel-description", _panel(description=" "), True),
    ("dashboard/panel-unit", _panel(fieldConfig={"defaults": {}, "overrides": []}), True),
    ("dashboard/panel-unit", _panel(fieldConfig={"defaults": {}, "overrides": [{"matcher": {"id": "byName", "options": "a"}, "properties": [{"id": "unit", "value": "s"}]}]}), False),
    ("dashboard/panel-unit", _panel(type="graph", fieldConfig={}, yaxes=[{"format": "s"}]), False),
    ("dashboard/panel-unit", _panel(type="text", fieldConfig={}), False),
]  # fmt: skip


@pytest.mark.parametrize(("check", "doc", "fires"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_cases(check: str, doc: dict[str, Any], fires: bool) -> None:
    found = [message for check_id, message in _findings(doc) if check_id == check]
    if fires:
        assert found and all("panel" in m and "(id 2)" in m for m in found), found
    else:
        assert found == []


def test_clean_dashboard_has_no_findings() -> None:
    assert _findings(CLEAN) == []


def test_uid_unique_across_files() -> None:
    found = _findings(CLEAN, copy.deepcopy(CLEAN))
    assert found == [
        ("dashboard/uid-unique", "dashboard uid 'clean' is already used by d0.json: Grafana keeps only one dashboard per uid")
    ]


@pytest.mark.parametrize("check_id", sorted(dashboards.all_checks()))
def test_check_module_shape(check_id: str) -> None:
    """Each module: id matching its name, a severity, a docstring saying why with Bad/Good."""
    module = dashboards.all_checks()[check_id]
    assert module.__name__.rsplit(".", 1)[1] == "dashboard_" + check_id.split("/", 1)[1].replace("-", "_")  # type: ignore[attr-defined]
    assert module.SEVERITY == "warning"
    doc = module.__doc__ or ""  # type: ignore[attr-defined]
    assert doc.startswith(check_id + ":") and "Bad:" in doc and "Good:" in doc
    assert any(case[0] == check_id for case in CASES) or check_id == "dashboard/uid-unique"


def _query_findings(expr: str, catalog: bool) -> list[tuple[str, str]]:
    from tests.lint.harness import catalog as spec_catalog

    source = Source("d.json", _expr(expr), lambda path, key: Location("d.json"))
    settings = Settings(catalog=spec_catalog() if catalog else None)
    checked = VALIDATORS["grafana-dashboard"].check([source], settings)
    return [(f.check, f.message) for f in checked.findings if f.check.startswith("promql/")]


@pytest.mark.parametrize(
    ("expr", "catalog", "check"),
    [
        ("rate(queue_depth[$__rate_interval])", True, "promql/rate-on-gauge"),
        ("rate(queue_depth[$__rate_interval])", False, None),  # the type needs the spec
        ("deriv(queue_depth[$__rate_interval])", True, None),
        ("deriv(http_requests_total[$__rate_interval])", True, "promql/deriv-on-counter"),
        (
            "histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[$__rate_interval])))",
            False,
            "promql/histogram-quantile-le",
        ),
        ("histogram_quantile(0.99, http_request_duration_seconds_bucket)", False, "promql/histogram-quantile-rate"),
        (
            "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))",
            True,
            None,
        ),
    ],
)
def test_rule_checks_of_promql_run_on_dashboard_queries(expr: str, catalog: bool, check: str | None) -> None:
    found = _query_findings(expr, catalog)
    assert [c for c, _ in found] == ([check] if check else [])
    for _, message in found:
        assert message.startswith("panel "), message  # named by its panel, not as a rule
