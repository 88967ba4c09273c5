"""Suppressions: a lint finding is silenced on purpose, with a reason, in one place.

Two ways to say it, both needing a reason (a suppression nobody can explain
later is a silent bug):

* in a rule file, a comment on the rule's first line, on the comment lines
  right above it, or at the end of any of its lines::

      # paladin-obs disable alerts/comparison: Watchdog fires always on purpose
      - alert: Watchdog

  ``# paladin-obs disable-file ID[, ID]: reason`` anywhere in the file covers
  every rule of the file;
* in a spec, per alert (``suppress: {alerts/for: reason}``); it applies to the
  rules generated for that alert.

A suppression that names an unknown check, has no reason, or suppresses
nothing is itself reported (``lint/suppression``, ``lint/unused-suppression``),
as sqlfluff and ruff do for unused ``noqa``: a stale one hides the next real
finding of the same kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from paladin_obs.diagnostics import Diagnostic, Path, Severity
from paladin_obs.directives import Directive, parse_comments

__all__ = ["Directive", "apply", "parse_comments"]
from paladin_obs.suggest import did_you_mean

if TYPE_CHECKING:
    from paladin_obs.lint import FileRules

BAD_ID = "lint/suppression"
BAD_SEVERITY: Severity = "error"
UNUSED_ID = "lint/unused-suppression"
UNUSED_SEVERITY: Severity = "warning"

_CHECK_ID = re.compile(r"^[a-z][a-z0-9]*/[a-z0-9][a-z0-9_-]*$")


def apply(
    files: Sequence[FileRules], found: Iterable[Diagnostic], ran: set[str], known: AbstractSet[str]
) -> list[Diagnostic]:
    """``found`` minus what the files' directives suppress, plus the
    directives' own problems. ``ran`` are the checks that ran (a suppression
    of one that did not is not called unused); ``known`` every check id."""
    by_file: dict[str, list[tuple[Directive, Path | None]]] = {}
    out: list[Diagnostic] = []
    for f in files:
        resolved = by_file.setdefault(f.file, [])
        starts = _rule_starts(f)
        for d in f.directives:
            problem = _problem(d, known)
            if problem:
                out.append(_finding(d, f.file, problem, BAD_ID, BAD_SEVERITY))
                continue
            scope = None if d.file_wide else (d.rule_path or _rule_at(d, starts))
            if not d.file_wide and scope is None:
                out.append(
                    _finding(
                        d,
                        f.file,
                        "suppression is not on or above a rule",
                        UNUSED_ID,
                        UNUSED_SEVERITY,
                    )
                )
                continue
            resolved.append((d, scope))
    used: set[int] = set()
    for finding in found:
        hit = _covering(by_file.get(finding.source, []), finding)
        if hit is None:
            out.append(finding)
        else:
            used.add(id(hit))
    for entries in by_file.values():
        for d, _ in entries:
            if id(d) in used:
                continue
            idle = [c for c in d.checks if c in ran]
            if idle and len(idle) == len(d.checks):
                out.append(
                    _finding(
                        d,
                        "",
                        f"suppression of {', '.join(idle)} suppresses nothing; remove it",
                        UNUSED_ID,
                        UNUSED_SEVERITY,
                    )
                )
    return out


def _covering(
    entries: list[tuple[Directive, Path | None]], finding: Diagnostic
) -> Directive | None:
    for d, scope in entries:
        if finding.check not in d.checks:
            continue
        if scope is None or finding.path[: len(scope)] == scope:
            return d
    return None


def _problem(d: Directive, known: AbstractSet[str]) -> str:
    if not d.checks:
        return "suppression names no check: '# paladin-obs disable CHECK-ID: reason'"
    for check in d.checks:
        if not _CHECK_ID.match(check) or check not in known:
            return f"suppression of unknown check {check!r}" + did_you_mean(check, known)
    if not d.reason:
        return (
            f"suppression of {', '.join(d.checks)} has no reason; say why after a colon "
            "('# paladin-obs disable CHECK-ID: why this is fine')"
        )
    return ""


def _finding(d: Directive, source: str, message: str, check: str, severity: Severity) -> Diagnostic:
    return Diagnostic(d.location, message, (), check, severity, source=source)


def _rule_starts(f: FileRules) -> list[tuple[int, Path | None]]:
    """Each rule's first line, and each group's (``None``): a rule ends where
    the next rule or group starts."""
    starts: list[tuple[int, Path | None]] = [
        (f.locate(r.path, False).line, r.path) for r in f.rules
    ]
    starts += [(f.locate(g.path, False).line, None) for g in f.groups]
    return sorted(starts, key=lambda x: (x[0], x[1] is not None))


def _rule_at(d: Directive, starts: list[tuple[int, Path | None]]) -> Path | None:
    """The rule a comment directive belongs to: for a comment alone on its
    line, the rule starting on the next line of code; else the rule whose lines
    hold it (not a group's header, not past the last rule of its group)."""
    if d.next_code:
        return next((path for line, path in starts if line == d.next_code and path), None)
    found: Path | None = None
    for line, path in starts:
        if line <= d.line:
            found = path
    return found
