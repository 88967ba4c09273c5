"""rules/duplicate: two rules with the same name and labels, in any files checked together.

promtool only notices this within one file and only as a warning; loaded into
one Prometheus, such rules produce clashing series or double pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Location, Severity
from paladin_obs.lint import FileRules

ID = "rules/duplicate"
#: Loaded together, duplicates produce clashing series or double pages.
SEVERITY: Severity = "error"


def check(files: Sequence[FileRules]) -> list[Diagnostic]:
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], Location] = {}
    out = []
    for f in files:
        for rule in f.rules:
            key = (rule.name, tuple(sorted(rule.labels.items())))
            where = f.locate(rule.path, False)
            if key in seen:
                first = seen[key]
                kind = "alert" if rule.is_alert else "record"
                out.append(
                    Diagnostic(
                        where,
                        f"{kind} {rule.name!r} with the same labels is already defined at {first}",
                        rule.path,
                    )
                )
            else:
                seen[key] = where
    return out
