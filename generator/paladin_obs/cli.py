"""Command-line entry point: parses arguments and calls one command module.

Exit codes: 0 ok, 1 findings (validate, check, a dry run that would change
files), 2 unusable input or a refused write. An
unexpected exception is a bug: it is reported in one line (set
PALADIN_OBS_DEBUG=1 for the traceback) with exit code 70.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import NoReturn

import click

from paladin_obs import __version__, heap
from paladin_obs.lock import DEFAULT_TIMEOUT
from paladin_obs.report import FORMATS, emit

DEFAULT_SPEC = "paladin-obs.yaml"
_VERSION = re.compile(r"^[23]\.[0-9]+$")


def _prom_version(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _VERSION.match(value):
        raise click.BadParameter("use major.minor, e.g. 2.53 or 3.5")
    return value


def _seconds(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    from paladin_obs.durations import parse_duration

    try:
        seconds = parse_duration(value).seconds
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if seconds <= 0:
        raise click.BadParameter("must be longer than 0s")
    return seconds


_prometheus_version = click.option(
    "--prometheus-version",
    callback=_prom_version,
    default=None,
    help="Dialect for rule files (default 2.53); a spec uses its own.",
)
_loki = click.option(
    "--loki",
    is_flag=True,
    help="Read every rule file as a Loki ruler file (LogQL); without it, only files "
    "under a 'loki' folder are.",
)
_lint_spec = click.option(
    "--spec",
    "lint_spec",
    default=None,
    type=click.Path(),
    help="Spec whose metric catalog (types, labels) and scrape interval the rule files are "
    "checked against; its generated rules are checked for duplicates too.",
)
_scrape = click.option(
    "--scrape-interval",
    callback=_seconds,
    default=None,
    help="Scrape interval ranges are measured against (default: the spec's, else 1m).",
)
_spec = click.option("-f", "--spec", default=DEFAULT_SPEC, show_default=True, help="Spec file.")
_out = click.option("-o", "--out", default=".", show_default=True, help="Output root directory.")
_env = click.option("--env", default=None, help="Only this environment (default: all).")
_diff = click.option(
    "--diff", "full_diff", is_flag=True, help="Show full diffs, for every kind of change."
)
_no_cache = click.option(
    "--no-cache",
    is_flag=True,
    help="Build from scratch: neither use nor keep a cached build of unchanged input "
    "(compiled templates stay cached; PALADIN_OBS_CACHE_DIR='' turns off both).",
)
_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="How to report: text for people (colour on a terminal), json, github (workflow "
    "commands that annotate a pull request) or sarif (GitHub code scanning).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paladin-obs")
def cli() -> None:
    """Generate and validate monitoring artifacts from one declarative spec."""


@cli.command()
@_spec
@_out
@_env
@click.option(
    "--force", is_flag=True, help="Replace or remove generated files that were edited by hand."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan with diffs; write nothing (exit 1 if anything would change).",
)
@_diff
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for another generate writing to the same output directory.",
)
@_format
@_no_cache
def generate(
    spec: str,
    out: str,
    env: str | None,
    force: bool,
    dry_run: bool,
    full_diff: bool,
    lock_timeout: float,
    fmt: str,
    no_cache: bool,
) -> None:
    """Generate every artifact; validate all in memory; write atomically or not at all."""
    from paladin_obs.commands import generate as generate_cmd

    report = generate_cmd.run(
        spec,
        out,
        env,
        force=force,
        dry_run=dry_run,
        full_diff=full_diff,
        lock_timeout=lock_timeout,
        use_cache=not no_cache,
    )
    sys.exit(emit(report, fmt, "generate"))


@cli.command()
@_spec
@_out
@_env
@_diff
@_format
@_no_cache
def check(
    spec: str, out: str, env: str | None, full_diff: bool, fmt: str, no_cache: bool
) -> None:
    """Report generated files that are stale, edited by hand, missing, orphaned or in conflict (exit 1)."""
    from paladin_obs.commands import check as check_cmd

    report = check_cmd.run(spec, out, env, full_diff=full_diff, use_cache=not no_cache)
    sys.exit(emit(report, fmt, "check"))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_prometheus_version
@_loki
@_lint_spec
@_scrape
@click.option(
    "--lint-fatal",
    is_flag=True,
    help="Exit 1 on lint findings too (like promtool check rules --lint-fatal); without it "
    "they are printed as warnings and only what would not load fails.",
)
@_format
def validate(
    paths: tuple[str, ...],
    prometheus_version: str | None,
    loki: bool,
    lint_spec: str | None,
    scrape_interval: float | None,
    lint_fatal: bool,
    fmt: str,
) -> None:
    """Validate specs, Prometheus and Loki rule files, Promtail configs and Grafana
    dashboards (files or directories; default: the spec)."""
    from paladin_obs.commands import validate as validate_cmd

    report = validate_cmd.run(
        paths,
        prometheus_version,
        loki=loki,
        lint_fatal=lint_fatal,
        spec=lint_spec,
        scrape_interval=scrape_interval,
    )
    sys.exit(emit(report, fmt, "validate"))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_prometheus_version
@_loki
@_lint_spec
@_scrape
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@_format
def lint(
    paths: tuple[str, ...],
    prometheus_version: str | None,
    loki: bool,
    lint_spec: str | None,
    scrape_interval: float | None,
    strict: bool,
    fmt: str,
) -> None:
    """Lint specs, rule files (hand-written too) and dashboards with every check at
    its own severity; exit 1 on errors (default: the spec). 'explain' lists the checks."""
    from paladin_obs.commands import lint as lint_cmd

    report = lint_cmd.run(
        paths,
        prometheus_version,
        loki=loki,
        spec=lint_spec,
        scrape_interval=scrape_interval,
        strict=strict,
    )
    sys.exit(emit(report, fmt, "lint"))


@cli.command()
@click.argument("check_id", required=False)
def explain(check_id: str | None) -> None:
    """Why a lint check exists and how to fix or suppress its finding (no id: list all)."""
    from paladin_obs.commands import explain as explain_cmd

    sys.exit(emit(explain_cmd.run(check_id)))


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-f",
    "--spec",
    default=None,
    help="Spec whose defaults.templates are listed too (default: paladin-obs.yaml if present).",
)
def templates(name: str | None, spec: str | None) -> None:
    """List the template library (built-in and the spec's), or one template's details."""
    from paladin_obs.commands import templates as templates_cmd

    sys.exit(emit(templates_cmd.run(name, spec)))


@cli.command()
def schema() -> None:
    """Print the spec's JSON Schema (Draft 2020-12)."""
    from paladin_obs.commands import schema as schema_cmd

    sys.exit(emit(schema_cmd.run()))


@cli.command()
@click.option(
    "-o", "--out", default="paladin-obs.yaml", show_default=True, help="Spec file to write."
)
@click.option(
    "--service", default="my-service", show_default=True, help="Service name (lowercase)."
)
@click.option("--job", default=None, help="Prometheus job of its targets (default: the service).")
@click.option(
    "--env",
    "environments",
    multiple=True,
    help="Environment, repeatable (default: production and staging).",
)
@click.option("--team", default=None, help="team label on every alert (default: none).")
@click.option(
    "--logs",
    multiple=True,
    help="Absolute path or glob of its log files, repeatable: adds a logs section.",
)
@click.option(
    "--log-format",
    type=click.Choice(["json", "logfmt"]),
    default="json",
    show_default=True,
    help="How its log lines are written (with --logs).",
)
@click.option("--no-slo", is_flag=True, help="Leave out the availability and latency SLOs.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def init(
    out: str,
    service: str,
    job: str | None,
    environments: tuple[str, ...],
    team: str | None,
    logs: tuple[str, ...],
    log_format: str,
    no_slo: bool,
    force: bool,
) -> None:
    """Write a commented starter spec for a new service (no prompts)."""
    from paladin_obs.commands import init as init_cmd

    report = init_cmd.run(
        out,
        service=service,
        job=job,
        environments=environments,
        team=team,
        logs=logs,
        log_format=log_format,
        slos=not no_slo,
        force=force,
    )
    sys.exit(emit(report))


def _label_pairs(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r}: use key=value")
        pairs.append((key, text))
    return tuple(pairs)


_import_out = click.option(
    "-o", "--out", default=None, help="Write the spec to this file (default: print it)."
)
_import_force = click.option("--force", is_flag=True, help="Replace the -o file if it exists.")


@cli.group("import")
def import_group() -> None:
    """Convert another tool's SLO definitions into a spec."""


@import_group.command("sloth")
@click.argument("file", type=click.Path())
@_import_out
@click.option(
    "--default-slo-period",
    default=None,
    help="SLO period of every SLO, whole days (Sloth's default: 30d).",
)
@click.option(
    "--slo-period-windows-path",
    default=None,
    help="Directory of Sloth AlertWindows files; replaces the built-in catalogs, as in Sloth.",
)
@click.option("--disable-alerts", is_flag=True, help="Disable every page and ticket alert.")
@click.option("--disable-recordings", is_flag=True, help="Alerts only: no recording rules.")
@click.option(
    "-l",
    "--extra-labels",
    multiple=True,
    callback=_label_pairs,
    help="key=value label added to every SLO (repeatable); wins over the spec's labels.",
)
@_import_force
def import_sloth(
    file: str,
    out: str | None,
    default_slo_period: str | None,
    slo_period_windows_path: str | None,
    disable_alerts: bool,
    disable_recordings: bool,
    extra_labels: tuple[tuple[str, str], ...],
    force: bool,
) -> None:
    """Import a Sloth spec (prometheus/v1 or PrometheusServiceLevel), Sloth's generate flags included."""
    from paladin_obs.commands.import_ import run_import

    report = run_import(
        "sloth",
        file,
        out,
        force,
        default_slo_period=default_slo_period,
        slo_period_windows_path=slo_period_windows_path,
        disable_alerts=disable_alerts,
        disable_recordings=disable_recordings,
        extra_labels=extra_labels,
    )
    sys.exit(emit(report))


@import_group.command("openslo")
@click.argument("file", type=click.Path())
@_import_out
@_import_force
def import_openslo(file: str, out: str | None, force: bool) -> None:
    """Import OpenSLO SLO definitions."""
    from paladin_obs.commands.import_ import run_import

    sys.exit(emit(run_import("openslo", file, out, force)))


@cli.group("export")
def export_group() -> None:
    """Write the spec's SLOs in another tool's format."""


@export_group.command("openslo")
@_spec
@click.option("-o", "--out", default=None, help="Output directory (default: openslo).")
def export_openslo(spec: str, out: str | None) -> None:
    """Export the spec's SLOs as OpenSLO files, one per SLO."""
    from paladin_obs.commands import export_openslo as export_cmd

    sys.exit(emit(export_cmd.run(spec, out) if out is not None else export_cmd.run(spec)))


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


def run() -> NoReturn:
    """The console script and ``python -m paladin_obs``: ``main``, then leave at
    once. Tearing the interpreter down frees every object one by one: after
    a 10,000-rule file that is a tenth of a second of nothing, in every
    pre-commit run. Files are written and closed by then and no exit hook of
    ours or our libraries' is owed; the output is flushed here. The process
    is the command's alone, so its garbage collector is set for one run
    (``heap``)."""
    heap.command_process()
    try:
        main()
        code = 0
    except SystemExit as done:
        code = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush to
            stream.flush()
    os._exit(code)


def _exit_status(code: object) -> int:
    """``SystemExit.code`` as the status Python gives it: None is 0, a
    message is printed and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(OSError, ValueError):
        print(code, file=sys.stderr)
    return 1
