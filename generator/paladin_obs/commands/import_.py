"""``paladin-obs import sloth|openslo``: another tool's SLOs as our spec.

The spec is checked against our schema before anything is written, then
printed (no ``-o``) or written atomically: a reader never sees half a spec,
and an existing file is replaced only with ``--force`` (a spec is edited by
hand after an import; losing those edits must be asked for).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from paladin_obs.commands.build import input_report
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.importers.spec_text import render_spec
from paladin_obs.report import Report

KINDS = ("sloth", "openslo")
#: Errors of file systems that have no hard links (FAT, some network mounts).
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


def run_import(kind: str, file: str, out: str | None, force: bool, **sloth_options: Any) -> Report:
    """Convert ``file`` (a ``kind`` source) and print or write the spec.

    Each importer checks the spec it produces against our schema itself, so
    that a problem is reported at the source line it came from.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    try:
        data, flags = _convert(kind, file, sloth_options)
    except InputError as exc:
        return input_report(exc)
    header = [f"Imported by paladin-obs import {kind} from {file}."]
    if flags:
        header.append("Options: " + " ".join(flags))
    text = render_spec(data, header)
    if out is None:
        return Report(lines=(text.rstrip("\n"),))
    return _write(Path(out), text, force, _count(data))


def _convert(kind: str, file: str, options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    if kind == "sloth":
        from paladin_obs.importers.sloth import SlothOptions, load_sloth

        parsed = SlothOptions(**options)
        return load_sloth(file, parsed), parsed.as_flags()
    if options:
        raise ValueError(f"import {kind} takes no options")
    from paladin_obs.importers.openslo import load_openslo

    return load_openslo(file), []


def _count(data: dict[str, Any]) -> str:
    services = data.get("services") or {}
    slos = sum(len(s.get("slos") or {}) for s in services.values() if isinstance(s, dict))
    return f"{slos} SLO(s) of {len(services)} service(s)"


def _write(target: Path, text: str, force: bool, what: str) -> Report:
    """Stage beside the target, then link (refusing an existing file) or replace."""
    if target.is_dir():
        return _refused(target, "is a directory; give a file name for the spec")
    if target.exists() and not force:
        return _refused(target, "already exists; use --force to replace it")
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        return _refused(target, f"cannot write: {exc.strerror}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        _place(tmp, target, force)
    except FileExistsError:
        return _refused(target, "already exists; use --force to replace it")
    except OSError as exc:
        return _refused(target, f"cannot write: {exc.strerror}")
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return Report(summary=f"wrote {target}: {what}.")


def _place(tmp: str, target: Path, force: bool) -> None:
    """Rename into place; without ``force`` a hard link, which fails if the
    file appeared since we looked (no window to clobber it in)."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if target.exists():  # a file system without hard links: check, then rename
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refused(target: Path, why: str) -> Report:
    return Report(
        problems=(Diagnostic(Location(str(target)), why),),
        summary="nothing was written.",
        exit_code=2,
    )
