"""Run independent pieces of a build on every core, results in their order.

A spec's environments are built independently (targets, validation, lint,
serialisation) and only merged at the end, so each core can take a share.
Workers are forked: they start with everything already imported and
resolved, and send back plain data (pickled) through a pipe. Threads would
not help (the work is Python), and a process pool would import the package
again in every worker. The results are merged in the items' order, so the
output does not depend on which worker finished first.

What a worker read (``inputs``) is sent back too, so the build cache knows
every file the build depended on. ``PALADIN_OBS_JOBS=1`` runs everything in
this process.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, InputError

T = TypeVar("T")
R = TypeVar("R")

JOBS_ENV = "PALADIN_OBS_JOBS"

#: True in a forked worker only (set after the fork, never in this process).
_IN_WORKER = False


def in_worker() -> bool:
    """Whether this is a forked worker, whose results cross a pipe to the
    parent (work may then pack them as it goes, to hold less until the end)."""
    return _IN_WORKER


def workers(items: int) -> int:
    """How many processes share ``items`` pieces of work."""
    if not hasattr(os, "fork"):
        return 1
    text = os.environ.get(JOBS_ENV, "")
    if text.isdigit() and int(text) > 0:
        jobs = int(text)
    elif hasattr(os, "sched_getaffinity"):
        jobs = len(os.sched_getaffinity(0))  # the CPUs this process may use
    else:
        jobs = os.cpu_count() or 1
    return max(1, min(items, jobs))


def run(items: Sequence[T], work: Callable[[T], R], *, processes: bool = True) -> list[R]:
    """``[work(item) for item in items]``, shared among forked workers.

    An item whose work raises InputError does not stop the others: every
    item's problems are raised together at the end, as one run reports all.
    """
    count = workers(len(items)) if processes else 1
    shares = [list(range(i, len(items), count)) for i in range(count)]
    children: list[tuple[int, int]] = []
    mine = list(shares[0])
    try:
        for share in shares[1:]:
            try:
                children.append(_fork(items, share, work))
            except OSError:  # no process to be had (a pids limit): do that share here
                mine.extend(share)
        results, problems = _share(items, sorted(mine), work)
        while children:
            pid, reader = children.pop(0)
            try:
                with os.fdopen(reader, "rb") as stream:
                    payload = stream.read()
            finally:
                os.waitpid(pid, 0)
            status, value, reads = _result(payload)
            if reads is not None:
                inputs.merge(reads)
            if status != "ok":
                raise RuntimeError(f"a build worker failed: {value}")
            done, found = value
            results.update(done)
            problems.extend(found)
    finally:
        for pid, reader in children:  # only when this process failed first
            os.close(reader)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if problems:
        raise InputError(problems)
    return [results[i] for i in range(len(items))]


def _share(
    items: Sequence[T], share: list[int], work: Callable[[T], R]
) -> tuple[dict[int, R], list[Diagnostic]]:
    results: dict[int, R] = {}
    problems: list[Diagnostic] = []
    for index in share:
        try:
            results[index] = work(items[index])
        except InputError as exc:
            problems.extend(exc.diagnostics)
    return results, problems


def _result(payload: bytes) -> tuple[str, Any, inputs.Reads | None]:
    try:
        loaded: tuple[str, Any, inputs.Reads | None] = pickle.loads(payload)
    except Exception:  # empty or cut short: the worker died (killed, out of memory)
        return "crash", "it exited without a whole result", None
    return loaded


def _fork(items: Sequence[T], share: list[int], work: Callable[[T], R]) -> tuple[int, int]:
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        raise
    if pid:
        os.close(writer)
        return pid, reader
    # The worker: never returns, never runs the parent's cleanup or flushes its buffers.
    global _IN_WORKER
    _IN_WORKER = True
    os.close(reader)
    code = 0
    try:
        with inputs.recording() as reads:
            done = _share(items, share, work)
        payload = pickle.dumps(("ok", done, reads), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # reported by the parent, which exits 70
        payload = pickle.dumps(("crash", f"{type(exc).__name__}: {exc}", None))
        code = 1
    try:
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(code)
