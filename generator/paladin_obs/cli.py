"""Command-line entry point: parses arguments and calls one command module.

Exit codes: 0 ok, 1 findings (validate, check, a dry run that would change
files), 2 unusable input or a refused write. An
unexpected exception is a bug: it is reported in one line (set
PALADIN_OBS_DEBUG=1 for the traceback) with exit code 70.
"""

from __future__ import annotations

import os
import re
import sys

import click

from paladin_obs import __version__
from paladin_obs.commands import check as check_cmd
from paladin_obs.commands import generate as generate_cmd
from paladin_obs.commands import schema as schema_cmd
from paladin_obs.commands import validate as validate_cmd
from paladin_obs.lock import DEFAULT_TIMEOUT
from paladin_obs.report import emit

DEFAULT_SPEC = "paladin-obs.yaml"
_VERSION = re.compile(r"^[23]\.[0-9]+$")


def _prom_version(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _VERSION.match(value):
        raise click.BadParameter("use major.minor, e.g. 2.53 or 3.5")
    return value


_spec = click.option("-f", "--spec", default=DEFAULT_SPEC, show_default=True, help="Spec file.")
_out = click.option("-o", "--out", default=".", show_default=True, help="Output root directory.")
_env = click.option("--env", default=None, help="Only this environment (default: all).")
_diff = click.option("--diff", "full_diff", is_flag=True, help="Show full diffs, for every kind of change.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paladin-obs")
def cli() -> None:
    """Generate and validate monitoring artifacts from one declarative spec."""


@cli.command()
@_spec
@_out
@_env
@click.option("--force", is_flag=True, help="Replace or remove generated files that were edited by hand.")
@click.option("--dry-run", is_flag=True, help="Print the plan with diffs; write nothing (exit 1 if anything would change).")
@_diff
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for another generate writing to the same output directory.",
)
def generate(
    spec: str,
    out: str,
    env: str | None,
    force: bool,
    dry_run: bool,
    full_diff: bool,
    lock_timeout: float,
) -> None:
    """Generate every artifact; validate all in memory; write atomically or not at all."""
    report = generate_cmd.run(
        spec, out, env, force=force, dry_run=dry_run, full_diff=full_diff, lock_timeout=lock_timeout
    )
    sys.exit(emit(report))


@cli.command()
@_spec
@_out
@_env
@_diff
def check(spec: str, out: str, env: str | None, full_diff: bool) -> None:
    """Report generated files that are stale, edited by hand, missing, orphaned or in conflict (exit 1)."""
    sys.exit(emit(check_cmd.run(spec, out, env, full_diff=full_diff)))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--prometheus-version",
    callback=_prom_version,
    default=None,
    help="Dialect for rule files (default 2.53); a spec uses its own.",
)
def validate(paths: tuple[str, ...], prometheus_version: str | None) -> None:
    """Validate specs and Prometheus rule files (files or directories; default: the spec)."""
    sys.exit(emit(validate_cmd.run(paths, prometheus_version)))


@cli.command()
def schema() -> None:
    """Print the spec's JSON Schema (Draft 2020-12)."""
    sys.exit(emit(schema_cmd.run()))


def main() -> None:
    try:
        cli(standalone_mode=True)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a bug (even a Rust panic), not bad input: stay readable
        if os.environ.get("PALADIN_OBS_DEBUG"):
            raise
        click.echo(
            f"paladin-obs: internal error: {type(exc).__name__}: {exc} "
            "(set PALADIN_OBS_DEBUG=1 for details; please report)",
            err=True,
        )
        sys.exit(70)
