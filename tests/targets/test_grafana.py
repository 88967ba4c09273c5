"""The Grafana target on Paladin's spec: layout rules, agreement with the
alerts, and Grafana's own typed model (grafana-foundation-sdk) as an oracle."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import promql_parser as pp
import pytest
import yaml

from paladin_obs.conventions import grafana as gconv
from paladin_obs.loader import load_file
from paladin_obs.model import Model
from paladin_obs.pipeline import build
from paladin_obs.resolve import resolve

REPO = Path(__file__).resolve().parents[2]
SPEC = str(REPO / "paladin-obs.yaml")


@cache
def _files() -> dict[str, bytes]:
    return {path: f.content for path, f in build(SPEC).files.items()}


@cache
def _models() -> dict[str, Model]:
    return {m.environment.name: m for m in resolve(load_file(SPEC))}


def _dashboards() -> dict[str, dict[str, Any]]:
    return {
        path: json.loads(content)
        for path, content in _files().items()
        if path.startswith("dashboards/") and path.endswith(".json")
    }


def _panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in board["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def test_every_environment_has_its_tree() -> None:
    paths = sorted(_dashboards())
    for env in ("production", "staging"):
        assert f"dashboards/{env}/paladin/overview.json" in paths
        assert f"dashboards/{env}/paladin/slo.json" in paths
        assert f"dashboards/{env}/provisioning/paladin.yaml" in _files()


def test_uids_are_short_stable_and_distinct_per_environment() -> None:
    uids = [board["uid"] for board in _dashboards().values()]
    assert len(set(uids)) == len(uids)
    assert all(0 < len(uid) <= gconv.UID_MAX for uid in uids)
    assert _dashboards()["dashboards/production/paladin/overview.json"]["uid"] == (
        "paladin-overview-production"
    )


@pytest.mark.parametrize(
    ("service", "dashboard", "env"),
    [
        ("paladin", "overview", "production"),
        ("a" * 30, "overview", "production"),
        ("svc", "dash with spaces", "staging"),
        ("x" * 60, "y" * 60, "z" * 60),
    ],
)
def test_uid_derivation(service: str, dashboard: str, env: str) -> None:
    uid = gconv.dashboard_uid(service, dashboard, env)
    assert len(uid) <= gconv.UID_MAX
    assert re.fullmatch(r"[A-Za-z0-9_-]+", uid)
    assert uid == gconv.dashboard_uid(service, dashboard, env)
    assert uid != gconv.dashboard_uid(service, dashboard, env + "2")


def _overlap(a: dict[str, int], b: dict[str, int]) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


@pytest.mark.parametrize("path", sorted(_dashboards()))
def test_layout_and_panel_rules(path: str) -> None:
    board = _dashboards()[path]
    assert board["schemaVersion"] == 41
    panels = _panels(board)
    ids = [p["id"] for p in panels]
    assert len(set(ids)) == len(ids), "duplicate panel ids"
    for i, a in enumerate(panels):
        pos = a["gridPos"]
        assert pos["w"] >= 1 and pos["h"] >= 1 and pos["x"] >= 0 and pos["x"] + pos["w"] <= 24
        for b in panels[i + 1 :]:
            assert not _overlap(pos, b["gridPos"]), (a["title"], b["title"])
        if a["type"] == "row":
            continue
        assert a["title"] and a["description"], a
        for target in a["targets"]:
            assert target["datasource"] == a["datasource"]
        if a["datasource"]["type"] == "loki":  # the Logs row: tests/targets/test_grafana_logs.py
            assert a["datasource"] == {"type": "loki", "uid": "${loki_datasource}"}
            continue
        assert a["fieldConfig"]["defaults"]["unit"], a["title"]
        assert a["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        steps = a["fieldConfig"]["defaults"]["thresholds"]["steps"]
        assert steps[0]["value"] is None
        for target in a["targets"]:
            assert "[$__rate_interval]" in target["expr"] or "rate(" not in target["expr"]


@pytest.mark.parametrize("path", sorted(p for p in _dashboards() if "overview" in p))
def test_own_metrics_use_the_service_selector_and_variables(path: str) -> None:
    board = _dashboards()[path]
    names = [v["name"] for v in board["templating"]["list"]]
    assert names == ["datasource", "loki_datasource", "job", "instance"]
    (service,) = _models()["production"].services
    own = {m for m, metric in service.metrics.items() if metric.selector is None}
    seen = 0
    for panel in _panels(board):
        for target in panel.get("targets", []):
            for name, matchers in re.findall(r"\b(\w+?)(?:_bucket|_count|_sum)?\{([^}]*)\}", target["expr"]):
                if name in own:
                    seen += 1
                    assert 'job="paladin"' in matchers and 'instance=~"$instance"' in matchers
    assert seen > 20


EXAMPLE = REPO / "examples" / "grafanalib"


def _example_dashboards() -> dict[str, dict[str, Any]]:
    built = build(str(EXAMPLE / "paladin-obs.yaml"), str(EXAMPLE))
    return {p: json.loads(f.content) for p, f in built.files.items() if p.endswith(".json")}


def test_the_grafanalib_example_is_generated_and_committed() -> None:
    built = build(str(EXAMPLE / "paladin-obs.yaml"), str(EXAMPLE)).files
    boards = _example_dashboards()
    assert sorted(boards) == [
        "dashboards/production/paladin/paladin-runtime.json",
        "dashboards/staging/paladin/paladin-runtime.json",
    ]
    for path, board in boards.items():
        committed = (EXAMPLE / path).read_bytes()
        assert committed == built[path].content, "run paladin-obs generate in examples/grafanalib"
        assert board["schemaVersion"] == 41
        assert all(
            t["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            for p in _panels(board)
            for t in p.get("targets", [])
        )


def test_every_generated_dashboard_loads_in_grafana_foundation_sdk() -> None:
    try:
        from grafana_foundation_sdk.models import dashboard as sdk
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("grafana-foundation-sdk==0.0.21 is a test dependency; it is missing")
        pytest.skip("grafana-foundation-sdk not installed")
    for path, board in {**_dashboards(), **_example_dashboards()}.items():
        loaded = sdk.Dashboard.from_json(board)
        assert loaded.uid == board["uid"], path
        assert loaded.panels is not None and len(loaded.panels) == len(board["panels"]), path


def _rules(env: str) -> list[dict[str, Any]]:
    out = []
    for path, content in _files().items():
        if path.startswith(f"rules/{env}/"):
            for group in yaml.safe_load(content)["groups"]:
                out.extend(r for r in group["rules"] if "alert" in r)
    return out


def _panel_of(env: str, url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    assert parsed.netloc == "grafana.example.com"
    uid = parsed.path.split("/")[2]
    panel_id = int(parse_qs(parsed.query)["viewPanel"][0])
    for path, board in _dashboards().items():
        if path.startswith(f"dashboards/{env}/") and board["uid"] == uid:
            return next(p for p in _panels(board) if p["id"] == panel_id)
    raise AssertionError(f"no dashboard {uid} in {env}")


def _compared(expr: str) -> float | None:
    """The number a rule's top-level comparison tests against (``… > 0.05``)."""
    node = pp.parse(expr)
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    if isinstance(node, pp.BinaryExpr) and isinstance(node.rhs, pp.NumberLiteral):
        return float(node.rhs.val)
    return None


