"""rules/duplicate: two rules with the same name and labels, in any files checked together.

promtool only notices this within one file and only as a warning; loaded into
one Prometheus, such records produce clashing series and such alerts double
pages. Alerts count as duplicates only with the same expression too: one alert
name over several expressions whose series differ (Sloth's SLO alerts, one per
``sloth_id``, or one name per job) is a common, sound pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Location, Severity
from paladin_obs.lint import FileRules

ID = "rules/duplicate"
#: Loaded together, duplicates produce clashing series or double pages.
SEVERITY: Severity = "error"
_SPACE = re.compile(r"\s+")


def check(files: Sequence[FileRules]) -> list[Diagnostic]:
    seen: dict[tuple[str, tuple[tuple[str, str], ...], str], Location] = {}
    out = []
    for f in files:
        for rule in f.rules:
            expr = _SPACE.sub(" ", rule.expr.strip()) if rule.is_alert else ""
            key = (rule.name, tuple(sorted(rule.labels.items())), expr)
            where = f.locate(rule.path, False)
            if key in seen:
                first = seen[key]
                what = "alert" if rule.is_alert else "record"
                same = "labels and expression" if rule.is_alert else "labels"
                out.append(
                    Diagnostic(
                        where,
                        f"{what} {rule.name!r} with the same {same} is already defined at {first}",
                        rule.path,
                    )
                )
            else:
                seen[key] = where
    return out
