"""``paladin-obs check``: regenerate in memory and fail if the committed files differ."""

from __future__ import annotations

from pathlib import Path

import click

from paladin_obs import write
from paladin_obs.commands.report import build_or_report, print_diagnostics
from paladin_obs.diagnostics import InputError


def run(spec: str, out: str, env: str | None) -> int:
    output = build_or_report(spec, env, "")
    if output is None:
        return 2
    try:
        result = write.plan(Path(out), output.files, output.scopes, output.spec_name)
    except InputError as exc:
        print_diagnostics(exc.diagnostics)
        return 2
    for rel in result.conflicts:
        click.echo(f"{rel}: exists but was not generated from {output.spec_name}")
    for rel in result.create:
        click.echo(f"{rel}: missing (run paladin-obs generate)")
    for rel in result.update:
        click.echo(f"{rel}: differs from what the spec generates (stale or hand-edited)")
    for rel in result.delete:
        click.echo(f"{rel}: generated earlier but no longer by this spec")
    if not result.clean:
        click.echo(
            "paladin-obs: generated files are out of date; run paladin-obs generate.", err=True
        )
        return 1
    click.echo(f"paladin-obs: {len(result.unchanged)} generated file(s) up to date.")
    return 0
