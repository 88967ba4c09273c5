"""load_dashboard(): real grafanalib, real files; every failure located, no traceback.

Needs grafanalib (test extra). Under CI=true its absence fails these tests instead
of skipping them, like the promtool oracle (tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.grafana.grafanalib import load_dashboard
from paladin_obs.grafana.layout import all_panels
from paladin_obs.grafana.upgrade import upgrade

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "grafanalib" / "paladin-runtime.dashboard.py"
DS = {"type": "prometheus", "uid": "${datasource}"}


@pytest.fixture(autouse=True, scope="module")
def _grafanalib() -> None:
    try:
        import grafanalib  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("grafanalib is required under CI=true but is not installed")
        pytest.skip("grafanalib not installed (pip install -e '.[test]')")


def _diagnostic(path: Path | str) -> tuple[int, int, str]:
    with pytest.raises(InputError) as info:
        load_dashboard(str(path))
    (diag,) = info.value.diagnostics
    assert diag.location.file == str(path)
    return diag.location.line, diag.location.column, diag.message


def test_good_fixture_renders_like_grafanalib() -> None:
    data = load_dashboard(str(FIXTURES / "good.dashboard.py"))
    assert data["title"] == "Fixture good"
    assert data["schemaVersion"] == 12
    assert [p["type"] for p in data["panels"]] == ["row", "stat", "timeseries"]
    assert data["templating"]["list"][0]["datasource"] == "Prometheus"
    assert json.loads(json.dumps(data)) == data, "plain JSON data"


# (fixture, line, column, words the message must contain)
BROKEN = [
    ("raises.dashboard.py", 5, 1, ("RuntimeError", "no such panel: Requests")),
    ("nodashboard.dashboard.py", 1, 1, ("no module-level `dashboard`",)),
    ("wrongtype.dashboard.py", 3, 1, ("dict", "not a grafanalib Dashboard")),
    ("render_fails.dashboard.py", 9, 1, ("rendering", "TypeError", "not JSON serializable")),
    ("exits.dashboard.py", 3, 1, ("SystemExit", "3")),
]


@pytest.mark.parametrize(("name", "line", "column", "words"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_broken_file_is_located(name: str, line: int, column: int,
                                words: tuple[str, ...]) -> None:
    got_line, got_column, message = _diagnostic(FIXTURES / name)
    assert (got_line, got_column) == (line, column)
    for word in words:
        assert word in message


def test_syntax_error_is_located(tmp_path: Path) -> None:
    # Kept as *.py.in: a *.py with a syntax error would break `ruff check tests`.
    path = tmp_path / "syntax.dashboard.py"
    shutil.copy(FIXTURES / "syntax.dashboard.py.in", path)
    line, column, message = _diagnostic(path)
    assert line in (3, 4) and column >= 1
    assert message.startswith("syntax error:")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    _, _, message = _diagnostic(tmp_path / "absent.dashboard.py")
    assert "cannot read" in message


def test_grafanalib_not_installed_says_how_to_install() -> None:
    """A real interpreter without site-packages, so grafanalib cannot be imported."""
    script = (
        "from paladin_obs.grafana.grafanalib import load_dashboard\n"
        "from paladin_obs.diagnostics import InputError\n"
        "try:\n"
        f"    load_dashboard({str(FIXTURES / 'needs_grafanalib.dashboard.py')!r})\n"
        "except InputError as e:\n"
        "    print(e)\n"
    )
    env = {"PYTHONPATH": str(REPO / "generator"), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "needs_grafanalib.dashboard.py:3:1:" in done.stdout
    assert "pip install grafanalib" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_no_trace_left_and_same_names_do_not_collide(tmp_path: Path) -> None:
    """Two directories, each a helper module and a dashboard file of the same names."""
    for title in ("one", "two"):
        folder = tmp_path / title
        folder.mkdir()
        (folder / "paladin_test_helper.py").write_text(f"TITLE = {title!r}\n")
        (folder / "same.dashboard.py").write_text(
            "from grafanalib.core import Dashboard\n"
            "from paladin_test_helper import TITLE\n"
            "print('noise on stdout')\n"
            "dashboard = Dashboard(title=TITLE)\n")
    path_before, modules_before = list(sys.path), set(sys.modules)
    titles = [load_dashboard(str(tmp_path / t / "same.dashboard.py"))["title"]
              for t in ("one", "two")]
    assert titles == ["one", "two"]
    assert sys.path == path_before
    leaked = {m for m in set(sys.modules) - modules_before
              if m == "paladin_test_helper" or "same" in m}
    assert leaked == set()


def _invariants(dashboard: dict[str, Any]) -> None:
    panels = all_panels(dashboard["panels"])
    assert "rows" not in dashboard
    for panel in panels:
        assert panel.get("maxDataPoints") != 100
        assert panel["type"] not in ("graph", "singlestat")
        pos = panel["gridPos"]
        assert 1 <= pos["w"] <= 24 and 0 <= pos["x"] <= 24 - pos["w"] and pos["h"] > 0
        for ref in [panel.get("datasource")] + [t["datasource"] for t in panel.get("targets", [])]:
            assert (ref is None and panel["type"] in ("row", "text")) or isinstance(ref, dict)
        steps = panel.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get(
            "steps", [{"value": None}])
        assert isinstance(steps, list) and steps[0]["value"] is None
        assert panel.get("fieldConfig", {}).get("defaults", {}).get("noValue") != "none"
    for var in dashboard["templating"]["list"]:
        assert var["type"] == "datasource" or isinstance(var.get("datasource"), dict)


@pytest.mark.parametrize("path", [FIXTURES / "good.dashboard.py",
                                  FIXTURES / "legacy.dashboard.py", EXAMPLE],
                         ids=["good", "legacy", "paladin-runtime"])
@pytest.mark.parametrize("schema", [36, 41, 42])
def test_rendered_dashboards_upgrade_cleanly(path: Path, schema: int) -> None:
    upgraded, notes = upgrade(load_dashboard(str(path)), schema, DS)
    assert upgraded["schemaVersion"] == schema
    assert notes
    _invariants(upgraded)
    assert upgrade(upgraded, schema, DS) == (upgraded, [])


def test_paladin_example_is_what_an_sre_would_want() -> None:
    upgraded, _ = upgrade(load_dashboard(str(EXAMPLE)), 41, DS)
    names = [v["name"] for v in upgraded["templating"]["list"]]
    assert names == ["datasource", "job", "instance"]
    queries = [t["expr"] for p in all_panels(upgraded["panels"]) for t in p.get("targets", [])]
    assert queries and all('job="$job"' in q for q in queries)
    assert all("[$__rate_interval]" in q for q in queries if "rate(" in q)
    for metric in ("paladin_active_paladins", "garrison_entries_total",
                   "arsenal_tool_calls_total", "paladin_errors_total"):
        assert any(metric in q for q in queries)
    for panel in all_panels(upgraded["panels"]):
        if panel["type"] != "row":
            assert panel["description"] and panel["fieldConfig"]["defaults"]["unit"]
    assert upgraded["uid"] == "paladin-runtime"


def test_legacy_fixture_converts_every_old_panel() -> None:
    upgraded, notes = upgrade(load_dashboard(str(FIXTURES / "legacy.dashboard.py")), 41, DS)
    kinds = sorted(p["type"] for p in all_panels(upgraded["panels"]))
    assert kinds == ["bargauge", "gauge", "row", "row", "stat", "table", "timeseries"]
    text = "\n".join(notes)
    for expected in ("legacy rows[]", "graph panels converted", "singlestat panels converted",
                     "gauge options moved", "fieldOptions converted", "cellOptions"):
        assert expected in text
