"""alerts/value-in-label: ``$value`` in an alert *label* makes a new alert at every evaluation.

Why: an alert's identity is its label set. A label that prints the value
(``{{ $value }}``, ``{{ .Value }}``, ``{{ $value | humanize }}``...) changes
whenever the value does, so each evaluation ends the old alert (resolved) and
starts a new one: ``for`` restarts and never completes, notifications flap,
silences by label stop matching. Prometheus's own docs warn against it.

A ``$value`` only in the condition of ``if``/``with`` (``{{ if gt $value 90.0
}}critical{{ else }}warning{{ end }}``) is not flagged: the label takes a few
fixed values (it re-fires only when crossing the bound, by design).

Bad:  ``labels: {current: "{{ $value }}"}``
Good: ``annotations: {description: "Current value: {{ $value }}."}``

Fix: move it to an annotation. Suppress (when it is intended): ``#
paladin-obs disable alerts/value-in-label: reason`` on the rule, or
``suppress: {alerts/value-in-label: reason}`` on the spec's alert.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.labels import template_refs

ID = "alerts/value-in-label"
#: The alert can never stay firing for its `for`: it is broken, not noisy.
SEVERITY: Severity = "error"
#: Findings on a rule read that rule alone (``lint.per_rule``).
PER_RULE = True


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule in ctx.alert_rules():
        for key, text in rule.labels.items():
            refs = template_refs(text)
            used = [r for r in refs or () if r.kind == "value" and not r.guarded]
            if used:
                out.append(
                    f.at(
                        (*rule.path, "labels", key),
                        f"alert {rule.name!r}: label {key!r} uses {used[0].text}: every new value makes a "
                        "new alert, so it resolves and re-fires and `for` restarts; move it to an annotation",
                    )
                )
    return out
