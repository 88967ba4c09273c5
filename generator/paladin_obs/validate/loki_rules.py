"""Loki ruler rule files: Prometheus's rule-file shape, LogQL metric queries, Go templates.

Loki's ruler loads the same rule-file layout as Prometheus (its own copy of
``rulefmt``) but parses ``expr`` as LogQL and refuses a log query there: a rule
must produce samples. Shape and template checks are the Prometheus ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs import lint
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.validate.base import Checked, Settings, Source
from paladin_obs.validate.rule_content import check_templates
from paladin_obs.validate.rulefile import check_file

#: The rulefmt keys Loki 3 accepts are those of Prometheus 2.53.
LOKI_RULEFMT = (2, 53)


def check(sources: Sequence[Source], settings: Settings) -> Checked:
    from paladin_obs.validate.logql import check_logql, position

    result = Checked()
    linted: list[lint.FileRules] = []
    for source in sources:
        errors, rules, groups = check_file(source.data, source.locate, LOKI_RULEFMT)
        result.errors.extend(errors)
        valid = []
        for rule in rules:
            kind = "alert" if rule.is_alert else "record"
            expr_path = (*rule.path, "expr")
            for error in check_logql(rule.expr, metric=True):
                line, col = position(rule.expr, error.offset)
                where = f"{line}:{col}" if "\n" in rule.expr.rstrip("\n") else f"column {col}"
                result.errors.append(
                    Diagnostic(
                        source.locate(expr_path, False),
                        f"{kind} {rule.name!r}: LogQL at {where}: {error.message}",
                        expr_path,
                    )
                )
            problems = check_templates(rule, source.locate, LOKI_RULEFMT)
            result.errors.extend(problems)
            valid.append(rule)
        # LogQL has no PromQL syntax tree: the checks of expressions skip these
        # rules; those of names, annotations and groups still apply.
        linted.append(lint.FileRules(source.name, valid, source.locate, {}, groups, source.directives))
    ctx = lint.context(linted, None, settings.scrape_interval)
    result.findings.extend(lint.run(ctx))
    return result
