"""The groups of an RE2 regex, found by one scan that skips escapes and classes.

Two places read a regex's groups: the spec's regex format (its named groups are
the fields) and the removal of ``drop`` fields (only their groups may capture).
One scanner serves both, so they can never disagree about what a group is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """A group opener at ``start``; the group's pattern starts at ``body``."""

    start: int
    body: int
    #: ``(?P<name>`` and ``(?<name>``: the name; a plain ``(``: None.
    name: str | None
    #: A plain ``(`` captures too; ``(?:``, ``(?i)`` and friends do not.
    capturing: bool


def groups(regex: str) -> Iterator[Group]:
    i, in_class = 0, False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # A "]" right after "[" or "[^" is a literal, not the end.
            for opener in ("[^]", "[]"):
                if regex.startswith(opener, i):
                    i += len(opener)
                    break
            else:
                i += 1
            continue
        elif ch == "(":
            yield _group(regex, i)
        i += 1


def _group(regex: str, i: int) -> Group:
    for opener in ("(?P<", "(?<"):
        if regex.startswith(opener, i):
            end = regex.find(">", i)
            if end > i:
                return Group(i, end + 1, regex[i + len(opener) : end], True)
    if regex.startswith("(?", i):
        return Group(i, i + 1, None, False)
    return Group(i, i + 1, None, True)


def named_groups(regex: str) -> list[str]:
    return [g.name for g in groups(regex) if g.name is not None]


def capture_only(regex: str, names: set[str]) -> str:
    """``regex`` with only the named groups in ``names`` capturing (as plain
    ``(``) and every other capturing group made ``(?:``: the same matches."""
    out: list[str] = []
    last = 0
    for g in groups(regex):
        if not g.capturing:
            continue
        out.append(regex[last : g.start])
        out.append("(" if g.name in names else "(?:")
        last = g.body
    out.append(regex[last:])
    return "".join(out)
