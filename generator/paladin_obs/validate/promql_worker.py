"""The one door to promql-parser: process-global setup, a deep stack, no panics.

promql-parser is a Rust extension with three hazards for a long-lived Python
process: its function table is process-global (and lacks a 2.x function), it
recurses without limit, so deep input can overflow a normal thread's stack
and kill the process, and it reports some bad input by panicking, which pyo3
raises as a BaseException. Everything that calls it goes through ``parse``
on ``WORKER`` so each hazard is handled once, here.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import promql_parser as pp

__all__ = ["WORKER", "parse"]

T = TypeVar("T")

_STACK_SIZE = 64 * 1024 * 1024


def _register_holt_winters() -> None:
    """promql-parser dropped holt_winters (3.0); 2.x targets still accept it.

    Registration is process-global, so for 3.x targets the function table
    rejects the name instead.
    """
    hw = pp.Function(
        "holt_winters",
        [pp.ValueType.Matrix, pp.ValueType.Scalar, pp.ValueType.Scalar],
        pp.ValueType.Vector,
    )
    with contextlib.suppress(ValueError):  # already registered, or built in again
        pp.register_extra_functions([hw])


_register_holt_winters()


def parse(source: str) -> tuple[pp.Expr | None, str | None]:
    """promql-parser's AST, or its complaint as a parse error message.

    Rust panics surface as pyo3's PanicException, a BaseException: one escaping
    here would take down the caller (and used to kill the worker's caller
    through the re-raise), so everything but an interrupt or exit becomes a
    parse error. Known panics are avoided beforehand (see ``promql_prepare``).
    """
    try:
        return pp.parse(source), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:  # ValueError, OverflowError, PanicException
        return None, f"parse error: {err}"


class _BigStackWorker:
    """One long-lived daemon thread with a large stack, started on first use.

    A thread per call would cost more than the parse. The hand-off is a bare
    queue plus a lock per call: about half the cost of a ThreadPoolExecutor
    future, which matters at ~50 us per parse.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job] | None = None
        self._thread: threading.Thread | None = None

    def run(self, fn: Callable[[], T]) -> T:
        if threading.current_thread() is self._thread:
            return fn()
        jobs = self._jobs or self._start()
        done = threading.Lock()
        done.acquire()
        box: list[object] = []
        jobs.put((fn, box, done))
        done.acquire()
        if isinstance(box[0], _Failure):
            raise box[0].error
        return box[0]  # type: ignore[return-value]  # fn's result, stored untyped

    def _start(self) -> queue.SimpleQueue[_Job]:
        with self._lock:
            if self._jobs is None:
                jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
                previous = threading.stack_size(_STACK_SIZE)
                try:
                    thread = threading.Thread(
                        target=_serve, args=(jobs,), name="promql-parser", daemon=True
                    )
                    thread.start()
                finally:
                    threading.stack_size(previous)
                self._thread, self._jobs = thread, jobs
            return self._jobs


@dataclass(frozen=True)
class _Failure:
    error: BaseException


_Job = tuple[Callable[[], object], list[object], threading.Lock]


def _serve(jobs: queue.SimpleQueue[_Job]) -> None:
    while True:
        fn, box, done = jobs.get()
        try:
            box.append(fn())
        except BaseException as error:  # handed back to the caller, who re-raises
            box.append(_Failure(error))
        finally:
            done.release()


#: Shared by every caller: one thread, started on the first parse.
WORKER = _BigStackWorker()


def _after_fork_in_child() -> None:
    """A forked process (``parallel``) has no worker thread, whatever the parent
    had: start afresh, or the first parse would wait for a thread that is gone."""
    WORKER.__init__()  # type: ignore[misc]  # reset in place: callers hold this object


os.register_at_fork(after_in_child=_after_fork_in_child)
