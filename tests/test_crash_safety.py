"""``generate`` killed with SIGKILL at every write step, and run concurrently.

The writer announces each numbered step on stderr and pauses there when
``PALADIN_OBS_PAUSE_AT_STEP`` says so; the test then kills it with SIGKILL,
checks that every file holds its old or its new bytes (never a partial file,
never a file deleted that should stay), and that a rerun converges.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SERVICES_BEFORE = [f"s{i:02d}" for i in range(12)]
SERVICES_AFTER = [f"s{i:02d}" for i in range(2, 14)]


def spec(services: list[str], threshold: float) -> str:
    lines = ["version: 1", "id: fleet", "defaults: {runbook_url: 'https://rb.test/{alert}'}",
             "environments:", "  prod: {labels: {env: prod}}", "  dev: {labels: {env: dev}}", "services:"]
    for name in services:
        lines += [
            f"  {name}:",
            f"    selector: {{job: {name}}}",
            "    metrics:",
            "      http_requests_total: {type: counter, labels: [code]}",
            "    signals:",
            "      requests: http_requests_total",
            "      errors: {metric: http_requests_total, match: {code: '=~5..'}}",
            "    alerts:",
            f"      {name.upper()}Errors: {{template: error_ratio, threshold: {threshold}, severity: critical}}",
        ]
    return "\n".join(lines) + "\n"


def start(cwd: Path, *args: str, pause: int | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    env.pop("PALADIN_OBS_DEBUG", None)
    env.pop("PALADIN_OBS_PAUSE_AT_STEP", None)
    if pause is not None:
        env["PALADIN_OBS_PAUSE_AT_STEP"] = str(pause)
    return subprocess.Popen([sys.executable, "-m", "paladin_obs", "generate", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def generate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = start(cwd, *args)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_paused(proc: subprocess.Popen[str]) -> bool:
    """True once the writer is paused at its step; False if it finished first."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("paladin-obs: paused before step"):
            return True
    proc.wait(timeout=120)
    return False


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "paladin-obs.yaml"}


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The tree before (old spec) and after (new spec) as generate leaves it."""
    base = tmp_path_factory.mktemp("expected")
    (base / "paladin-obs.yaml").write_text(spec(SERVICES_BEFORE, 0.05))
    (base / "rules" / "hand.yaml").parent.mkdir()
    (base / "rules" / "hand.yaml").write_text("groups: []\n")
    assert generate(base).returncode == 0
    old = snapshot(base)
    (base / "paladin-obs.yaml").write_text(spec(SERVICES_AFTER, 0.07))
    assert generate(base).returncode == 0
    new = snapshot(base)
    assert len(old) >= 21 and len(new) >= 21  # >= 20 generated files plus the hand-written one
    return old, new


def lay_out(root: Path, files: dict[str, bytes], services: list[str], threshold: float) -> None:
    root.mkdir()
    (root / "paladin-obs.yaml").write_text(spec(services, threshold))
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)


def test_sigkill_at_every_step_leaves_old_or_new_and_a_rerun_converges(
    tmp_path: Path, trees: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    old, new = trees
    step, killed = 1, 0
    while True:
        root = tmp_path / f"step{step}"
        lay_out(root, old, SERVICES_AFTER, 0.07)
        proc = start(root, pause=step)
        if not wait_paused(proc):
            assert proc.returncode == 0
            assert snapshot(root) == new
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        killed += 1
        now = snapshot(root)
        for rel in old.keys() | new.keys():
            allowed = {old.get(rel), new.get(rel)}
            assert now.get(rel) in allowed, f"step {step}: {rel} is neither old nor new"
        extra = [rel for rel in now if rel not in old and rel not in new]
        assert all(".paladin-obs-" in rel or rel == ".paladin-obs.lock" for rel in extra), extra
        assert now["rules/hand.yaml"] == b"groups: []\n"
        rerun = generate(root)
        assert rerun.returncode == 0, rerun.stderr
        assert snapshot(root) == new, f"step {step}: a rerun did not converge"
        step += 3 if step > 3 else 1
    assert killed >= 20  # the writer really was stopped at many points


def test_a_second_generate_waits_then_gives_up_with_a_clear_message(
    tmp_path: Path, trees: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    old, new = trees
    root = tmp_path / "tree"
    lay_out(root, old, SERVICES_AFTER, 0.07)
    holder = start(root, pause=3)
    assert wait_paused(holder)
    started = time.monotonic()
    second = generate(root, "--lock-timeout", "0.5")
    assert time.monotonic() - started >= 0.5  # it waited before giving up
    assert second.returncode == 2
    assert f"another paladin-obs generate (pid {holder.pid}) is writing to this output directory" in second.stderr
    assert "Traceback" not in second.stderr
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    # The killed holder's lock is free at once: no waiting, no manual cleanup.
    third = generate(root, "--lock-timeout", "0")
    assert third.returncode == 0, third.stderr
    assert snapshot(root) == new


def test_concurrent_runs_end_consistent(tmp_path: Path, trees: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    old, new = trees
    root = tmp_path / "tree"
    lay_out(root, old, SERVICES_AFTER, 0.07)
    procs = [start(root, "--lock-timeout", "60") for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    assert snapshot(root) == new
    assert not (root / ".paladin-obs.lock").exists()
