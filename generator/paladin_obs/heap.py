"""The cyclic garbage collector, set for a command that runs once and exits.

A command loads a document or builds a model once, then reads it until it
ends: hundreds of thousands to millions of objects that never become
garbage. CPython's collector walks every one of them on each full
collection, and starts a young one every 700 allocations. Measured with
``gc.callbacks``: a 500-service fleet's ``generate`` spent ~3.7 CPU-seconds
of ~30 per worker in the collector (full collections 3 of it), ``validate``
of a 10,000-rule file 0.1-0.23 s per process.

So the console script (``cli.run``), and only it, asks for the settings
below: what exists when it starts (modules, classes) and what a stage has
just built is frozen, left out of every later collection (refcounting still
frees it), and young collections run less often. A library caller's
process is not ours to tune: there ``settled`` does nothing. Garbage in
cycles is still collected, only later; the peak memory of ``validate`` and
of a fleet's ``generate`` did not grow (see the README's benchmarks).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["THRESHOLDS", "building", "command_process", "owned", "settled"]

#: Young collections every 10,000 allocations instead of 700 (older ones as
#: CPython's defaults scale them): most of a run's objects live to its end
#: and the rest die by refcount, so frequent young collections walk the
#: same survivors again and again.
THRESHOLDS = (10_000, 10, 10)

_OWNED = False


def command_process() -> None:
    """Called once, by the console script, before it runs a command."""
    global _OWNED
    _OWNED = True
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def settled() -> None:
    """What exists now lives until the command ends (a loaded document, a
    model built): keep the collector off it from here on. Called where a
    stage has built such a thing; a no-op outside the console script."""
    if _OWNED:
        gc.freeze()


@contextlib.contextmanager
def building() -> Iterator[None]:
    """Around a loader building a document: the collector is paused (every
    node made lives as long as the document, so a collection while reading
    only walks it again; it made big files three times slower to load), and
    what was built is ``settled`` once the block ends without an exception."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    settled()


def owned() -> bool:
    """Whether this process's collector is set by ``command_process``."""
    return _OWNED
