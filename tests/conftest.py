"""Shared fixtures: real tools as oracles.

Under ``CI=true`` a missing oracle is a failure, not a skip: CI installs it, so
its absence means the install step broke and the oracle tests would silently
stop guarding anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# No test reads a build cached by another test or by the user's own runs:
# tests/test_cache.py turns the cache on where it is the subject.
os.environ["PALADIN_OBS_CACHE_DIR"] = ""
# Colour only where a test asks for it (tests/report/test_colour.py).
os.environ.pop("FORCE_COLOR", None)


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI=true but is not installed")
        pytest.skip(f"{name} not installed (apt-get install -y prometheus)")
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    return _require_tool("promtool")


PromtoolRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def run_promtool(promtool: str) -> PromtoolRun:
    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [promtool, *map(str, args)], capture_output=True, text=True, errors="replace", check=False
        )

    return run


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


CliRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def run_cli() -> CliRun:
    """``paladin-obs ARGS`` as a real process, from this checkout, in ``cwd``."""

    def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
        env.pop("PALADIN_OBS_DEBUG", None)
        return subprocess.run(
            [sys.executable, "-m", "paladin_obs", *map(str, args)],
            capture_output=True, text=True, cwd=cwd, env=env, check=False,
        )

    return run
