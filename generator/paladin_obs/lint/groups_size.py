"""groups/size: a rule group with more than 20 rules.

Why: Prometheus evaluates a group's rules one after another, in one goroutine,
at the group's interval: one slow query delays every rule after it, and when
the whole group takes longer than its interval, evaluations are skipped
(``prometheus_rule_group_iterations_missed_total``). Groups of unrelated rules
are also hard to review and to own. Twenty is mixtool's (monitoring mixins')
convention for an upper bound.

Bad:  one group "service" with 35 alerts and records
Good: groups "service-records", "service-alerts", "service-slo", split by concern

Fix: split the group by concern (records apart from alerts, one group per
component or SLO). Suppress (when it is intended): a group is no rule, so
per-rule comments do not cover it; use `# paladin-obs disable-file groups/size: reason`.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext

ID = "groups/size"
#: A review and latency concern, not a broken rule: warn.
SEVERITY: Severity = "warning"
_MAX_RULES = 20


def check(ctx: LintContext) -> list[Diagnostic]:
    return [
        f.at(
            group.path,
            f"group {group.name!r} has {group.rules} rules (more than {_MAX_RULES}): its rules are "
            "evaluated one after another, so split it by concern",
        )
        for f in ctx.files
        for group in f.groups
        if group.rules > _MAX_RULES
    ]
