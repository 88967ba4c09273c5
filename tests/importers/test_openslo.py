"""OpenSLO files as our spec: Sloth's v1alpha mapping reproduced, v1 converted,
and everything we cannot express refused at its file:line:col."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml

from paladin_obs import pipeline
from paladin_obs.diagnostics import InputError
from paladin_obs.formats.yaml_text import dump_yaml
from paladin_obs.importers.openslo import load_openslo

FIXTURES = Path(__file__).parent / "fixtures" / "openslo"


def _generate(spec: dict[str, Any], tmp_path: Path, rule_file: str) -> Any:
    path = tmp_path / "spec.yaml"
    path.write_text(dump_yaml(spec))
    out = pipeline.build(str(path), str(tmp_path))
    return yaml.safe_load(out.files[rule_file].content.decode())


def test_v1alpha_as_sloth_reads_it(tmp_path: Path) -> None:
    """Sloth's mapping: one SLO per objective named <name>-<index>, good/total as
    Sloth's raw text ``1 - (good / total)``, target * 100, alerts off, provenance
    labels. (Sloth's own openslo case runs in the conformance test when given.)"""
    spec = load_openslo(str(FIXTURES / "v1alpha.yaml"))
    slo = spec["services"]["checkout"]["slos"]["availability-0"]
    assert slo["objective"] == 0.995 * 100 and slo["period"] == "28d"
    assert spec["defaults"] == {"slos": {"mode": "sloth"}}
    assert slo["info_labels"] == {"sloth_mode": "cli-gen-openslo", "sloth_spec": "openslo/v1alpha"}
    assert slo["alerting"] == {"page": {"enabled": False}, "ticket": {"enabled": False}}
    got = _generate(spec, tmp_path, "rules/checkout.slo.rules.yaml")
    names = [g["name"] for g in got["groups"]]
    assert names == [
        "sloth-slo-sli-recordings-checkout-availability-0",
        "sloth-slo-meta-recordings-checkout-availability-0",
    ]
    first = got["groups"][0]["rules"][0]
    good = 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[5m]))'
    total = 'sum(rate(http_requests_total{job="checkout"}[5m]))'
    want = promql_parser.parse(f"(1 - (({good}) / ({total})))").prettify()
    assert promql_parser.parse(first["expr"]).prettify() == want
    assert got["groups"][0]["rules"][-1]["record"] == "slo:sli_error:ratio_rate4w"


def test_v1_third_party_file() -> None:
    spec = load_openslo(str(FIXTURES / "v1-third-party.yaml"))
    service = spec["services"]["checkout"]
    assert service["description"] == "Checkout service."
    assert list(service["slos"]) == ["availability-0", "availability-1"]
    first = service["slos"]["availability-0"]
    assert first["objective"] == 99.9
    assert service["slos"]["availability-1"]["objective"] == 99.0
    assert first["period"] == "28d"
    assert first["labels"] == {"team": "shop"}
    assert first["info_labels"] == {"sloth_mode": "cli-gen-openslo", "sloth_spec": "openslo/v1"}
    assert first["sli"]["events"]["errors"]["query"].startswith("sum(rate(http_requests_total{job=\"checkout\",code")
    # Severity tells the tiers apart; the thresholds are the built-in 28d catalog.
    assert first["alerting"] == {"page": {"for": "2m", "labels": {"team": "shop"}}, "ticket": {}}
    assert "windows" not in spec["defaults"]["slos"]


