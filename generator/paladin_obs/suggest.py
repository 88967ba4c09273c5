""""Did you mean" for every unknown name, decided one way everywhere.

A typo in a metric, template, parameter or alert name is the most common spec
mistake; naming the closest known name turns the error into its fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name``, when one is close enough to be the intended one."""
    candidates = sorted(set(known))
    by_case = {c.lower(): c for c in candidates}
    if name.lower() in by_case and by_case[name.lower()] != name:
        return by_case[name.lower()]
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or an empty string: appended to an unknown-name message."""
    match = closest(name, known)
    return f"; did you mean {match!r}?" if match else ""
