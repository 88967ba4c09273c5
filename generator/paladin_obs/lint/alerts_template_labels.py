"""alerts/template-labels: a template reads ``$labels.x`` but the expression's series never have label x.

Why: Prometheus expands an alert's annotations and labels with the labels of
the series its expression returns, nothing else. When ``x`` was aggregated
away (``sum by (job) (...)`` keeps only job, ``sum(...)`` none, ``without
(x)`` drops x), matched away (``a / on (job) b`` keeps only job), or never
existed (``vector(1)``, a scalar, ``absent(x{job="a"})`` has only job), the
template prints an empty string: "Instance  is down" pages with no way to
tell which instance. Labels the rule sets itself in ``labels:`` are not
visible to templates either (they are added after expansion), nor are
external labels. ``$labels.x`` inside ``if``/``with`` conditions copes with
absence and is not flagged; ``__name__`` is never flagged.

The analysis models aggregations, ``on``/``ignoring``/``group_left``/
``group_right``, ``label_replace``/``label_join``, ``absent``,
``count_values``, ``histogram_quantile``, scalars and ``vector()``; anything
else counts as "may have any label", so a finding is always certain.

Bad:  ``expr: sum by (job) (rate(errors_total[5m])) > 1`` with
``description: "Errors on {{ $labels.instance }}."``
Good: ``sum by (job, instance) (...)``, or drop ``instance`` from the text.

Fix: keep the label in the expression (add it to ``by (...)``/``on (...)``),
or stop using it in the template. Suppress (when it is intended):
``# paladin-obs disable alerts/template-labels: reason`` on the rule, or
``suppress: {alerts/template-labels: reason}`` on the spec's alert.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint import LintContext
from paladin_obs.lint.labels import output_labels_of, template_refs

ID = "alerts/template-labels"
#: The page renders without the detail it promises: broken, and certain.
SEVERITY: Severity = "error"
#: Reads parsed expressions: run a slice of a big file at a time.
READS_ASTS = True


def check(ctx: LintContext) -> list[Diagnostic]:
    out = []
    for f, rule, ast in ctx.alerts():
        templates = [("annotation", "annotations", k, v) for k, v in rule.annotations.items()]
        templates += [("label", "labels", k, v) for k, v in rule.labels.items()]
        if not any("{{" in text for *_, text in templates):
            continue
        result = None
        for what, section, key, text in templates:
            for ref in template_refs(text) or ():
                if ref.kind != "label" or ref.guarded or ref.name == "__name__":
                    continue
                result = result or output_labels_of(rule.expr, ast)
                why = result.missing(ref.name)
                if why is None:
                    continue
                own = ref.name in rule.labels
                note = " (the rule's own `labels:` are not visible to templates)" if own else ""
                fix = (
                    "write its value in the text instead"
                    if own
                    else f"keep {ref.name} in the expression (e.g. in by (...)) or stop using it"
                )
                out.append(
                    f.at(
                        (*rule.path, section, key),
                        f"alert {rule.name!r}: {what} {key!r} uses {ref.text} but the expression's series never "
                        f"have label {ref.name!r}{note}: {why}; {fix}",
                    )
                )
    return out
