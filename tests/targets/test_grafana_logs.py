"""The overview's Logs row on Paladin's spec: a collapsed row of Loki panels
through the Loki datasource variable, valid LogQL (our validator and Grafana's
lezer grammar), a clean dashboard validation, and grafana-foundation-sdk's
typed model as an oracle."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.logql_oracle import lezer_verdicts_fixture  # noqa: F401

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Location
from paladin_obs.grafana.board import render
from paladin_obs.grafana.versions import schema_version
from paladin_obs.loader import load_file
from paladin_obs.model import Model, Service
from paladin_obs.model_logs import ServiceLogs
from paladin_obs.resolve import resolve
from paladin_obs.targets.grafana import overview
from paladin_obs.targets.grafana.queries import Scope
from paladin_obs.validate import VALIDATORS, Settings, Source
from paladin_obs.validate.grafana_vars import substitute
from paladin_obs.validate.logql import check_logql

REPO = Path(__file__).resolve().parents[2]
SPEC = str(REPO / "paladin-obs.yaml")
LOKI_REF = {"type": "loki", "uid": "${loki_datasource}"}
ENVS = ("production", "staging")


@cache
def _models() -> dict[str, Model]:
    return {m.environment.name: m for m in resolve(load_file(SPEC))}


def _service(env: str) -> Service:
    (service,) = _models()[env].services
    return service


def _board(env: str, service: Service | None = None, grafana_version: str = "") -> dict[str, Any]:
    """Paladin's overview in ``env``, optionally with another service model or
    for another Grafana release."""
    model = _models()[env]
    assert model.grafana is not None
    grafana = model.grafana
    if grafana_version:
        major, minor = (int(p) for p in grafana_version.split("."))
        grafana = replace(grafana, schema_version=schema_version((major, minor)))
    return render(overview.build(Scope(service or _service(env), model.environment, grafana)))


def _with_logs(env: str, **changes: Any) -> Service:
    service = _service(env)
    assert service.logs is not None
    return replace(service, logs=replace(service.logs, **changes))


def _logs_row(board: dict[str, Any]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [
        p for p in board["panels"] if p["type"] == "row" and p["title"] == "Logs"
    ]
    assert len(rows) == 1
    return rows[0]


def _loki_targets(board: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(panel, target) of every Loki target, collapsed rows included."""
    panels = [c for p in board["panels"] for c in (p, *p.get("panels", []))]
    return [
        (p, t) for p in panels for t in p.get("targets", []) if t["datasource"]["type"] == "loki"
    ]


def _checked_text(board: dict[str, Any], expr: str) -> str:
    """The expression as Loki sees it once Grafana expands the variables."""
    known = frozenset(v["name"] for v in board["templating"]["list"])
    return substitute(expr, known).text


@pytest.mark.parametrize("env", ENVS)
def test_logs_row_is_last_collapsed_and_holds_the_three_panels(env: str) -> None:
    board = _board(env)
    row = _logs_row(board)
    assert board["panels"][-1] is row and row["collapsed"] is True
    panels = row["panels"]
    assert [(p["title"], p["type"]) for p in panels] == [
        ("Log volume by level", "timeseries"),
        ("Error lines", "timeseries"),
        ("Logs", "logs"),
    ]
    for panel in panels:
        assert panel["datasource"] == LOKI_REF and panel["description"]
        assert [t["datasource"] for t in panel["targets"]] == [LOKI_REF]
    # Laid out under the row as it opens: two graphs side by side, then the lines.
    y = row["gridPos"]["y"] + 1
    assert [(p["gridPos"]["x"], p["gridPos"]["y"], p["gridPos"]["w"]) for p in panels] == [
        (0, y, 12), (12, y, 12), (0, y + 8, 24)
    ]  # fmt: skip
    ids = [p["id"] for p in board["panels"]] + [p["id"] for p in panels]
    assert sorted(ids) == list(range(1, len(ids) + 1))
    volume, errors, lines = (p["targets"][0] for p in panels)
    stream = f'{{env="{env}", service="paladin"}}'
    assert volume["expr"] == f"sum by (level) (count_over_time({stream} [$__auto]))"
    assert errors["expr"] == (
        f'sum by (level) (count_over_time({stream[:-1]}, level=~"error|fatal"}} [$__auto]))'
    )
    assert volume["legendFormat"] == errors["legendFormat"] == "{{level}}"
    assert lines["expr"] == stream and "legendFormat" not in lines
    assert panels[0]["fieldConfig"]["defaults"]["custom"]["stacking"]["mode"] == "normal"
    assert panels[0]["fieldConfig"]["defaults"]["unit"] == "short"
    assert panels[2]["options"]["sortOrder"] == "Descending"
    assert panels[2]["options"]["wrapLogMessage"] is True


