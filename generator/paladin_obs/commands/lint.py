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
from paladin_obs.commands.validate import Gathered, gather, order
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.lint.suppress import UNUSED_ID
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
    shown = tuple(sorted(set(found.findings + _across(found, found.lints)), key=order))
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


def _across(found: Gathered, lints: list[Diagnostic]) -> list[Diagnostic]:
    """``lints`` plus the checks across files (duplicates) between hand-written
    rule files and a spec's generated ones; only findings on the hand-written
    files are new. A suppression there of such a check is judged by this run:
    the per-file run, which cannot see the spec's rules, calls it unused."""
    if not found.generated_rules or not found.rule_sources:
        return lints
    checks = [m for m in lint.all_checks().values() if getattr(m, "ACROSS_FILES", False)]
    across = {c.ID for c in checks}
    mine = {s.name for s in found.rule_sources}
    files = [_rules(s, False) for s in found.generated_rules]
    files += [_rules(s, True) for s in found.rule_sources]
    ran = [d for d in lint.run(lint.LintContext(files), checks) if d.source in mine]
    still_unused = {d.location for d in ran if d.check == UNUSED_ID}
    judged = {
        d.location
        for s in found.rule_sources
        for d in s.directives
        if d.checks and set(d.checks) <= across
    }
    kept = [
        d
        for d in lints
        if not (d.check == UNUSED_ID and d.location in judged and d.location not in still_unused)
    ]
    return kept + [d for d in ran if d.check in across]


def _rules(source: Source, directives: bool) -> lint.FileRules:
    _, rules, groups = check_file(source.data, source.locate, (3, 99))
    kept = source.directives if directives else ()
    return lint.FileRules(source.name, rules, source.locate, {}, groups, kept)
