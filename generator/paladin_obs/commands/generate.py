"""``paladin-obs generate``: build everything in memory, then write or write nothing."""

from __future__ import annotations

from pathlib import Path

import click

from paladin_obs import write
from paladin_obs.commands.report import build_or_report, print_diagnostics
from paladin_obs.diagnostics import InputError


def run(spec: str, out: str, env: str | None) -> int:
    output = build_or_report(spec, env, "; nothing was written")
    if output is None:
        return 2
    root = Path(out)
    try:
        result = write.plan(root, output.files, output.scopes, output.spec_name)
    except InputError as exc:
        print_diagnostics(exc.diagnostics)
        return 2
    if result.conflicts:
        for rel in result.conflicts:
            click.echo(
                f"{root / rel}: exists and was not generated from {output.spec_name}; "
                "move it away or delete it",
                err=True,
            )
        click.echo("paladin-obs: nothing was written.", err=True)
        return 2
    try:
        write.apply(root, output.files, result)
    except OSError as exc:
        click.echo(
            f"{exc.filename or out}: cannot write: {exc.strerror}; nothing was written.", err=True
        )
        return 2
    click.echo(
        f"paladin-obs: {len(output.files)} file(s) in {out}: {len(result.create)} created, "
        f"{len(result.update)} updated, {len(result.delete)} removed, "
        f"{len(result.unchanged)} unchanged."
    )
    return 0
