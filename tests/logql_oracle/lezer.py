"""The external LogQL syntax oracle: Grafana's lezer grammar, @grafana/lezer-logql.

``lezer_verdicts(queries)`` parses every query with the pinned npm package in one
node process (verdicts.mjs beside this file) and says, per query, whether the
parse tree is free of error nodes. ``lezer_results`` gives the first error's
offset and the top expression's kind as well.

The package is pinned in package.json and package-lock.json here; node_modules is
not committed. When it is absent (a fresh clone) or holds another version, and npm
is on PATH, ``npm ci`` installs it here first. When node or the package cannot be
had, the calling test skips, or fails under ``CI=true`` (CI installs both, see
.ci/run, so their absence there means the install step broke), as for promtool in
tests/conftest.py.

lezer checks syntax only: it refuses what LogQL's grammar refuses, and accepts
queries that Loki's validation refuses (see tests/validate/test_logql_corpus.py
for the corpus and the known differences from Loki's own parser).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "verdicts.mjs"
PACKAGE = "@grafana/lezer-logql"
INSTALLED = HERE / "node_modules" / "@grafana" / "lezer-logql" / "package.json"


@dataclass(frozen=True)
class LezerVerdict:
    accepted: bool
    #: 0-based code-point offset of the first error node; None when accepted.
    offset: int | None
    #: "log" or "metric" (the top expression's kind); None when rejected.
    kind: str | None


def pinned_version() -> str:
    """The exact @grafana/lezer-logql version package.json pins."""
    return str(json.loads((HERE / "package.json").read_text())["dependencies"][PACKAGE])


def _installed_version() -> str | None:
    try:
        return str(json.loads(INSTALLED.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the LogQL oracle is required under CI=true: {reason}")
    pytest.skip(f"LogQL oracle unavailable: {reason}")


@functools.cache
def _prepare() -> tuple[str | None, str]:
    """(path of node, "") when the oracle is usable, else (None, why not). Once a process."""
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed (apt-get install -y nodejs npm)"
    if _installed_version() != pinned_version():
        npm = shutil.which("npm")
        if npm is None:
            return None, f"{PACKAGE} is not installed in {HERE} and npm is not on PATH"
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--engine-strict=false"],
            cwd=HERE, capture_output=True, text=True, errors="replace", check=False,
        )
        if result.returncode != 0 or _installed_version() != pinned_version():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            return None, f"`npm ci` in {HERE} failed (exit {result.returncode}):\n{tail}"
    return node, ""


def lezer_results(queries: list[str]) -> list[LezerVerdict]:
    """lezer's verdict on each query, in order; one node process for the whole list."""
    node, why = _prepare()
    if node is None:
        _unavailable(why)
        raise AssertionError("unreachable")  # pytest.skip/fail raised
    if not queries:
        return []
    result = subprocess.run(
        [node, str(SCRIPT)], cwd=HERE, input=json.dumps(queries),
        capture_output=True, text=True, errors="replace", check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{SCRIPT.name} failed (exit {result.returncode}):\n{result.stderr}")
    raw = json.loads(result.stdout)
    if len(raw) != len(queries):
        raise RuntimeError(f"{SCRIPT.name} gave {len(raw)} verdicts for {len(queries)} queries")
    return [LezerVerdict(bool(v["accepted"]), v["offset"], v["kind"]) for v in raw]


def lezer_verdicts(queries: list[str]) -> list[bool]:
    """True for each query lezer-logql parses without an error node (syntax only)."""
    return [v.accepted for v in lezer_results(queries)]


@pytest.fixture(name="lezer_verdicts", scope="session")
def lezer_verdicts_fixture() -> Callable[[list[str]], list[bool]]:
    """The ``lezer_verdicts`` function as a fixture, skipping (or failing under
    CI=true) at setup when the oracle is unavailable. Use it from any test module with
    ``from tests.logql_oracle import lezer_verdicts_fixture  # noqa: F401``."""
    node, why = _prepare()
    if node is None:
        _unavailable(why)
    return lezer_verdicts
