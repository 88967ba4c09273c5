"""The benchmark command runs end to end, and its fleet spec is valid and deterministic.

Timings are never asserted (they depend on the machine); the report's shape
and the verdicts' consistency with their own values are. The smoke run needs
promtool, hyperfine and GNU time: under ``CI=true`` (where ``.ci/run``
installs them) a missing one fails the test instead of skipping it.
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
import yaml

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "benchmarks" / "run.py"
FLEET = REPO / "benchmarks" / "fleet.py"

QUICK_MEASUREMENTS = {
    *(f"{prefix}.{command}.{state}" for prefix in ("paladin", "fleet.1")
      for command in ("generate", "check") for state in ("cold", "warm")),
    "paladin.promtool", "fleet.1.promtool",
    "big.templated.validate", "big.templated.promtool",
    "big.mixed.validate", "big.mixed.promtool",
}
# figure name -> its limit in quick mode (None: shown for information)
QUICK_FIGURES: dict[str, float | None] = {
    **{f"paladin {command} {state} / promtool (wall)": 3.0
       for state in ("cold", "warm") for command in ("generate", "check")},
    "validate templated / promtool (wall)": 0.5,
    "validate templated / promtool (peak memory)": 1.0,
    "validate mixed / promtool (wall)": 0.5,
    "validate mixed / promtool (peak memory)": 1.0,
    **{name: limit for state in ("cold", "warm") for name, limit in (
        (f"fleet 1 generate {state} (wall)", None),
        (f"fleet 1 generate {state} (peak memory)", None),
        (f"fleet 1 check {state} / generate {state} (wall)", 1.2),
        (f"fleet 1 generate {state} / promtool (wall)", None),
    )},
}


def require_benchmark_tools() -> None:
    missing = [name for name in ("promtool", "hyperfine") if shutil.which(name) is None]
    if not Path("/usr/bin/time").exists():
        missing.append("/usr/bin/time")
    if missing:
        message = f"the benchmark needs {', '.join(missing)} (apt-get install prometheus hyperfine time)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: required under CI=true")
        pytest.skip(message)


def run_script(script: Path, *args: str | Path | int, env: dict[str, str] | None = None,
               timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    require_benchmark_tools()
    out = tmp_path_factory.mktemp("bench") / "results.json"
    result = run_script(RUN, "--quick", "--json-out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result, report


def test_quick_report_header(quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    _, report = quick_run
    assert report["schema"] == "paladin-obs-benchmark/1"
    assert report["mode"] == "quick"
    assert set(report["machine"]) >= {"nproc", "python", "platform", "loadavg_start", "loadavg_end"}
    assert set(report["tools"]) == {"paladin-obs", "promtool", "hyperfine", "time"}
    assert report["tools"]["promtool"].startswith("promtool")
    assert report["tools"]["hyperfine"].startswith("hyperfine")
    assert report["settings"]["sizes"] == [1]
    assert report["settings"]["alerts"] == 200


def test_quick_measurements(quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    _, report = quick_run
    measurements = report["measurements"]
    assert set(measurements) == QUICK_MEASUREMENTS
    for name, m in measurements.items():
        assert m["command"][0].endswith("paladin-obs") or m["command"][0] == "promtool", name
        assert m["runs"] == len(m["samples_s"]) == report["settings"]["runs"], name
        assert all(isinstance(s, float) for s in m["samples_s"]), name
        assert m["min_s"] <= m["median_s"] <= m["max_s"], name
        assert m["peak_rss_kb"] == max(m["rss_samples_kb"]) > 0, name
        assert m["peak_tree_pss_kb"] == max(m["tree_pss_samples_kb"]) > 0, name
    assert measurements["paladin.promtool"]["command"][:3] == ["promtool", "check", "rules"]
    promtool_files = measurements["paladin.promtool"]["command"][3:]
    assert promtool_files and all(f.startswith("rules/") for f in promtool_files)
    assert measurements["paladin.promtool"]["cwd"].endswith("/paladin/tree")


@pytest.mark.parametrize(("figure", "limit"), QUICK_FIGURES.items())
def test_quick_figure(quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
                      figure: str, limit: float | None) -> None:
    result, report = quick_run
    found = {f["name"]: f for f in report["figures"]}
    assert set(found) == set(QUICK_FIGURES)
    f = found[figure]
    assert f["limit"] == limit
    assert f["pass"] == (None if limit is None else f["value"] <= limit)
    assert set(f["measurements"]) <= QUICK_MEASUREMENTS
    verdict = {True: "PASS", False: "FAIL", None: "info"}[f["pass"]]
    assert any(line.startswith(figure) and line.rstrip().endswith(verdict)
               for line in result.stdout.splitlines()), result.stdout


def test_quick_summary(quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    _, report = quick_run
    verdicts = [f["pass"] for f in report["figures"]]
    assert report["summary"] == {"pass": verdicts.count(True), "fail": verdicts.count(False),
                                 "info": verdicts.count(None)}


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--sizes", "1,x"], None, "--sizes"),
    (["--runs", "0"], None, "at least 1"),
    (["--only", "paladin,fleets"], None, "--only: expected some of paladin, big, fleet"),
    (["--quick"], {"PATH": "/nonexistent"}, "missing promtool, hyperfine"),
])
def test_bad_usage_exits_2(tmp_path: Path, args: list[str], env: dict[str, str] | None, message: str) -> None:
    environment = {**os.environ, **(env or {})}
    result = run_script(RUN, *args, "--json-out", tmp_path / "r.json", env=environment, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.json").exists()


def fleet_text(services: int, seed: int, tmp_path: Path) -> str:
    out = tmp_path / f"fleet-{services}-{seed}.yaml"
    result = run_script(FLEET, "--services", services, "--seed", seed, "-o", out, timeout=120)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_fleet_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = fleet_text(5, 1, tmp_path / "a")
    assert fleet_text(5, 1, tmp_path / "b") == first
    assert fleet_text(5, 2, tmp_path) != first


def test_fleet_grows_by_appending(tmp_path: Path) -> None:
    """Service i depends on the seed and i only: a bigger fleet starts with the smaller one."""
    small = yaml.safe_load(fleet_text(4, 1, tmp_path))["services"]
    big = yaml.safe_load(fleet_text(9, 1, tmp_path))["services"]
    assert list(big.items())[:4] == list(small.items())


def test_fleet_varies_its_services(tmp_path: Path) -> None:
    services = yaml.safe_load(fleet_text(3, 1, tmp_path))["services"]
    signals = {s["signals"]["requests"] for s in services.values()}
    assert signals == {"http_requests_total", "worker_jobs_processed_total"}
    assert sum("dependencies" in s for s in services.values()) == 1
    assert all({"metrics", "signals", "records", "alerts", "slos", "dashboards", "logs"} <= set(s)
               for s in services.values())


def test_fleet_of_two_generates_and_lints_cleanly(tmp_path: Path, run_promtool: Any) -> None:
    spec = tmp_path / "fleet.yaml"
    spec.write_text(fleet_text(2, 1, tmp_path), encoding="utf-8")
    # A cache of its own: the verdicts must come from this build, not from the user's cache.
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator"), "PALADIN_OBS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PALADIN_OBS_DEBUG", None)

    def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "paladin_obs", *map(str, args)], capture_output=True,
                              text=True, cwd=tmp_path, env=env, check=False)

    generated = cli("generate", "-f", spec, "-o", tmp_path / "out")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "warning" not in generated.stdout + generated.stderr
    linted = cli("lint", "--strict", spec)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    files = {str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    for env_name in ("production", "staging"):
        for service in ("checkout", "payments"):
            assert {
                f"rules/{env_name}/{service}.rules.yaml", f"rules/{env_name}/{service}.slo.rules.yaml",
                f"dashboards/{env_name}/{service}/overview.json", f"dashboards/{env_name}/{service}/slo.json",
                f"dashboards/{env_name}/provisioning/{service}.yaml",
                f"dashboards/{env_name}/operator/{service}-overview.yaml",
                f"loki/{env_name}/{service}.alloy", f"loki/{env_name}/promtail/{service}.yaml",
                f"loki/{env_name}/rules/fleet/{service}.yaml",
            } <= files
    rules = sorted((tmp_path / "out" / "rules").glob("*/*.yaml"))
    checked = run_promtool("check", "rules", *rules)
    assert checked.returncode == 0, checked.stdout + checked.stderr
