"""SLO burn-rate alerts fire, and stay quiet, when they should: promtool as the oracle.

Each case generates a spec with the real CLI into a temporary directory, puts
its promtool test file beside the output (the test's rule_files are relative
to it) and runs ``promtool test rules``. The scenarios, and why each alert
fires at exactly its eval_time and not one evaluation earlier, are worked out
in the comments of tests/promtool/slo/<case>.test.yaml:

- events-30d: 99.9% over 30d on 1,000 requests a minute. 2% errors page and
  ticket at 1m (not 0m), 0.5% tickets only, 0.05% fires nothing, 2% after two
  healthy hours pages at 164m (not 163m) and tickets at 127m (not 126m), zero
  traffic records no SLI, burn-rate or budget series (no NaN or Inf), traffic
  that stops keeps the period SLI a number, no error series records an SLI of 0.
- events-28d: the same on Sloth's 28d catalog (period 4w; onset page at 161m).
- latency-30d: the same for a classic-histogram latency SLI.
- events-30d-sloth: sloth mode, for contrast: the same alerts, but NaN series.
- raw-total-30d: a raw ratio with a traffic query: no NaN when the ratio's own
  denominator is 0 while the service has traffic.
- paladin-production: the repo's own spec, with its no-data alert.

The mutation cases check that the scenarios discriminate: rules with a moved
burn-rate factor, or without guarded mode's traffic filter, fail the scenario
named for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SLO_TESTS = Path(__file__).parent / "promtool" / "slo"

#: case name (its test file is <case>.test.yaml) -> the spec it tests.
CASES: dict[str, Path] = {
    "events-30d": SLO_TESTS / "events-30d.spec.yaml",
    "events-28d": SLO_TESTS / "events-28d.spec.yaml",
    "latency-30d": SLO_TESTS / "latency-30d.spec.yaml",
    "events-30d-sloth": SLO_TESTS / "events-30d-sloth.spec.yaml",
    "raw-total-30d": SLO_TESTS / "raw-total-30d.spec.yaml",
    "paladin-production": REPO / "paladin-obs.yaml",
}

#: (case, scenario name, text in the generated rules, its replacement), by what it breaks.
MUTATIONS: dict[str, tuple[str, str, str, str]] = {
    "page factor 15 pages at 166m, not 164m": (
        "events-30d",
        "2% errors after 2 healthy hours page once the 1h window holds 1.44%",
        "(14.4 * ", "(15 * ",
    ),
    "ticket factor 0.4 on 6h/3d tickets at 0.05%": (
        "events-30d",
        "0.05% errors (half the budget) fire nothing",
        "(1 * ", "(0.4 * ",
    ),
    "without the traffic filter zero traffic records NaN": (
        "events-30d",
        "zero traffic fires nothing and records no NaN or Inf",
        ")) > 0)", ")))",
    ),
    'a bucket match of le="2" alone misses le="2.0"': (
        "latency-30d",
        'the le="2.0" spelling of the bucket counts the same',
        '|2\\\\.0"', '"',
    ),
}

Generated = Callable[[str], Path]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """A case's output directory, generated once per module with the real CLI."""
    done: dict[str, Path] = {}

    def get(case: str) -> Path:
        if case not in done:
            out = tmp_path_factory.mktemp(case)
            env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
            env.pop("PALADIN_OBS_DEBUG", None)
            result = subprocess.run(
                [sys.executable, "-m", "paladin_obs", "generate", "-f", str(CASES[case]), "-o", str(out)],
                capture_output=True, text=True, env=env, check=False,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            done[case] = out
        return done[case]

    return get


@pytest.mark.parametrize("case", list(CASES))
def test_burn_rate_alerts(case: str, generated: Generated, run_promtool) -> None:  # type: ignore[no-untyped-def]
    out = generated(case)
    test_file = out / f"{case}.test.yaml"
    shutil.copyfile(SLO_TESTS / test_file.name, test_file)
    result = run_promtool("test", "rules", test_file)
    assert result.returncode == 0, f"promtool test rules {case}:\n{result.stdout}{result.stderr}"
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_scenario_catches_a_wrong_rule(mutation: str, generated: Generated, tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    case, scenario, old, new = MUTATIONS[mutation]
    shutil.copytree(generated(case) / "rules", tmp_path / "rules")
    (rules,) = (tmp_path / "rules").rglob("*.slo.rules.yaml")
    text = rules.read_text()
    assert old in text, f"{old!r} is not in the generated {rules.name}: update the mutation"
    rules.write_text(text.replace(old, new))
    # The test file with that one scenario, which passes on the real rules.
    spec = yaml.safe_load((SLO_TESTS / f"{case}.test.yaml").read_text())
    spec["tests"] = [t for t in spec["tests"] if t["name"] == scenario]
    assert spec["tests"], f"no scenario {scenario!r} in {case}.test.yaml"
    test_file = tmp_path / f"{case}.test.yaml"
    test_file.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = run_promtool("test", "rules", test_file)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED" in result.stdout + result.stderr


def test_every_slo_test_file_is_a_case() -> None:
    tests = {p.name.removesuffix(".test.yaml") for p in SLO_TESTS.glob("*.test.yaml")}
    specs = set(SLO_TESTS.glob("*.spec.yaml"))
    assert tests == set(CASES)
    assert specs == {s for s in CASES.values() if s.parent == SLO_TESTS}
