"""Sloth specs as our spec: each Sloth feature converted, each refusal located."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.document import Document
from paladin_obs.importers.sloth import SlothOptions, load_sloth
from paladin_obs.importers.spec_text import render_spec
from paladin_obs.spec_schema import validate_spec

PROM_SLO = """\
version: "prometheus/v1"
service: "svc01"
labels:
  team: a
  shared: spec
slos:
  - name: "slo1"
    objective: 99.9
    description: "SLO 01."
    labels:
      shared: slo
    sli:
      events:
        error_query: sum(rate(errors[{{.window}}]))
        total_query: sum(rate(total[{{ .window }}]))
    alerting:
      name: MyAlert
      labels: {a: "1"}
      annotations: {summary: hi}
      page_alert:
        labels: {p: "1"}
      ticket_alert:
        disable: true
        annotations: {t: "1"}
"""

K8S_SLO = """\
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: svc, namespace: ns}
spec:
  service: svc01
  labels: {team: a}
  slos:
    - name: slo2
      objective: 95
      sli:
        raw:
          errorRatioQuery: ratio[{{.window}}]
      alerting:
        pageAlert: {disable: true}
        ticketAlert: {disable: true}
"""


def load(tmp_path: Path, text: str, **options: Any) -> dict[str, Any]:
    path = tmp_path / "in.yaml"
    path.write_text(text)
    return load_sloth(str(path), SlothOptions(**options))


def slo(data: dict[str, Any], service: str, name: str) -> dict[str, Any]:
    return data["services"][service]["slos"][name]  # type: ignore[no-any-return]


def test_prometheus_v1_maps_every_field(tmp_path: Path) -> None:
    data = load(tmp_path, PROM_SLO)
    assert data["version"] == 1
    assert data["defaults"] == {"slos": {"mode": "sloth"}}
    assert slo(data, "svc01", "slo1") == {
        "description": "SLO 01.",
        "objective": 99.9,
        "labels": {"team": "a", "shared": "slo"},  # the SLO's labels win over the spec's
        "info_labels": {"sloth_mode": "cli-gen-prom", "sloth_spec": "prometheus/v1"},
        "sli": {
            "events": {
                "errors": {"query": "sum(rate(errors[{{.window}}]))"},
                "total": {"query": "sum(rate(total[{{ .window }}]))"},
            }
        },
        "alerting": {
            "name": "MyAlert",
            "labels": {"a": "1"},
            "annotations": {"summary": "hi"},
            "page": {"labels": {"p": "1"}},
            "ticket": {"enabled": False, "annotations": {"t": "1"}},
        },
    }


def test_kubernetes_form_maps_the_same_fields(tmp_path: Path) -> None:
    data = load(tmp_path, K8S_SLO)
    assert slo(data, "svc01", "slo2") == {
        "objective": 95,
        "labels": {"team": "a"},
        "info_labels": {"sloth_mode": "cli-gen-k8s", "sloth_spec": "sloth.slok.dev/v1"},
        "sli": {"raw": {"error_ratio_query": "ratio[{{.window}}]"}},
        "alerting": {"page": {"enabled": False}, "ticket": {"enabled": False}},
    }


def test_documents_of_one_service_merge_in_order(tmp_path: Path) -> None:
    other = PROM_SLO.replace("svc01", "svc02")
    data = load(tmp_path, f"---\n{PROM_SLO}---\n{other}---\n{K8S_SLO}")
    assert list(data["services"]) == ["svc01", "svc02"]
    assert list(data["services"]["svc01"]["slos"]) == ["slo1", "slo2"]


OPTIONS = [
    # (options, path into the spec, expected value)
    ({"default_slo_period": "28d"}, ("defaults", "slos", "period"), "28d"),
    ({"default_slo_period": "4w"}, ("defaults", "slos", "period"), "28d"),
    ({"disable_recordings": True}, ("defaults", "slos", "recordings"), False),
    (
        {"disable_alerts": True},
        ("services", "svc01", "slos", "slo1", "alerting", "page"),
        {"enabled": False, "labels": {"p": "1"}},
    ),
    (
        {"extra_labels": (("shared", "extra"), ("x", "1"))},
        ("services", "svc01", "slos", "slo1", "labels"),
        {"team": "a", "shared": "extra", "x": "1"},  # extra labels win, as in Sloth
    ),
]


@pytest.mark.parametrize(("options", "path", "expected"), OPTIONS)
def test_generate_flags(
    tmp_path: Path, options: dict[str, Any], path: tuple[str, ...], expected: Any
) -> None:
    value: Any = load(tmp_path, PROM_SLO, **options)
    for part in path:
        value = value[part]
    assert value == expected


WINDOWS_7D = """\
apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec:
  sloPeriod: 7d
  page:
    quick: {errorBudgetPercent: 8, shortWindow: 5m, longWindow: 1h}
    slow: {errorBudgetPercent: 12.5, shortWindow: 30m, longWindow: 6h}
  ticket:
    quick: {errorBudgetPercent: 20, shortWindow: 2h, longWindow: 24h}
    slow: {errorBudgetPercent: 42, shortWindow: 6h, longWindow: 72h}
