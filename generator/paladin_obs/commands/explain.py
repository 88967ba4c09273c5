"""``paladin-obs explain [CHECK_ID]``: why a check exists and how to fix or suppress its finding.

The text is the check module's own docstring, so the explanation cannot drift
from the code that reports the finding.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.lint.registry import checks
from paladin_obs.report import Report
from paladin_obs.suggest import did_you_mean


def run(check_id: str | None) -> Report:
    known = checks()
    if check_id is None:
        width = max(len(i) for i in known)
        lines = [f"{c.id:<{width}}  {c.severity:<7}  {c.summary}" for c in known.values()]
        return Report(lines=(*lines, "", "paladin-obs explain CHECK_ID shows why and how to fix."))
    info = known.get(check_id)
    if info is None:
        return Report(
            problems=(
                Diagnostic(
                    Location("explain"),
                    f"unknown check {check_id!r}"
                    + did_you_mean(check_id, known)
                    + "; 'paladin-obs explain' lists them",
                ),
            ),
            exit_code=2,
        )
    head = f"{info.id} ({info.severity}; {info.applies_to}"
    head += ", needs the spec's metric types)" if info.needs_catalog else ")"
    suppress = (
        f"Suppress: '# paladin-obs disable {info.id}: reason' on the rule, or "
        f"'suppress: {{{info.id}: reason}}' on the spec's alert."
        if info.applies_to.startswith("rule files")
        else ""
    )
    body = [head, "", info.summary, "", info.doc]
    if suppress and "paladin-obs disable" not in info.doc:
        body += ["", suppress]
    return Report(lines=tuple(body))
