"""Suppression directives as data: what a rule file's comments or a spec's
``suppress:`` say, before lint applies them (``lint/suppress.py``).

Kept apart from lint so targets (which attach a spec's suppressions to the
rules they generate) and validators can carry them without importing lint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paladin_obs.diagnostics import Location, Path

_DIRECTIVE = re.compile(r"(?:^|\s)#\s*paladin-obs\s+(disable-file|disable)\b(.*)$")


@dataclass(frozen=True)
class Directive:
    """One suppression: the checks it silences, why, and what it covers.

    ``rule_path`` (a spec's suppression, or a comment resolved to its rule)
    covers that rule; ``file_wide`` covers the whole file; a comment not yet
    resolved has ``line``.
    """

    checks: tuple[str, ...]
    reason: str
    location: Location
    rule_path: Path | None = None
    file_wide: bool = False
    line: int = 0
    #: For a comment alone on its line: the next line that is not blank or a
    #: comment, where the rule it belongs to must start.
    next_code: int = 0


def parse_comments(text: str, file: str) -> list[Directive]:
    """The ``# paladin-obs disable`` comments of a rule file's text.

    A ``#`` inside a quoted scalar is rare in rule files and would need a YAML
    scanner to tell apart. One at the end of a line inside a block ``expr`` (a
    PromQL comment) is on that rule's lines and covers it; one alone on its
    line covers the rule that starts on the next line of code, wherever it is.
    """
    out: list[Directive] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if "paladin-obs" not in line:
            continue
        m = _DIRECTIVE.search(line)
        if m is None:
            continue
        ids, _, reason = m.group(2).partition(":")
        checks = tuple(x for x in re.split(r"[\s,]+", ids.strip()) if x)
        column = m.start() + (1 if line[m.start()].isspace() else 0) + 1
        out.append(
            Directive(
                checks,
                reason.strip(),
                Location(file, number, column),
                file_wide=m.group(1) == "disable-file",
                line=number,
                next_code=_next_code(lines, number) if not line[: m.start()].strip() else 0,
            )
        )
    return out


def _next_code(lines: list[str], number: int) -> int:
    """The next line of code after ``number``; -1 when none (end of file)."""
    for k in range(number, len(lines)):
        stripped = lines[k].strip()
        if stripped and not stripped.startswith("#"):
            return k + 1
    return -1
