"""alerts/severity: an alert without a severity label of critical, warning or info.

Why: Alertmanager routes on ``severity`` (page for critical, ticket or chat
for warning, nothing for info), and inhibition rules mute warnings while the
matching critical fires. An alert without the label, or with a value the
routes do not know (``page``, ``high``, ``Critical``), falls through to the
default route: it pages nobody, or everybody. mixtool's
``alert-severity-rule`` (the monitoring mixins' guideline) allows exactly
these three values.

A templated severity (``{{ if gt $value 0.5 }}critical{{ else }}warning{{ end }}``)
is computed per alert and not flagged (mixtool would flag it), and neither is
``none``: kube-prometheus gives it to ``Watchdog`` and ``InfoInhibitor``, alerts
that exist to be routed nowhere (a dead man's switch, an inhibition source).

Bad:  labels: {severity: page}
Good: labels: {severity: critical}

Fix: set ``severity`` to critical, warning or info; keep other routing
information (team, ticket queue) in labels of their own. Suppress (when it is
intended): `# paladin-obs disable alerts/severity: reason` on the rule, or
`suppress: {alerts/severity: reason}` on the spec's alert.
"""

from __future__ import annotations

import re

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext

ID = "alerts/severity"
#: Misrouted pages are bad, but routes may be built otherwise: warn.
SEVERITY: Severity = "warning"
#: Findings on a rule read that rule alone (``lint.per_rule``).
PER_RULE = True
_ALLOWED = ("critical", "warning", "info")
#: Routed nowhere on purpose (kube-prometheus's Watchdog and InfoInhibitor).
_NOWHERE = "none"
_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule in ctx.alert_rules():
        severity = rule.labels.get("severity")
        if severity is None:
            out.append(
                f.at(
                    rule.path,
                    f"alert {rule.name!r} has no 'severity' label: Alertmanager routes on it; "
                    "add severity: critical, warning or info",
                )
            )
        elif severity not in (*_ALLOWED, _NOWHERE) and not _TEMPLATE.search(severity):
            hint = (
                f" (write {severity.strip().lower()!r})"
                if severity.strip().lower() in _ALLOWED
                else ""
            )
            out.append(
                f.at(
                    (*rule.path, "labels", "severity"),
                    f"alert {rule.name!r} has severity {severity!r}: use critical, warning or "
                    f"info{hint}, the values Alertmanager routes are written for",
                )
            )
    return out
