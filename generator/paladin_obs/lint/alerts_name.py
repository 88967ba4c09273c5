"""alerts/name: an alert name that is not CamelCase or is longer than 40 characters.

Why: alert names are what on-call people read first, in pages, Alertmanager
routes, silences and dashboards; one convention across teams and mixins
(``KubePodCrashLooping``, ``PrometheusRuleFailures``) makes them scannable and
greppable, and short names fit in notification titles and Slack previews.

Where the rules come from:

* CamelCase: mixtool's ``alert-name-camelcase`` lint (the monitoring mixins'
  guideline). Its regular expression ``^([A-Z]+[a-z0-9]+)+$`` also rejects a
  name ending in an acronym (``HighCPU``) or written in capitals only; that is
  an artifact of the expression rather than of the guideline, so here
  CamelCase means: starts with an uppercase letter, then letters and digits
  only (no ``_``, ``-``, ``.`` or spaces).
* At most 40 characters: this project's convention (issue #9), not checked by
  mixtool. Some public mixins exceed it (prometheus-mixin's
  ``PrometheusErrorSendingAlertsToSomeAlertmanagers`` has 47, several Cortex
  and Mimir alerts 42-49), which is why this is a warning.

Bad:  high_error_rate, checkout-down, HighErrorRateOnTheCheckoutServicePostgresPrimary
Good: CheckoutHighErrorRate, CheckoutPostgresPrimaryErrors

Fix: rename the alert (and update Alertmanager routes and silences that name
it). Suppress (when it is intended): `# paladin-obs disable alerts/name: reason`
on the rule, or `suppress: {alerts/name: reason}` on the spec's alert.
"""

from __future__ import annotations

import re

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext

ID = "alerts/name"
#: A convention, not a broken rule: warn.
SEVERITY: Severity = "warning"
#: Findings on a rule read that rule alone (``lint.per_rule``).
PER_RULE = True
_CAMEL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_MAX_LENGTH = 40


def _camel_case(name: str) -> str:
    """``name``'s words joined in CamelCase: the suggestion of a fix."""
    words = re.split(r"[^A-Za-z0-9]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule in ctx.alert_rules():
        if not _CAMEL_CASE.match(rule.name):
            hint = _camel_case(rule.name)
            fix = f" such as {hint!r}" if _CAMEL_CASE.match(hint) and hint != rule.name else ""
            out.append(
                f.at(
                    rule.path,
                    f"alert {rule.name!r} is not CamelCase: start with an uppercase letter and "
                    f"use letters and digits only (no '_', '-' or spaces); rename it{fix}",
                )
            )
        if len(rule.name) > _MAX_LENGTH:
            out.append(
                f.at(
                    rule.path,
                    f"alert {rule.name!r} is {len(rule.name)} characters long (at most "
                    f"{_MAX_LENGTH}): shorten it so it fits pages and notification titles",
                )
            )
    return out