@pytest.mark.parametrize("env", ENVS)
def test_the_loki_datasource_variable_comes_after_prometheus(env: str) -> None:
    variables = _board(env)["templating"]["list"]
    assert [v["name"] for v in variables] == ["datasource", "loki_datasource", "job", "instance"]
    loki = variables[1]
    assert loki["name"] == gconv.LOKI_DATASOURCE_VARIABLE
    assert (loki["type"], loki["query"]) == ("datasource", "loki")


@pytest.mark.parametrize("env", ENVS)
def test_every_logql_target_is_valid_logql(env: str) -> None:
    board = _board(env)
    targets = _loki_targets(board)
    assert len(targets) == 3
    for panel, target in targets:
        metric = panel["type"] != "logs"
        text = _checked_text(board, target["expr"])
        assert check_logql(text, metric=metric) == [], (panel["title"], text)


def _validate(board: dict[str, Any]) -> tuple[list[str], list[str]]:
    source = Source("overview.json", board, lambda path, key: Location("overview.json"))
    checked = VALIDATORS[gconv.DASHBOARD_KIND].check([source], Settings())
    return [e.message for e in checked.errors], [f"{f.check}: {f.message}" for f in checked.findings]


@pytest.mark.parametrize("env", ENVS)
def test_the_dashboard_validates_and_lints_clean(env: str) -> None:
    assert _validate(_board(env)) == ([], [])


def test_every_dashboard_loads_in_grafana_foundation_sdk() -> None:
    try:
        from grafana_foundation_sdk.cog.plugins import register_default_plugins
        from grafana_foundation_sdk.models import common, logs, loki, timeseries
        from grafana_foundation_sdk.models import dashboard as sdk
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("grafana-foundation-sdk==0.0.21 is a test dependency; it is missing")
        pytest.skip("grafana-foundation-sdk not installed")
    # Typed targets and panel options (Loki queries, logs and timeseries panels).
    register_default_plugins()
    for env in ENVS:
        board = _board(env)
        loaded = sdk.Dashboard.from_json(board)
        assert loaded.panels is not None
        row = loaded.panels[-1]
        assert isinstance(row, sdk.RowPanel) and row.collapsed is True and row.panels
        assert [p.type_val for p in row.panels] == ["timeseries", "timeseries", "logs"]
        for panel in row.panels:
            assert panel.targets
            for target in panel.targets:
                assert isinstance(target, loki.Dataquery)
                assert target.query_type == loki.LokiQueryType.RANGE
        volume = row.panels[0].field_config
        assert volume is not None and isinstance(volume.defaults.custom, timeseries.FieldConfig)
        assert volume.defaults.custom.draw_style == common.GraphDrawStyle.BARS
        stacking = volume.defaults.custom.stacking
        assert stacking is not None and stacking.mode == common.StackingMode.NORMAL
        options = row.panels[2].options
        assert isinstance(options, logs.Options)
        assert common.LogsSortOrder(options.sort_order) == common.LogsSortOrder.DESCENDING
        assert common.LogsDedupStrategy(options.dedup_strategy) == common.LogsDedupStrategy.NONE
        assert options.wrap_log_message is True


@pytest.mark.parametrize("env", ENVS)
def test_a_service_without_logs_has_no_logs_row_nor_loki_variable(env: str) -> None:
    board = _board(env, replace(_service(env), logs=None))
    assert all(p["title"] != "Logs" for p in board["panels"])
    assert _loki_targets(board) == []
    assert [v["name"] for v in board["templating"]["list"]] == ["datasource", "job", "instance"]
    assert _validate(board) == ([], [])