def test_v1_good_total_becomes_sloths_raw_text(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(_SLO.format(extra="", ratio=_GOOD, method="Occurrences", window="30d"))
    sli = load_openslo(str(path))["services"]["svc"]["slos"]["avail"]["sli"]
    assert sli == {"raw": {"error_ratio_query": "\n  1 - (\n    (\n      good[{{.window}}]\n    )\n    /\n"
                           "    (\n      total[{{.window}}]\n    )\n  )\n"}}


_GOOD = """\
        good: {metricSource: {type: Prometheus, spec: {query: "good[{{.window}}]"}}}
        total: {metricSource: {type: Prometheus, spec: {query: "total[{{.window}}]"}}}"""

_SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: avail
spec:
  service: svc
  budgetingMethod: {method}
  indicator:
    metadata: {{name: avail}}
    spec:
      ratioMetric:
{ratio}
  timeWindow:
    - duration: {window}
      isRolling: true
  objectives:
    - target: 0.99{extra}
"""

# (name, file text, expected location, words of the message)
ERRORS = [
    ("timeslices", _SLO.format(extra="", ratio=_GOOD, method="Timeslices", window="30d").replace(
        "target: 0.99", "target: 0.99\n      timeSliceTarget: 0.9\n      timeSliceWindow: 1m"), "7:20", "only Occurrences"),
    ("months", _SLO.format(extra="", ratio=_GOOD, method="Occurrences", window="1M"), "15:17", "months"),
    ("calendar", _SLO.format(extra="", ratio=_GOOD, method="Occurrences", window="30d").replace(
        "      isRolling: true", "      calendar: {startTime: '2020-01-01 00:00:00', timeZone: UTC}"), "16:17", "calendar"),
    ("target above 1", _SLO.format(extra="", ratio=_GOOD, method="Occurrences", window="30d").replace(
        "0.99", "1.5"), "18:15", "1.5"),
    ("not prometheus", _SLO.format(extra="", ratio=_GOOD.replace("type: Prometheus, spec: {query: \"good",
                                                                 "type: Datadog, spec: {query: \"good"),
                                   method="Occurrences", window="30d"), "12:37", "Datadog"),
    ("no window placeholder", _SLO.format(extra="", ratio=_GOOD.replace("good[{{.window}}]", "good[5m]"),
                                          method="Occurrences", window="30d"), "12:63", "{{.window}}"),
    ("op on a ratio", _SLO.format(extra="\n      op: lte", ratio=_GOOD, method="Occurrences", window="30d"),
     "19:11", "thresholdMetric"),
    ("wrong kind", "apiVersion: openslo/v1\nkind: Slo\nmetadata: {name: a}\nspec: {}\n", "2:7", "Slo"),
    ("unknown apiVersion", "apiVersion: openslo/v2\nkind: SLO\n", "1:13", "openslo/v2"),
    ("missing indicator ref", _SLO.format(extra="", ratio=_GOOD, method="Occurrences", window="30d").replace(
        "  indicator:\n    metadata: {name: avail}\n    spec:\n      ratioMetric:\n" + _GOOD + "\n",
        "  indicatorRef: nowhere\n"), "8:17", "no SLI named 'nowhere'"),
    ("v1alpha calendar", (FIXTURES / "v1alpha.yaml").read_text().replace(
        "      unit: Day", "      unit: Day\n      calendar: {startTime: x}"), "24:17", "calendar"),
    ("v1alpha threshold metric", (FIXTURES / "v1alpha.yaml").read_text().replace(
        "    - ratioMetrics:", "    - thresholdMetric: {}\n      ratioMetrics:"), "11:7", "threshold metrics"),
]


@pytest.mark.parametrize(("text", "where", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_refused_at_the_field(tmp_path: Path, text: str, where: str, words: str) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_openslo(str(path))
    rendered = str(caught.value)
    assert f"{path}:{where}: " in rendered, rendered
    assert words in rendered, rendered


_POLICIES = (FIXTURES / "v1-third-party.yaml").read_text()

POLICY_ERRORS = [
    ("slack target", _POLICIES.replace("target: alertmanager", "target: slack"), "65:11", "slack"),
    ("resolved", _POLICIES.replace("  alertWhenBreaching: true\n  conditions:\n    - kind: AlertCondition\n"
                                   "      metadata: {name: fast-burn}",
                                   "  alertWhenBreaching: true\n  alertWhenResolved: true\n  conditions:\n"
                                   "    - kind: AlertCondition\n      metadata: {name: fast-burn}"),
     "74:22", "send_resolved"),
    ("unknown severity", _POLICIES.replace("severity: ticket\n        condition: {kind: burnrate, threshold: 2.8",
                                           "severity: sev2\n        condition: {kind: burnrate, threshold: 2.8"),
     "113:19", "sev2"),
    ("one page policy", _POLICIES.replace("    - alertPolicyRef: slow-burn\n", ""), "69:9", "exactly two"),
]


@pytest.mark.parametrize(("text", "where", "words"), [e[1:] for e in POLICY_ERRORS], ids=[e[0] for e in POLICY_ERRORS])
def test_alert_policies_refused_at_the_field(tmp_path: Path, text: str, where: str, words: str) -> None:
    test_refused_at_the_field(tmp_path, text, where, words)


def test_problems_of_the_produced_spec_point_at_the_source_slo(tmp_path: Path) -> None:
    # A burn rate over 60 days of a 28-day period asks for 2,880% of the budget:
    # the spec we would write is invalid, and the user hears where it came from.
    text = (FIXTURES / "v1-third-party.yaml").read_text()
    path = tmp_path / "in.yaml"
    path.write_text(text.replace("threshold: 5.6, lookbackWindow: 6h", "threshold: 5.6, lookbackWindow: 60d"))
    with pytest.raises(InputError) as caught:
        load_openslo(str(path))
    rendered = [d.render() for d in caught.value.diagnostics]
    assert rendered, rendered
    assert all(not r.startswith(f"{path}:1:1:") and re.match(rf"{re.escape(str(path))}:\d+:\d+: ", r) for r in rendered), rendered
