"""A line for findings that have none of their own but carry a diff.

Drift findings of ``check`` (a stale or hand-edited file) are about a whole
file, so their location has no line; their diff says where the file on disk
first differs from what the spec generates. Machine formats locate them
there, so a pull request annotation lands on the changed line rather than on
the file as a whole. Text output shows the diff itself and is left as is.

The diff compares the file without its ownership record (a line whose digest
changes every time, so it would only add noise), so its line numbers are
those of the file minus that line: they are mapped back to the file on disk,
which is what an annotation points into.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from pathlib import Path

from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.ownership import without_record

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def first_changed_line(diff: str) -> int | None:
    """The line of the old file where the first hunk of ``diff`` changes it.

    An insertion is placed on the line it follows (line 1 at the very start).
    None when ``diff`` is not a unified diff with a hunk, or when there is no
    old file (``--- /dev/null``: a missing file has no line to point at).
    """
    lines = iter(diff.splitlines())
    for line in lines:
        if line == "--- /dev/null":
            return None
        match = _HUNK.match(line)
        if match:
            break
    else:
        return None
    old = int(match.group(1)) if match.group(2) != "0" else int(match.group(1)) + 1
    for line in lines:
        if line.startswith(" "):
            old += 1
        elif line.startswith("-"):
            return old
        elif line.startswith("+"):
            return max(old - 1, 1)
        elif line.startswith("@@"):
            break
    return None


def on_disk(text: str, line: int) -> int:
    """Line ``line`` of ``text`` without its ownership record, as a line of ``text``."""
    stripped = without_record(text)
    if stripped == text:
        return line
    disk, old = text.splitlines(), stripped.splitlines()
    same = next(
        (i for i, (a, b) in enumerate(zip(disk, old, strict=False)) if a != b),
        min(len(disk), len(old)),
    )
    return line + len(disk) - len(old) if line > same else line


def located(d: Diagnostic) -> Diagnostic:
    """``d``, with the line its diff points at when it has no line of its own."""
    if d.location.line > 0 or not d.detail:
        return d
    line = first_changed_line(d.detail)
    if line is None:
        return d
    # A file gone since the command looked keeps the diff's own numbering.
    with contextlib.suppress(OSError):
        line = on_disk(Path(d.location.file).read_text(encoding="utf-8", errors="replace"), line)
    return replace(d, location=Location(d.location.file, line))
