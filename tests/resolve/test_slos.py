"""SLO resolution: objectives, periods, windows, SLIs, tiers and overlays."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_text
from paladin_obs.model import SLO, render_query
from paladin_obs.resolve import resolve

BASE: dict[str, Any] = {
    "version": 1,
    "defaults": {"prometheus_version": "2.53", "runbook_url": "https://runbooks.example.com/{alert}"},
    "services": {
        "api": {
            "selector": {"job": "api"},
            "metrics": {
                "http_requests_total": {"type": "counter", "labels": ["code"]},
                "http_request_duration_seconds": {"type": "histogram", "buckets": [0.1, 0.5, 1, 2.5]},
                "up": {"type": "gauge"},
                "inf_seconds": {"type": "histogram", "buckets": [0.5, float("inf")]},
            },
            "signals": {
                "requests": "http_requests_total",
                "errors": {"metric": "http_requests_total", "match": {"code": "=~5.."}},
                "latency": "http_request_duration_seconds",
            },
            "slos": {},
        }
    },
}
EVENTS = {"events": {"errors": "errors", "total": "requests"}}


def spec(slos: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["services"]["api"]["slos"] = slos
    for key, value in extra.items():
        if key == "defaults":
            data["defaults"].update(value)
        else:
            data[key] = value
    return data


def slos_of(data: dict[str, Any], env: str = "") -> tuple[SLO, ...]:
    models = resolve(load_text(yaml.safe_dump(data, sort_keys=False), "spec.yaml"))
    (model,) = [m for m in models if m.environment.name == env]
    return model.services[0].slos


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        slos_of(data)
    return [d.render() for d in caught.value.diagnostics]


# Factors Sloth publishes for its built-in and example catalogs (its golden rules).
@pytest.mark.parametrize(
    ("period", "windows", "factors"),
    [
        ("30d", None, (14.4, 6, 3, 1)),
        ("28d", None, (13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333)),
        (
            "7d",
            {
                "page": {
                    "quick": {"error_budget_percent": 8, "short_window": "5m", "long_window": "1h"},
                    "slow": {"error_budget_percent": 12.5, "short_window": "30m", "long_window": "6h"},
                },
                "ticket": {
                    "quick": {"error_budget_percent": 20, "short_window": "2h", "long_window": "1d"},
                    "slow": {"error_budget_percent": 42, "short_window": "6h", "long_window": "3d"},
                },
            },
            (13.44, 3.5, 1.4000000000000001, 0.98),
        ),
    ],
)
def test_burn_factors_follow_sloths_formula(period: str, windows: Any, factors: tuple[float, ...]) -> None:
    extra = {"defaults": {"slos": {"windows": {period: windows}}}} if windows else {}
    (slo,) = slos_of(spec({"a": {"objective": 99.9, "period": period, "sli": EVENTS}}, **extra))
    w = slo.windows
    assert (w.page_quick.factor, w.page_slow.factor, w.ticket_quick.factor, w.ticket_slow.factor) == factors
    assert [str(d) for d in w.windows()] == ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]


@pytest.mark.parametrize(
    ("version", "selector"),
    [
        # 2.x keeps the exporter's text (Go/Rust write 1, Python 1.0): match both.
        ("2.53", 'le=~"1|1\\\\.0"'),
        # 3.x normalises at ingestion.
        ("3.5", 'le="1.0"'),
    ],
)
def test_bucket_selector_follows_the_target_version(version: str, selector: str) -> None:
    data = spec(
        {"lat": {"objective": 99, "sli": {"latency": {"signal": "latency", "threshold": "1s"}}}},
        defaults={"prometheus_version": version},
    )
    (slo,) = slos_of(data)
    errors = render_query(slo.sli.errors, "5m")
    assert selector in errors
    assert errors.startswith('sum(rate(http_request_duration_seconds_count{job="api"}[5m])) - ')
    assert slo.sli.threshold == 1.0 and slo.sli.source == "latency"


def test_bucket_of_a_fractional_threshold_is_the_same_text_in_both_forms() -> None:
    (slo,) = slos_of(spec({"lat": {"objective": 99, "sli": {"latency": {"signal": "latency", "threshold": 0.5}}}}))
    assert 'le="0.5"' in render_query(slo.sli.errors, "5m")


def test_dependency_signals_and_catalog_metrics() -> None:
    data = spec(
        {
            "dep": {"objective": 99, "sli": {"events": {"errors": "db.errors", "total": "db.requests"}}},
            "metric": {
                "objective": 99,
                "sli": {"events": {"errors": {"metric": "http_requests_total", "match": {"code": "503"}}, "total": "requests"}},
            },
        }
    )
    data["services"]["api"]["metrics"]["db_queries_total"] = {"type": "counter", "labels": ["outcome"]}
    data["services"]["api"]["dependencies"] = {
        "db": {"requests": "db_queries_total", "errors": {"metric": "db_queries_total", "match": {"outcome": "error"}}}
    }
    dep, metric = slos_of(data)
    assert render_query(dep.sli.errors, "1h") == 'sum(rate(db_queries_total{job="api", outcome="error"}[1h]))'
    assert render_query(metric.sli.errors, "1h") == 'sum(rate(http_requests_total{code="503", job="api"}[1h]))'


def test_queries_keep_sloths_placeholder_and_nothing_else() -> None:
    query = 'sum(rate(x{a="{{.window}}"}[{{ .window }}])) / sum(rate(y[{{.window}}]))'
    (slo,) = slos_of(spec({"raw": {"objective": 99, "sli": {"raw": {"error_ratio_query": query}}}}))
    # Every placeholder is the window, also one inside a label value (as Sloth renders it).
    assert render_query(slo.sli.ratio, "5m") == 'sum(rate(x{a="5m"}[5m])) / sum(rate(y[5m]))'


def test_environment_overrides_objective_threshold_severity_and_switches() -> None:
    data = spec(
        {
            "avail": {"objective": 99.9, "sli": EVENTS},
            "lat": {"objective": 99, "sli": {"latency": {"signal": "latency", "threshold": "1s"}}},
        },
        environments={
            "production": {"labels": {"env": "production"}},
            "staging": {
                "labels": {"env": "staging"},
                "slos": {
                    "api": {
                        "avail": {"objective": 99, "alerting": {"page": {"severity": "warning"}, "ticket": {"enabled": False}}},
                        "lat": {"threshold": 2.5},
                    }
                },
            },
        },
    )
    prod_avail, prod_lat = slos_of(data, "production")
    stage_avail, stage_lat = slos_of(data, "staging")
    assert (prod_avail.objective, stage_avail.objective) == (99.9, 99.0)
    assert [(a.tier, a.labels["severity"]) for a in prod_avail.alerts] == [("page", "critical"), ("ticket", "warning")]
    assert [(a.tier, a.labels["severity"]) for a in stage_avail.alerts] == [("page", "warning")]
    assert (prod_lat.sli.threshold, stage_lat.sli.threshold) == (1.0, 2.5)
    assert stage_avail.labels == {"env": "staging"}


def test_guarded_alerts_follow_the_alert_conventions() -> None:
    data = spec({"a": {"objective": 99.9, "sli": EVENTS, "alerting": {"name": "ApiAvailability", "no_data": {"enabled": True}}}})
    data["defaults"]["alert_labels"] = {"team": "platform"}
    (slo,) = slos_of(data)
    page, ticket, no_data = slo.alerts
    assert page.labels == {"severity": "critical", "sloth_severity": "page", "team": "platform"}
    assert ticket.labels["severity"] == "warning"
    for alert in (page, ticket, no_data):
        assert alert.annotations["summary"].endswith(".") and "{{" not in alert.annotations["summary"]
        assert "$labels" in alert.annotations["description"]
        assert alert.annotations["runbook_url"] == f"https://runbooks.example.com/{alert.name}"
    assert no_data.name == "ApiAvailabilityNoData" and str(no_data.for_) == "10m"


def test_sloth_mode_alerts_are_sloths() -> None:
    alerting = {"name": "myServiceAlert", "labels": {"k": "v"}, "page": {"annotations": {"a": "b"}}}
    (slo,) = slos_of(spec({"a": {"objective": 99.9, "mode": "sloth", "sli": EVENTS, "alerting": alerting}}))
    page, ticket = slo.alerts
    assert page.labels == {"k": "v", "sloth_severity": "page"}
    assert page.annotations == {
        "a": "b",
        "summary": "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.",
        "title": "(page) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.",
    }
    assert "a" not in ticket.annotations


def catalog(page_quick_long: str = "1h", ticket_slow_long: str = "3d") -> dict[str, Any]:
    return {
        "page": {
            "quick": {"error_budget_percent": 2, "short_window": "5m", "long_window": page_quick_long},
            "slow": {"error_budget_percent": 5, "short_window": "30m", "long_window": "6h"},
        },
        "ticket": {
            "quick": {"error_budget_percent": 10, "short_window": "2h", "long_window": "1d"},
            "slow": {"error_budget_percent": 10, "short_window": "6h", "long_window": ticket_slow_long},
        },
    }


def test_factor_uses_gos_hours() -> None:
    # Go's Duration.Hours() adds the sub-hour rest in nanoseconds: for 73m the
    # factor differs in the last digit from a plain division, and Sloth prints Go's.
    data = spec({"a": {"objective": 99, "period": "7d", "sli": EVENTS}}, defaults={"slos": {"windows": {"7d": catalog("73m")}}})
    (slo,) = slos_of(data)
    assert slo.windows.page_quick.factor == 2.761643835616438


# The bad inputs, and their neighbours: located, exit 2, nothing written.
BAD = [
    ({"a": {"objective": 100, "sli": EVENTS}}, {}, r"100 must be a percentage above 0 and below 100 \(100 would leave no error budget"),
    ({"a": {"objective": 100.5, "sli": EVENTS}}, {}, r"100.5 must be a percentage above 0 and below 100"),
    ({"a": {"objective": 99, "period": "5h", "sli": EVENTS}}, {}, r'"5h" must be a whole number of days'),
    ({"a": {"objective": 99, "period": "0d", "sli": EVENTS}}, {}, r"SLO period must be at least one day"),
    ({"a": {"objective": 99, "period": "14d", "sli": EVENTS}}, {}, r"no alert windows for an SLO period of 14d"),
    (
        {"a": {"objective": 99, "sli": {"latency": {"signal": "latency", "threshold": "2s"}}}},
        {},
        r"latency threshold 2s is not a bucket of http_request_duration_seconds \(buckets: 0.1, 0.5, 1, 2.5\)",
    ),
    (
        {"a": {"objective": 99, "sli": {"latency": {"signal": "latency", "threshold": 1, "native": True}}}},
        {},
        r"native-histogram SLIs use histogram_fraction, which Prometheus 2.x",
    ),
    ({"a": {"objective": 99, "sli": {"events": {"errors": "db.errors", "total": "requests"}}}}, {}, r"unknown dependency 'db'"),
    ({"a": {"objective": 99, "sli": {"events": {"errors": "errors", "total": "nope"}}}}, {}, r"must name a signal"),
    ({"a": {"objective": 99, "sli": {"events": {"errors": {"metric": "nope_total"}, "total": "requests"}}}}, {}, r"'nope_total' is not in the service's metrics catalog"),
    ({"a": {"objective": 99, "sli": {"events": {"errors": {"metric": "up"}, "total": "requests"}}}}, {}, r"needs a counter, but up is a gauge"),
    ({"a": {"objective": 99, "sli": {"raw": {"error_ratio_query": "rate(x[5m])"}}}}, {}, r"needs the \{\{\.window\}\} placeholder"),
    ({"a": {"objective": 99, "sli": {"raw": {"error_ratio_query": "rate(x[{{.window}}]) > {{.x}}"}}}}, {}, r"only the \{\{\.window\}\} placeholder"),
    ({"a": {"objective": 99, "sli": {**EVENTS, "raw": {"error_ratio_query": "x"}}}}, {}, r"exactly one SLI kind"),
    ({"a": {"objective": 99, "sli": {"events": {"errors": "requests", "total": "requests"}}}}, {}, r"errors and total are the same series"),
    # A broken query is reported once, at the query, not once per window of the output.
    (
        {"a": {"objective": 99, "sli": {"raw": {"error_ratio_query": "sum(rate(x[{{.window}}])) / ("}}}},
        {},
        r"invalid PromQL \(with \{\{\.window\}\} as 5m\): .*unclosed left parenthesis",
    ),
    (
        {"a": {"objective": 99, "sli": {"events": {"errors": {"query": "x[{{.window}}]"}, "total": {"query": "y[{{.window}}]"}}}}},
        {},
        r"an SLI query must give an instant vector",
    ),
    ({"a": {"objective": 99, "labels": {"sloth_id": "x"}, "sli": EVENTS}}, {}, r"label 'sloth_id' is set by the SLO rules"),
    (
        {"a": {"objective": 99, "sli": {"latency": {"signal": {"metric": "inf_seconds"}, "threshold": float("inf")}}}},
        {},
        r"threshold of \+Inf counts every request as fast",
    ),
    (
        {"a": {"objective": 99, "mode": "sloth", "sli": EVENTS, "alerting": {"summary": "S.", "page": {"severity": "info"}}}},
        {},
        r"summary applies to guarded mode; in sloth mode alerts are exactly Sloth's",
    ),
    (
        {"a": {"objective": 99, "period": "3d", "sli": EVENTS}},
        {"defaults": {"slos": {"windows": {"3d": catalog()}}}},
        r"ticket slow: long_window 3d must be shorter than the period 3d",
    ),
    (
        {"a": {"objective": 99, "sli": EVENTS}},
        {"defaults": {"slos": {"windows": {"7d": catalog(), "1w": catalog()}}}},
        r"1w is the same period as 7d: keep one catalog",
    ),
    ({"a": {"objective": 99, "sli": EVENTS}}, {"defaults": {"slos": {"windows": {"0d": catalog()}}}}, r"an SLO period must be at least one day"),
    ({"a": {"objective": 99, "sli": EVENTS}}, {"defaults": {"slos": {"windows": {"999999d": catalog()}}}}, r"out of range"),
    ({"a": {"objective": 99, "sli": EVENTS}}, {"environments": {"prod": {"slos": {"api": {"b": {"objective": 9}}}}}}, r"override for unknown SLO 'b'"),
    ({"a": {"objective": 99, "sli": EVENTS}}, {"environments": {"prod": {"slos": {"api": {"a": {"threshold": 1}}}}}}, r"threshold applies to latency SLIs only"),
]


@pytest.mark.parametrize(("slos", "extra", "message"), BAD)
def test_bad_slo_input_is_located(slos: dict[str, Any], extra: dict[str, Any], message: str) -> None:
    found = problems(spec(slos, **extra))
    assert any(re.search(r"^spec\.yaml:\d+:\d+: " + ".*" + message, p) for p in found), found


@pytest.mark.parametrize(("slos", "extra", "message"), BAD[:7] + BAD[8:9])
def test_bad_slo_input_exits_2_and_writes_nothing(
    tmp_path: Path, slos: dict[str, Any], extra: dict[str, Any], message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec(slos, **extra), sort_keys=False))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "-f", str(path), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert re.search(rf"spec\.yaml:\d+:\d+: .*{message}", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
