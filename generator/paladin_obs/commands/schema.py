"""``paladin-obs schema``: print the spec's JSON Schema for editors and CI."""

from __future__ import annotations

import click

from paladin_obs.spec_schema import schema_text


def run() -> int:
    click.echo(schema_text(), nl=False)
    return 0
