"""How problems reach the terminal: one located line each, then a count."""

from __future__ import annotations

from collections.abc import Iterable

import click

from paladin_obs.diagnostics import Diagnostic


def print_diagnostics(diagnostics: Iterable[Diagnostic], *, err: bool = True) -> int:
    count = 0
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=err)
        count += 1
    return count