@pytest.mark.parametrize("env", ["production", "staging"])
def test_every_alert_links_to_a_panel_drawing_its_threshold(env: str) -> None:
    model = _models()[env]
    alerts = {a.name: a for s in model.services for a in s.alerts}
    checked = 0
    for rule in _rules(env):
        url = rule["annotations"].get("dashboard_url")
        assert url, f"{rule['alert']} has no dashboard_url"
        panel = _panel_of(env, url)
        runbook = rule["annotations"]["runbook_url"]
        assert any(link["url"] == runbook for link in panel["links"]), rule["alert"]
        alert = alerts.get(rule["alert"])
        if alert is None or alert.threshold is None:
            continue
        steps = [s["value"] for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"][1:]]
        expected = alert.threshold
        if alert.template == "saturation":
            capacity = alert.params["capacity"]
            assert isinstance(capacity, float)
            expected *= capacity
        compared = _compared(rule["expr"])
        # The rule itself compares against the same number the model holds.
        if compared is not None:
            assert compared == alert.threshold, rule["alert"]
        assert expected in steps, (rule["alert"], expected, steps)
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize(("env", "threshold"), [("production", 0.05), ("staging", 0.10)])
def test_error_ratio_panel_shows_the_environments_threshold(env: str, threshold: float) -> None:
    board = _dashboards()[f"dashboards/{env}/paladin/overview.json"]
    ratio = [p for p in _panels(board) if p["title"] == "Error ratio" and "Runbook" in str(p["links"])]
    steps = ratio[0]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, threshold]
    stat = next(p for p in board["panels"] if p["type"] == "stat" and p["title"] == "Error ratio")
    assert stat["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"] == threshold


