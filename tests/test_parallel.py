"""Building environments in forked workers changes nothing but the time.

``parallel.run`` itself is tested with small functions (order, problems of
several items together, a crashing worker, what workers read); the whole
pipeline is compared run with one process and with several, on output and
on the problems it reports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paladin_obs import inputs, parallel
from paladin_obs.diagnostics import Diagnostic, InputError, Location

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "3")


def _square_or_fail(n: int) -> int:
    if n % 4 == 3:
        raise InputError([Diagnostic(Location("spec.yaml", n, 1), f"item {n} is bad")])
    return n * n


@pytest.mark.usefixtures("jobs")
def test_results_keep_the_items_order() -> None:
    assert parallel.run(list(range(10)), lambda n: n * n) == [n * n for n in range(10)]


@pytest.mark.usefixtures("jobs")
def test_work_is_shared_among_processes() -> None:
    pids = {pid for _, pid in parallel.run(list(range(6)), lambda n: (n, os.getpid()))}
    assert len(pids) == parallel.workers(6)
    if parallel.workers(6) > 1:
        assert os.getpid() in pids


@pytest.mark.usefixtures("jobs")
def test_a_worker_knows_it_is_one() -> None:
    # Work packs its results only where they cross a pipe (pipeline: files deflated).
    seen = parallel.run(list(range(6)), lambda n: (os.getpid(), parallel.in_worker()))
    assert not parallel.in_worker()
    assert all(flag == (pid != os.getpid()) for pid, flag in seen)
    if parallel.workers(6) > 1:
        assert any(flag for _, flag in seen)


@pytest.mark.usefixtures("jobs")
def test_every_items_problems_are_raised_together() -> None:
    with pytest.raises(InputError) as caught:
        parallel.run(list(range(12)), _square_or_fail)
    assert [d.message for d in caught.value.diagnostics] == ["item 3 is bad", "item 7 is bad", "item 11 is bad"]


@pytest.mark.usefixtures("jobs")
def test_a_crashing_worker_is_an_error_not_a_hang() -> None:
    def crash(n: int) -> int:
        if n == 1:
            raise ZeroDivisionError("boom")
        return n

    if parallel.workers(3) < 2:
        pytest.skip("one CPU: no worker to crash")
    with pytest.raises(RuntimeError, match="ZeroDivisionError: boom"):
        parallel.run([0, 1, 2], crash)


@pytest.mark.usefixtures("jobs")
def test_what_workers_read_reaches_the_recording(tmp_path: Path) -> None:
    def read(n: int) -> int:
        inputs.file_read(str(tmp_path / f"f{n}"), b"x")
        if n == 2:
            inputs.not_reusable("item 2 ran code")
        return n

    with inputs.recording() as reads:
        parallel.run([0, 1, 2], read)
    assert sorted(reads.files) == [str(tmp_path / f"f{n}") for n in range(3)]
    assert reads.not_reusable == "item 2 ran code"


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "1")
    assert {pid for pid in parallel.run([1, 2, 3], lambda _: os.getpid())} == {os.getpid()}


def _generate(cwd: Path, spec: Path, out: str, jobs: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, parallel.JOBS_ENV: jobs}
    return subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "--no-cache", "-f", str(spec), "-o", out],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("fleet")
    spec = work / "fleet.yaml"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks/fleet.py"), "--services", "3", "-o", str(spec)],
        check=True,
    )
    return spec


def test_same_bytes_with_one_process_and_with_several(fleet: Path) -> None:
    work = fleet.parent
    one = _generate(work, fleet, "one", "1")
    many = _generate(work, fleet, "many", "4")
    assert one.returncode == many.returncode == 0, one.stderr + many.stderr
    files = sorted(p.relative_to(work / "one") for p in (work / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(work / "many") for p in (work / "many").rglob("*") if p.is_file())
    for rel in files:
        assert (work / "one" / rel).read_bytes() == (work / "many" / rel).read_bytes(), rel
    assert one.stdout.replace("one", "X") == many.stdout.replace("many", "X")


def test_same_problems_with_one_process_and_with_several(tmp_path: Path) -> None:
    """Problems of both environments (an override of an unknown alert in each)
    and of the spec as a whole are all reported, whatever the split."""
    spec = (REPO / "paladin-obs.yaml").read_text(encoding="utf-8")
    broken = spec.replace(
        "  production:\n    labels: {env: production}\n",
        "  production:\n    labels: {env: production}\n    alerts:\n      PaladinHighErrorRat: {threshold: 0.2}\n",
    ).replace("PaladinHighLatency: {threshold: 4s}", "PaladinHighLatenc: {threshold: 4s}")
    assert broken.count("PaladinHighErrorRat:") == 1 and "PaladinHighLatenc:" in broken
    path = tmp_path / "paladin-obs.yaml"
    path.write_text(broken, encoding="utf-8")
    one = _generate(tmp_path, path, "one", "1")
    many = _generate(tmp_path, path, "many", "4")
    assert one.returncode == many.returncode == 2
    assert one.stderr == many.stderr
    assert "PaladinHighErrorRat" in one.stderr and "PaladinHighLatenc" in one.stderr
    assert not (tmp_path / "one").exists() and not (tmp_path / "many").exists()


@pytest.mark.usefixtures("jobs")
def test_no_process_to_be_had_means_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing fork (a pids limit) leaves no child behind and loses no item."""
    real_fork = os.fork
    calls = []

    def fork() -> int:
        calls.append(1)
        if len(calls) > 1:
            raise BlockingIOError("Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    before = len(os.listdir("/proc/self/fd"))
    assert parallel.run(list(range(9)), lambda n: n + 1) == [n + 1 for n in range(9)]
    assert len(os.listdir("/proc/self/fd")) == before
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_workers_without_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the OS has no sched_getaffinity (macOS), the CPU count decides."""
    monkeypatch.delenv(parallel.JOBS_ENV, raising=False)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert parallel.workers(64) == max(1, min(64, os.cpu_count() or 1))