"""


def test_alert_windows_directory(tmp_path: Path) -> None:
    windows = tmp_path / "windows" / "nested"
    windows.mkdir(parents=True)
    (windows / "7d.yml").write_text(WINDOWS_7D)
    (windows / "notes.txt").write_text("not read")
    data = load(
        tmp_path,
        PROM_SLO,
        default_slo_period="7d",
        slo_period_windows_path=str(tmp_path / "windows"),
    )
    assert data["defaults"]["slos"]["windows"] == {
        "7d": {
            "page": {
                "quick": {"error_budget_percent": 8, "short_window": "5m", "long_window": "1h"},
                "slow": {"error_budget_percent": 12.5, "short_window": "30m", "long_window": "6h"},
            },
            "ticket": {
                "quick": {"error_budget_percent": 20, "short_window": "2h", "long_window": "1d"},
                "slow": {"error_budget_percent": 42, "short_window": "6h", "long_window": "3d"},
            },
        }
    }


WINDOW_ERRORS = [
    # (file text, expected location suffix, message fragment)
    (WINDOWS_7D.replace("sloPeriod: 7d", "sloPeriod: 36h"), "w.yaml:4:14", "whole number of days"),
    (WINDOWS_7D.replace("longWindow: 6h", "longWindow: 6x"), "w.yaml:7:68", "invalid duration"),
    (
        WINDOWS_7D.replace("kind: AlertWindows", "kind: Windows"),
        "w.yaml:2:7",
        "supported: AlertWindows",
    ),
    (
        WINDOWS_7D.replace("errorBudgetPercent: 8,", "budget: 8,"),
        "w.yaml:6:13",
        "unknown key 'budget'",
    ),
    (
        WINDOWS_7D.replace("sloPeriod: 7d", "sloPeriod: 30d"),
        "windows",
        "no alert windows for the SLO period 7d",
    ),
]


@pytest.mark.parametrize(("text", "where", "fragment"), WINDOW_ERRORS)
def test_alert_windows_errors_are_located(
    tmp_path: Path, text: str, where: str, fragment: str
) -> None:
    (tmp_path / "windows").mkdir()
    (tmp_path / "windows" / "w.yaml").write_text(text)
    with pytest.raises(InputError) as caught:
        load(
            tmp_path,
            PROM_SLO,
            default_slo_period="7d",
            slo_period_windows_path=str(tmp_path / "windows"),
        )
    rendered = str(caught.value)
    assert f"{where}:" in rendered or f"{where}: " in rendered, rendered
    assert fragment in rendered, rendered


def test_a_period_that_is_not_whole_days_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"--default-slo-period: '36h': .*whole number of days"):
        load(tmp_path, PROM_SLO, default_slo_period="36h")


def edit(old: str, new: str, text: str = PROM_SLO) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


ERRORS = [
    # (source text, "line:col", message fragment)
    (
        edit('"prometheus/v1"', '"prometheus/v2"'),
        "1:10",
        "unsupported Sloth spec version 'prometheus/v2'",
    ),
    (edit("sloth.slok.dev/v1", "sloth.slok.dev/v2", K8S_SLO), "1:13", "unsupported apiVersion"),
    (
        edit("PrometheusServiceLevel", "ServiceLevel", K8S_SLO),
        "2:7",
        "unsupported kind 'ServiceLevel'",
    ),
    ("apiVersion: openslo/v1alpha\nkind: SLO\n", "1:13", "paladin-obs import openslo"),
    ("service: x\n", "1:1", "not a Sloth spec"),
    ("- a\n", "1:1", "expected a Sloth spec"),
    ("# nothing\n", "1:1", "no Sloth spec in this file"),
    (
        edit("      events:", "      plugin: {id: x}\n      events:"),
        "13:7",
        "Sloth SLI plugins cannot be expressed",
    ),
    (
        edit("slos:\n", "slo_plugins: {chain: [{id: x}]}\nslos:\n"),
        "6:1",
        "Sloth SLO plugins cannot be expressed",
    ),
    (
        edit("    objective: 99.9", "    plugins: {chain: []}\n    objective: 99.9"),
        "8:5",
        "Sloth SLO plugins",
    ),
    (
        edit("sloPlugins", "sloPlugins", edit("  slos:", "  sloPlugins: {}\n  slos:", K8S_SLO)),
        "7:3",
        "Sloth SLO plugins",
    ),
    (edit("    objective: 99.9", "    objectiv: 99.9"), "8:5", "unknown key 'objectiv'"),
    (edit('service: "svc01"', 'service: "Svc01"'), "2:10", "invalid name 'Svc01'"),
    (edit('name: "slo1"', 'name: "slo 1"'), "7:11", "invalid name 'slo 1'"),
    (edit("name: MyAlert", "name: my-alert"), "17:13", "must be an alert name"),
    (
        edit("sum(rate(errors[{{.window}}]))", "sum(rate(errors[5m]))"),
        "14:22",
        "must contain {{.window}}",
    ),
    (
        edit("      name: MyAlert\n", ""),
        "16:5",
        "alerting.name is required while page_alert is enabled",
    ),
    (edit("objective: 99.9", 'objective: "99.9"'), "8:16", "objective: expected a number"),
    (edit("team: a", "team: on"), "4:9", "YAML 1.1 reads unquoted 'on' as a boolean"),
    (edit("slos:\n", "slos: []\nx:\n"), "6:7", "at least one SLO is required"),
    (f"{PROM_SLO}---\n{PROM_SLO}", "32:11", "SLO 'slo1' of service 'svc01' is already defined at"),
    (
        edit("labels:\n  team: a", "labels:\n  sloth_id: a"),
        "4:3",
        "'sloth_id' is a label the SLO rules set",
    ),
    (
        edit("      shared: slo", "      sloth_slo: x"),
        "11:7",
        "'sloth_slo' is a label the SLO rules set",
    ),
]


@pytest.mark.parametrize(("text", "where", "fragment"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors_are_located(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        load(tmp_path, text)
    rendered = str(caught.value)
    assert re.search(rf"in\.yaml:{where}: [^\n]*{re.escape(fragment)}", rendered), rendered


GOOD = [PROM_SLO, K8S_SLO, f"{PROM_SLO}---\n{K8S_SLO}"]


@pytest.mark.parametrize("text", GOOD)
@pytest.mark.parametrize(
    "options",
    [{}, {"disable_alerts": True, "disable_recordings": True, "default_slo_period": "28d"}],
)
def test_output_is_a_valid_spec(tmp_path: Path, text: str, options: dict[str, Any]) -> None:
    assert validate_spec(Document("spec.yaml", load(tmp_path, text, **options))) == []


def test_documents_are_separate(tmp_path: Path) -> None:
    """Anchors do not cross ``---`` (YAML's rule), and each document keeps its own lines."""
    text = f"{PROM_SLO}x: &lbl {{a: b}}\n---\n{K8S_SLO}".replace(
        "labels: {team: a}", "labels: *lbl"
    )
    with pytest.raises(
        InputError, match=r"in\.yaml:\d+:\d+: YAML syntax error: found undefined alias 'lbl'"
    ):
        load(tmp_path, text)


def test_header_cannot_break_out_of_the_comment() -> None:
    text = render_spec({"version": 1}, ["from a\nservices: {}\u2028."])
    assert text == "# from a\\nservices: {}\\u2028.\nversion: 1\n"
