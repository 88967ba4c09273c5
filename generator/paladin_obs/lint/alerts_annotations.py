"""alerts/annotations: an alert without a static one-sentence summary and a templated description.

Why: a page is read in a hurry. The ``summary`` is its title: static, so
notifications of one alert group together and read the same in every
channel, and one sentence. The ``description`` says which series fired and
how bad it is (``{{ $labels.instance }}``, ``{{ $value | humanize }}``): without
templating, on-call has to open Prometheus to learn what broke.

What is checked, and where each rule comes from (mixtool's Prometheus lint,
the monitoring mixins' guideline; each problem is its own finding, located at
the annotation, or at the rule when the annotation is missing):

* ``summary`` exists (mixtool ``alert-summary-missing-rule``);
* ``summary`` has no ``{{ ... }}`` template (mixtool ``alert-summary-templating``);
* ``summary`` ends with a period (mixtool ``alert-summary-style``);
* ``summary`` starts with an uppercase letter (mixtool ``alert-summary-style``,
  whose expression is ``^[A-Z].+\\.$``). Less strict than mixtool: a summary
  whose first word is a metric or label name (it holds ``_``, as in
  ``http_requests_total has no series.``) or that starts with no letter at all
  (``5xx ratio is high.``) is not flagged: capitalising those would change them.
  Trailing whitespace (of a block scalar) is ignored;
* ``description`` exists (mixtool ``alert-description-missing-rule``);
* ``description`` is templated: it uses ``{{ ... }}`` (mixtool
  ``alert-description-templating``).

Bad:  summary: "High error rate on {{ $labels.instance }}"   description: "Errors are high"
Good: summary: "Checkout serves too many errors."
      description: "{{ $value | humanizePercentage }} of requests to {{ $labels.instance }} fail."

Fix: as the message says. Suppress (when it is intended):
`# paladin-obs disable alerts/annotations: reason` on the rule, or
`suppress: {alerts/annotations: reason}` on the spec's alert.
"""

from __future__ import annotations

import re
from collections.abc import Container

from paladin_obs.conventions import lowercase_start
from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.validate.rulefile import RuleRef

ID = "alerts/annotations"
#: Conventions that make pages readable, not broken rules: warn.
SEVERITY: Severity = "warning"
#: Findings on a rule read that rule alone (``lint.per_rule``).
PER_RULE = True
_TEMPLATE = re.compile(r"\{\{.+?\}\}", re.DOTALL)


def _summary_problems(summary: str, metrics: Container[str]) -> list[str]:
    text = summary.strip()
    if not text:
        return ["is empty: write one static sentence saying what is wrong"]
    problems = []
    if _TEMPLATE.search(text):
        problems.append(
            "uses a template: keep the summary static so notifications of this alert group "
            "together, and move the details to the description"
        )
    if lowercase_start(text, metrics):
        problems.append("starts with a lowercase letter: write it as a sentence, capitalised")
    if not text.endswith("."):
        problems.append("does not end with a period: write it as one sentence")
    return problems


def _check_rule(rule: RuleRef, metrics: Container[str]) -> list[tuple[tuple[str, ...], str]]:
    """(path below the rule, message) for each problem of ``rule``."""
    alert = f"alert {rule.name!r}"
    out: list[tuple[tuple[str, ...], str]] = []
    summary = rule.annotations.get("summary")
    if summary is None:
        out.append(
            (
                (),
                f"{alert} has no 'summary' annotation: add one static sentence saying what is wrong",
            )
        )
    else:
        out.extend(
            (("annotations", "summary"), f"{alert}: annotation 'summary' {p}")
            for p in _summary_problems(summary, metrics)
        )
    description = rule.annotations.get("description")
    if description is None:
        out.append(
            (
                (),
                f"{alert} has no 'description' annotation: add one saying which series fired, with "
                "{{ $labels.<name> }} and {{ $value }}",
            )
        )
    elif not _TEMPLATE.search(description):
        out.append(
            (
                ("annotations", "description"),
                f"{alert}: annotation 'description' uses no template: say which "
                "series fired and how bad it is with {{ $labels.<name> }} and {{ $value }}",
            )
        )
    return out


def check(ctx: LintContext) -> list[Diagnostic]:
    metrics: Container[str] = ctx.catalog.metrics if ctx.catalog is not None else ()
    out = []
    for f in ctx.files:
        for rule in f.rules:
            if not rule.is_alert:
                continue
            for where, message in _check_rule(rule, metrics):
                out.append(f.at((*rule.path, *where), message))
    return out
