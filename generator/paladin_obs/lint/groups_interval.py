"""groups/interval: a rule group evaluated less often than every 5 minutes.

Why: an instant query (a dashboard, another rule, an alert) finds a series'
latest sample only if it is at most 5m old (Prometheus's lookback delta). A
recording rule written every 10m is therefore invisible for half of the
time: graphs of it have gaps, and alerts on it resolve and fire again (flap)
with every evaluation. Alerts evaluated that rarely also notice problems late
and hold ``for`` durations in coarse steps.

Bad:  interval: 15m
Good: interval: 1m   (or leave it out to use the global evaluation_interval)

Fix: evaluate the group at 5m or less; for expensive queries over long ranges,
record a cheap intermediate series at a short interval and aggregate that.
Suppress (when it is intended): a group is no rule, so per-rule comments do
not cover it; use `# paladin-obs disable-file groups/interval: reason`.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.durations import parse_duration
from paladin_obs.lint import LintContext

ID = "groups/interval"
#: The rules still work, with gaps and flapping: warn.
SEVERITY: Severity = "warning"
#: Prometheus's default lookback delta (``--query.lookback-delta``), in milliseconds.
_LOOKBACK_MILLIS = 5 * 60 * 1000


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f in ctx.files:
        for group in f.groups:
            if group.interval is None:
                continue
            try:
                interval = parse_duration(group.interval)
            except ValueError:
                continue  # already a validity error
            if interval.millis <= _LOOKBACK_MILLIS:
                continue
            out.append(
                f.at(
                    (*group.path, "interval"),
                    f"group {group.name!r} is evaluated every {interval}, less often than the 5m "
                    "lookback of queries: its recorded series have gaps and alerts on them flap; "
                    "use an interval of 5m or less",
                )
            )
    return out
