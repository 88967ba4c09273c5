"""``paladin-obs check``: regenerate in memory and report every file that differs, by kind.

Kinds: edited by hand, stale, missing, orphaned, conflict; stale and edited
files come with a short diff (``--diff``: full diffs for every kind). Lint
findings of the output are reported too; errors among them fail the check.
"""

from __future__ import annotations

from pathlib import Path

from paladin_obs import write
from paladin_obs.commands.build import build
from paladin_obs.commands.files import describe
from paladin_obs.diagnostics import InputError
from paladin_obs.report import Report


def run(
    spec: str, out: str, env: str | None, *, full_diff: bool = False, use_cache: bool = True
) -> Report:
    output = build(spec, out, env, "", use_cache=use_cache)
    if isinstance(output, Report):
        return output
    try:
        plan = write.plan(Path(out), output.files, output.identity, output.scopes, env)
    except InputError as exc:
        return Report(problems=tuple(exc.diagnostics), exit_code=2)
    drift = tuple(
        describe(c, out, full_diff=full_diff) for c in plan.changes if c.kind != "unchanged"
    )
    lint_errors = [f for f in output.findings if f.severity == "error"]
    findings = (*output.findings, *drift)
    if drift or lint_errors:
        parts = []
        if drift:
            parts.append(f"{len(drift)} generated file(s) out of date")
        if lint_errors:
            parts.append(f"{len(lint_errors)} lint error(s)")
        return Report(findings=findings, summary="; ".join(parts) + ".", exit_code=1)
    return Report(
        findings=findings,
        summary=f"{len(plan.of('unchanged'))} generated file(s) up to date.",
    )
