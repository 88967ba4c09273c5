"""How problems reach the terminal: one located line each, then a count."""

from __future__ import annotations

from collections.abc import Iterable

import click

from paladin_obs import pipeline
from paladin_obs.diagnostics import Diagnostic, InputError


def print_diagnostics(diagnostics: Iterable[Diagnostic], *, err: bool = True) -> int:
    count = 0
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=err)
        count += 1
    return count


def build_or_report(spec: str, env: str | None, consequence: str) -> pipeline.Output | None:
    """Run the pipeline; on bad input print every problem and say what did not happen."""
    try:
        return pipeline.build(spec, env)
    except InputError as exc:
        count = print_diagnostics(exc.diagnostics)
        click.echo(f"paladin-obs: {count} problem(s) in the input{consequence}.", err=True)
        return None
