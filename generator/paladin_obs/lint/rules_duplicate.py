"""rules/duplicate: two rules with the same name, labels and expression, in any files checked together.

Why: promtool only notices this within one file and only as a warning; loaded
into one Prometheus, such records write every series twice (clashing samples)
and such alerts page twice. A hand-written file that still holds an alert the
spec now generates is the usual way it happens: lint them together
(``paladin-obs lint paladin-obs.yaml rules/hand-written.yaml``).

One name over several expressions is a common, sound pattern and is not
reported: Sloth's SLO alerts (one per ``sloth_id``), one alert per job, the
kubernetes-mixin's ``code_verb:apiserver_request_total:increase1h`` once per
status class. Their series differ by the labels the expressions keep.

Bad:  the same ``- alert: CheckoutDown`` (same labels and expression) in two files.
Good: one definition; delete the hand-written copy.

Fix: remove one of the two. Suppress (two Prometheus servers load the files
apart): ``# paladin-obs disable rules/duplicate: reason``.
"""

from __future__ import annotations

import re

from paladin_obs.diagnostics import Diagnostic, Path, Severity
from paladin_obs.lint import FileRules, LintContext

ID = "rules/duplicate"
#: Loaded together, duplicates produce clashing series or double pages.
SEVERITY: Severity = "error"
#: Also run between hand-written files and a spec's generated ones (``lint``).
ACROSS_FILES = True
_SPACE = re.compile(r"\s+")


def check(ctx: LintContext) -> list[Diagnostic]:
    # The first of each rule is located only when a duplicate needs it: locating
    # every rule of a 10,000-rule file up front was most of this check's time.
    seen: dict[tuple[str, tuple[tuple[str, str], ...], str], tuple[FileRules, Path]] = {}
    out = []
    for f in ctx.files:
        for rule in f.rules:
            expr = _SPACE.sub(" ", rule.expr.strip())
            key = (rule.name, tuple(sorted(rule.labels.items())), expr)
            if key in seen:
                first_file, first_path = seen[key]
                first = first_file.locate(first_path, False)
                what = "alert" if rule.is_alert else "record"
                same = "labels and expression"
                out.append(
                    f.at(
                        rule.path,
                        f"{what} {rule.name!r} with the same {same} is already defined at {first}",
                    )
                )
            else:
                seen[key] = (f, rule.path)
    return out