def _no_level(logs: ServiceLogs) -> dict[str, Any]:
    return {"fields": tuple(f for f in logs.fields if f.role != "level")}


# (title, what changes in the production logs, graphs: (title, width, expression))
VARIANTS = [
    (
        "no level field: total volume, no error panel",
        "no_level",
        [("Log volume", 24, 'sum(count_over_time({env="production", service="paladin"} [$__auto]))')],
    ),
    (
        "min_level fatal: error lines are fatal ones only",
        {"min_level": "fatal"},
        [
            ("Log volume by level", 12, 'sum by (level) (count_over_time({env="production", service="paladin"} [$__auto]))'),
            ("Error lines", 12, 'sum by (level) (count_over_time({env="production", service="paladin", level="fatal"} [$__auto]))'),
        ],
    ),
    (
        "no min_level: every level shipped",
        {"min_level": ""},
        [
            ("Log volume by level", 12, 'sum by (level) (count_over_time({env="production", service="paladin"} [$__auto]))'),
            ("Error lines", 12, 'sum by (level) (count_over_time({env="production", service="paladin", level=~"error|fatal"} [$__auto]))'),
        ],
    ),
    (
        "labels of the spec join the stream",
        {"static_labels": {"env": "production", "service": "paladin", "team": "core"}},
        [
            ("Log volume by level", 12, 'sum by (level) (count_over_time({env="production", service="paladin", team="core"} [$__auto]))'),
            ("Error lines", 12, 'sum by (level) (count_over_time({env="production", service="paladin", team="core", level=~"error|fatal"} [$__auto]))'),
        ],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "graphs"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_the_row_follows_the_logs_section(
    changes: str | dict[str, Any], graphs: list[tuple[str, int, str]]
) -> None:
    logs = _service("production").logs
    assert logs is not None
    edits = _no_level(logs) if changes == "no_level" else changes
    assert isinstance(edits, dict)
    board = _board("production", _with_logs("production", **edits))
    panels = _logs_row(board)["panels"]
    assert [(p["title"], p["gridPos"]["w"], p["targets"][0]["expr"]) for p in panels[:-1]] == graphs
    assert panels[-1]["type"] == "logs" and panels[-1]["gridPos"]["w"] == 24
    for panel, target in _loki_targets(board):
        text = _checked_text(board, target["expr"])
        assert check_logql(text, metric=panel["type"] != "logs") == [], text
    assert _validate(board) == ([], [])


# Grafana's Loki datasource expands $__auto from 10.2; schemaVersion 38 is also
# 9.4 to 10.1, so only 10.3 (schemaVersion 39) and later are given it.
INTERVALS = [
    ("9.0", "$__interval"),
    ("9.5", "$__interval"),
    ("10.2", "$__interval"),
    ("10.3", "$__auto"),
    ("11.6", "$__auto"),
    ("13.2", "$__auto"),
]


@pytest.mark.parametrize(("version", "window"), INTERVALS, ids=[v for v, _ in INTERVALS])
def test_the_count_window_follows_the_grafana_version(version: str, window: str) -> None:
    board = _board("production", grafana_version=version)
    graphs = [t["expr"] for p, t in _loki_targets(board) if p["type"] == "timeseries"]
    assert len(graphs) == 2 and all(g.endswith(f" [{window}]))") for g in graphs)
    assert _validate(board) == ([], [])


def test_lezer_accepts_every_logql_target_of_the_generated_dashboards(
    lezer_verdicts: Callable[[list[str]], list[bool]],
) -> None:
    """Grafana's own LogQL grammar (the query editor's) agrees with ours."""
    queries = []
    for env in ENVS:
        for version in ("9.5", "11.6"):
            board = _board(env, grafana_version=version)
            queries += [_checked_text(board, t["expr"]) for _, t in _loki_targets(board)]
    assert len(queries) == 12
    verdicts = lezer_verdicts(queries)
    assert [q for q, ok in zip(queries, verdicts, strict=True) if not ok] == []
