"""Running paladin-obs for report tests, with a controlled environment.

The report formats read the environment (``NO_COLOR``, ``FORCE_COLOR``,
``GITHUB_WORKSPACE``), and CI sets some of these itself, so every run starts
from the caller's environment without them and adds only what a test asks.
``run`` invokes the real command line in this process (click's runner: the
whole CLI, a fraction of a process's start-up); ``run_process`` starts a real
process where the test needs one (terminals, imports at start-up).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "corpus" / "rules_broken"
_CONTROLLED = ("NO_COLOR", "FORCE_COLOR", "GITHUB_WORKSPACE", "TERM", "PALADIN_OBS_DEBUG")

SPEC = """\
version: 1
defaults:
  runbook_url: "https://runbooks.example.com/{alert}"
  dashboards: {enabled: false}
environments:
  production:
    labels: {env: production}
  staging:
    labels: {env: staging}
services:
  checkout:
    selector: {job: checkout}
    metrics:
      http_requests_total: {type: counter, labels: [code]}
    alerts:
      CheckoutErrors:
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1
        for: 10m
        severity: warning
        summary: Checkout fails.
        description: "{{ $value }} errors a second."
"""


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CONTROLLED}
    env["PYTHONPATH"] = str(REPO / "generator")
    env.update(extra)
    return env


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``paladin-obs ARGS`` in ``cwd``, through the CLI, in this process."""
    from click.testing import CliRunner

    from paladin_obs.cli import cli

    overrides: dict[str, str | None] = {k: None for k in _CONTROLLED}
    overrides.update(env or {})
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args], env=overrides, catch_exceptions=False)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def run_process(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """``paladin-obs ARGS`` from this checkout, as a process."""
    return subprocess.run(
        [sys.executable, "-m", "paladin_obs", *map(str, args)],
        cwd=cwd, env=environment() if env is None else env, text=True,
        check=False, **{"capture_output": True, **kwargs},
    )


def report_json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(done.stdout)
    return data
