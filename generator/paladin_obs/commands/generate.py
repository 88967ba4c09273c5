"""``paladin-obs generate``: build everything in memory, then write all of it or nothing.

Refuses (exit 2, nothing written) on bad input, on lint errors, on files in
the way that are not ours, and on generated files edited by hand unless
``--force``. ``--dry-run`` shows the plan with diffs and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from paladin_obs.commands.build import build
from paladin_obs.commands.files import describe, diff, display_path
from paladin_obs.commands.writing import plan_only, write_tree
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.lock import DEFAULT_TIMEOUT
from paladin_obs.output import Output
from paladin_obs.report import Report
from paladin_obs.write import Change, Plan

_VERBS = {"create": "create", "stale": "update", "orphaned": "delete", "leftover": "delete"}


def run(
    spec: str,
    out: str,
    env: str | None,
    *,
    force: bool = False,
    dry_run: bool = False,
    full_diff: bool = False,
    lock_timeout: float = DEFAULT_TIMEOUT,
    use_cache: bool = True,
) -> Report:
    output = build(spec, out, env, "; nothing was written", use_cache=use_cache)
    if isinstance(output, Report):
        return output
    warnings = tuple(f for f in output.findings if f.severity != "error")
    errors = tuple(f for f in output.findings if f.severity == "error")
    if errors:
        return Report(
            problems=errors,
            findings=warnings,
            summary=f"{len(errors)} lint error(s) in the generated output; nothing was written.",
            exit_code=2,
        )
    root = Path(out)
    if dry_run:
        plan = plan_only(root, out, output.files, output.identity, output.scopes, env)
        if isinstance(plan, Report):
            return plan
        return _dry_run(plan, out, output, warnings, force=force, full_diff=full_diff)
    written = write_tree(
        root,
        out,
        output.files,
        output.identity,
        output.scopes,
        command="generate",
        lock_timeout=lock_timeout,
        refuse=lambda blocked: _refused(blocked, out, warnings, full_diff),
        env=env,
        force=force,
    )
    if isinstance(written, Report):
        return written
    plan = written
    return Report(findings=warnings, summary=_summary(plan, out, len(output.files)))


def _summary(plan: Plan, out: str, total: int) -> str:
    forced = plan.of("edited")
    created = len(plan.of("create"))
    updated = len(plan.of("stale")) + sum(1 for c in forced if c.new is not None)
    removed = len(plan.of("orphaned", "leftover")) + sum(1 for c in forced if c.new is None)
    note = f"; {len(forced)} hand-edited file(s) replaced (--force)" if forced else ""
    return (
        f"{total} file(s) in {out}: {created} created, {updated} updated, {removed} removed, "
        f"{len(plan.of('unchanged'))} unchanged{note}."
    )


def _refused(
    blocked: list[Change], out: str, warnings: tuple[Diagnostic, ...], full_diff: bool
) -> Report:
    edited = sum(1 for c in blocked if c.kind == "edited")
    hint = " (--force replaces hand-edited files; conflicts must be moved away)" if edited else ""
    return Report(
        problems=tuple(describe(c, out, full_diff=full_diff) for c in blocked),
        findings=warnings,
        summary=f"refused to touch {len(blocked)} file(s){hint}; nothing was written.",
        exit_code=2,
    )


def _dry_run(
    plan: Plan,
    out: str,
    output: Output,
    warnings: tuple[Diagnostic, ...],
    *,
    force: bool,
    full_diff: bool,
) -> Report:
    lines: list[str] = []
    for change in plan.changes:
        shown = display_path(out, change.path)
        if change.kind == "unchanged":
            continue
        if change.kind in _VERBS:
            lines.append(f"{_VERBS[change.kind]} {shown} ({change.kind})")
            lines.append(diff(change, shown, full=full_diff))
        elif change.kind == "edited" and force:
            verb = "overwrite" if change.new is not None else "delete"
            lines.append(f"{verb} {shown} (edited by hand; --force)")
            lines.append(diff(change, shown, full=full_diff))
        else:
            described = describe(change, out, full_diff=full_diff)
            lines.append(f"refuse {shown}: {described.message}")
            lines.append(described.detail)
    changed = [c for c in plan.changes if c.kind != "unchanged"]
    if not changed:
        return Report(
            findings=warnings,
            summary=f"dry run: {len(output.files)} file(s) up to date; nothing would change.",
        )
    refused = len(plan.blocked(force))
    extra = f", {refused} of them refused" if refused else ""
    return Report(
        findings=warnings,
        lines=tuple(line.rstrip("\n") for line in lines if line),
        summary=f"dry run: {len(changed)} file(s) would change{extra}; nothing was written.",
        exit_code=1,
    )
