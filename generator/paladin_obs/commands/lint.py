"""``paladin-obs lint``: every check, at its own severity, on specs and any rule file.

``validate`` answers "would Prometheus load this?" and prints lint as
warnings; ``lint`` answers "is this right?": a check's error fails the run,
and ``--strict`` fails it on warnings too. Both run the same checks on the
same files (``validate.gather``). A spec among the paths, or ``--spec``, gives
the metric types the type-aware checks need, and its generated rule files are
checked against the hand-written ones (an alert defined in both pages twice).
"""

from __future__ import annotations

from paladin_obs import lint
from paladin_obs.commands.validate import Gathered, gather
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.report import Report
from paladin_obs.validate.base import Source
from paladin_obs.validate.rulefile import check_file


def run(
    paths: tuple[str, ...],
    version_text: str | None,
    *,
    loki: bool = False,
    spec: str | None = None,
    scrape_interval: float | None = None,
    strict: bool = False,
) -> Report:
    found = gather(paths, version_text, loki=loki, spec=spec, scrape_interval=scrape_interval)
    shown = tuple(sorted(set(found.findings + found.lints + _across(found))))
    if found.unusable:
        return Report(
            problems=tuple(found.unusable),
            findings=shown,
            summary=f"{len(found.unusable)} file problem(s) made input unusable.",
            exit_code=2,
        )
    errors = [f for f in shown if f.severity == "error"]
    warnings = [f for f in shown if f.severity == "warning"]
    failing = errors + (warnings if strict else [])
    counts = f"{len(errors)} error(s), {len(warnings)} warning(s)"
    if failing:
        why = " (--strict: warnings fail too)" if strict and warnings else ""
        return Report(findings=shown, summary=counts + why + ".", exit_code=1)
    return Report(findings=shown, summary=counts + "." if shown else "")


def _across(found: Gathered) -> list[Diagnostic]:
    """Checks across files (duplicates) between hand-written rule files and a
    spec's generated ones; only findings on the hand-written files are new."""
    if not found.generated_rules or not found.rule_sources:
        return []
    checks = [m for m in lint.all_checks().values() if getattr(m, "ACROSS_FILES", False)]
    files = [_rules(s) for s in (*found.generated_rules, *found.rule_sources)]
    mine = {s.name for s in found.rule_sources}
    ctx = lint.LintContext(files)
    return [
        d for d in lint.run(ctx, checks) if d.source in mine and d.check in {c.ID for c in checks}
    ]


def _rules(source: Source) -> lint.FileRules:
    _, rules, groups = check_file(source.data, source.locate, (3, 99))
    return lint.FileRules(source.name, rules, source.locate, {}, groups)