def test_slo_alerts_link_to_the_slo_dashboard() -> None:
    for env in ("production", "staging"):
        slo_rules = yaml.safe_load(_files()[f"rules/{env}/paladin.slo.rules.yaml"])
        for group in slo_rules["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    panel = _panel_of(env, rule["annotations"]["dashboard_url"])
                    assert any(rule["alert"] in t["expr"] for t in panel["targets"])


def test_provisioning_maps_each_service_to_its_folder() -> None:
    data = yaml.safe_load(_files()["dashboards/production/provisioning/paladin.yaml"])
    assert data["apiVersion"] == 1
    (provider,) = data["providers"]
    assert provider["folder"] == "Paladin" and provider["type"] == "file"
    assert provider["options"]["path"].endswith("/paladin")


SMALL = """\
version: 1
defaults:
  runbook_url: https://rb.test/{alert}
  grafana_version: "12.3"
  dashboards:
    variables: [cluster]
    provisioning: {path: /srv/grafana/, update_interval: 1m, allow_ui_updates: true}
    operator: {namespace: obs, instance_selector: {dashboards: grafana}, resync_period: 10m}
environments:
  prod: {labels: {env: prod}}
  dev: {labels: {env: dev}}
services:
  api:
    selector: {job: api}
    metrics:
      http_requests_total: {type: counter, labels: [code]}
    signals:
      requests: http_requests_total
      errors: {metric: http_requests_total, match: {code: "=~5.."}}
    dashboards:
      folder: API team
      grafanalib: [counted.dashboard.py]
"""

COUNTED = """\
import os
from grafanalib.core import Dashboard, TimeSeries, Target, GridPos

with open(os.environ["PALADIN_OBS_TEST_COUNT"], "a") as handle:
    handle.write("x")

dashboard = Dashboard(
    title="Counted",
    uid="counted",
    panels=[
        TimeSeries(
            title="Requests",
            description="Requests per second.",
            unit="reqps",
            dataSource="$datasource",
            targets=[Target(expr='sum(rate(http_requests_total{job="api"}[$__rate_interval]))', refId="A")],
            gridPos=GridPos(h=8, w=12, x=0, y=0),
        )
    ],
)
"""


def test_options_provisioning_operator_and_one_grafanalib_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.environ.get("CI") != "true":
        pytest.importorskip("grafanalib")
    count = tmp_path / "count"
    monkeypatch.setenv("PALADIN_OBS_TEST_COUNT", str(count))
    (tmp_path / "spec.yaml").write_text(SMALL)
    (tmp_path / "counted.dashboard.py").write_text(COUNTED)
    files = build(str(tmp_path / "spec.yaml"), str(tmp_path)).files
    # Two environments, one execution of the user's file.
    assert count.read_text() == "x"
    for env in ("prod", "dev"):
        overview = json.loads(files[f"dashboards/{env}/api/overview.json"].content)
        assert overview["schemaVersion"] == 42
        names = [v["name"] for v in overview["templating"]["list"]]
        assert names == ["datasource", "cluster", "job", "instance"]
        assert 'cluster=~"$cluster"' in overview["panels"][0]["targets"][0]["expr"]
        counted = json.loads(files[f"dashboards/{env}/api/counted.json"].content)
        assert counted["uid"] == f"api-counted-{env}" and counted["title"] == f"Counted ({env})"
        provisioning = yaml.safe_load(files[f"dashboards/{env}/provisioning/api.yaml"].content)
        (provider,) = provisioning["providers"]
        assert provider["folder"] == "API team"
        assert provider["options"]["path"] == "/srv/grafana/api"
        assert provider["updateIntervalSeconds"] == 60 and provider["allowUiUpdates"] is True
        for name in ("overview", "counted"):
            resource = yaml.safe_load(files[f"dashboards/{env}/operator/api-{name}.yaml"].content)
            assert resource["apiVersion"] == "grafana.integreatly.org/v1beta1"
            assert resource["kind"] == "GrafanaDashboard"
            assert resource["metadata"]["namespace"] == "obs"
            assert resource["spec"]["instanceSelector"] == {"matchLabels": {"dashboards": "grafana"}}
            assert resource["spec"]["resyncPeriod"] == "10m"
            assert resource["spec"]["folder"] == "API team"
            embedded = json.loads(resource["spec"]["json"])
            assert embedded["uid"] == f"api-{name}-{env}"
    # No grafana_url: the alerts of this spec carry no link.
    assert b"dashboard_url" not in files["rules/prod/api.rules.yaml"].content


def test_slos_without_recordings_are_charted_from_the_sli(tmp_path: Path) -> None:
    spec = SMALL.replace("  dashboards:\n    variables", "  slos: {recordings: false}\n  dashboards:\n    variables")
    spec = spec.replace("      grafanalib: [counted.dashboard.py]\n", "")
    spec += (
        "    slos:\n"
        "      availability:\n"
        "        objective: 99.5\n"
        "        sli: {events: {errors: errors, total: requests}}\n"
    )
    (tmp_path / "spec.yaml").write_text(spec)
    files = build(str(tmp_path / "spec.yaml"), str(tmp_path)).files
    board = json.loads(files["dashboards/prod/api/slo.json"].content)
    exprs = [t["expr"] for p in _panels(board) for t in p.get("targets", [])]
    recorded = [e for e in exprs if "slo:" in e]
    assert exprs and not recorded
    assert any("http_requests_total" in e and "[30d]" in e for e in exprs)
    slo_rules = yaml.safe_load(files["rules/prod/api.slo.rules.yaml"].content)
    assert all("record" not in r for g in slo_rules["groups"] for r in g["rules"])


def test_validate_recognises_provisioning_and_operator_files(tmp_path: Path) -> None:
    from paladin_obs.commands import validate

    spec = SMALL.replace("      grafanalib: [counted.dashboard.py]\n", "")
    (tmp_path / "spec.yaml").write_text(spec)
    for rel, generated_file in build(str(tmp_path / "spec.yaml"), str(tmp_path)).files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(generated_file.content)
    tree = str(tmp_path / "dashboards")
    assert validate.run((tree,), None).exit_code == 0
    provisioning = tmp_path / "dashboards/prod/provisioning/api.yaml"
    provisioning.write_text(provisioning.read_text().replace("apiVersion: 1", "apiVersion: 2"))
    operator = tmp_path / "dashboards/prod/operator/api-overview.yaml"
    operator.write_text(operator.read_text().replace("name: api-overview-prod", "name: API_Overview"))
    report = validate.run((tree,), None)
    assert report.exit_code == 1
    messages = sorted(str(f.location) + " " + f.message for f in report.findings)
    assert any("provisioning/api.yaml:" in m and "apiVersion must be 1" in m for m in messages)
    assert any("operator/api-overview.yaml:" in m and "not a Kubernetes name" in m for m in messages)


@pytest.mark.parametrize(
    ("annotations", "url", "expected"),
    [
        ({"summary": "s."}, "https://g/d/x", {"dashboard_url": "https://g/d/x", "summary": "s."}),
        ({"dashboard_url": "mine", "summary": "s."}, "https://g/d/x", {"dashboard_url": "mine", "summary": "s."}),
        ({"summary": "s."}, "", {"summary": "s."}),
    ],
)
def test_a_dashboard_url_set_by_hand_wins(
    annotations: dict[str, str], url: str, expected: dict[str, str]
) -> None:
    assert gconv.with_dashboard_url(annotations, url) == expected
    assert list(gconv.with_dashboard_url(annotations, url)) == sorted(expected)
