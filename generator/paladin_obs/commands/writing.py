"""Writing a planned tree under the output lock: shared by every command that writes.

The lock, the plan, the refusal of blocked changes and the reports of a lock
held too long or a file system that fails are the same whoever writes, so
``generate`` and ``export openslo`` cannot drift apart on what "safe" means.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from paladin_obs import write
from paladin_obs.diagnostics import InputError
from paladin_obs.lock import LockTimeout, tree_lock
from paladin_obs.report import Report
from paladin_obs.write import Change, OutFile, Plan


def write_tree(
    root: Path,
    out: str,
    files: dict[str, OutFile],
    identity: str,
    scopes: tuple[str, ...],
    *,
    command: str,
    lock_timeout: float,
    refuse: Callable[[list[Change]], Report],
    env: str | None = None,
    force: bool = False,
) -> Plan | Report:
    """The applied plan, or the report of why nothing was written (``out`` is
    the directory as the user named it, for messages)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tree_lock(root, lock_timeout):
            plan = write.plan(root, files, identity, scopes, env)
            blocked = plan.blocked(force)
            if blocked:
                return refuse(blocked)
            write.apply(root, plan, force=force)
    except LockTimeout as exc:
        holder = f" ({exc.holder})" if exc.holder else ""
        return Report(
            summary=f"{out}: another paladin-obs {command}{holder} is writing to this output "
            f"directory; gave up waiting after {lock_timeout:g}s. Nothing was written; run it "
            f"again when that one has finished (lock file {exc.path}).",
            exit_code=2,
        )
    except (InputError, OSError) as exc:
        return failed(exc, out)
    return plan


def plan_only(
    root: Path,
    out: str,
    files: dict[str, OutFile],
    identity: str,
    scopes: tuple[str, ...],
    env: str | None,
) -> Plan | Report:
    """The plan without writing (a dry run): no lock, the same failures."""
    try:
        return write.plan(root, files, identity, scopes, env)
    except (InputError, OSError) as exc:
        return failed(exc, out)


def failed(exc: InputError | OSError, out: str) -> Report:
    """A tree that cannot be planned or written: located problems, or the file system's reason."""
    if isinstance(exc, InputError):
        return Report(problems=tuple(exc.diagnostics), summary="nothing was written.", exit_code=2)
    return Report(
        summary=f"{exc.filename or out}: cannot write: {exc.strerror}; nothing was written.",
        exit_code=2,
    )
