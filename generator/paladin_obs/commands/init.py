"""``paladin-obs init``: a commented starter spec for a new service, without prompts.

Flags are checked against the spec's own name rules first (the schema's
patterns and messages, so init and generate never disagree on a name), then
the rendered spec goes through the whole pipeline in memory: init never
writes a spec that ``generate`` would refuse. The file is written atomically
and an existing one is replaced only with ``--force``, as ``import`` does.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from paladin_obs import pipeline
from paladin_obs.commands.import_ import _write
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.diagnostics import Path as DiagPath
from paladin_obs.loader import load_text
from paladin_obs.report import Report
from paladin_obs.spec_schema import schema_text
from paladin_obs.starter import Starter, render

DEFAULT_OUT = "paladin-obs.yaml"
DEFAULT_SERVICE = "my-service"
DEFAULT_ENVIRONMENTS = ("production", "staging")
LOG_FORMATS = ("json", "logfmt")


def run(
    out: str = DEFAULT_OUT,
    *,
    service: str = DEFAULT_SERVICE,
    job: str | None = None,
    environments: Iterable[str] = (),
    team: str | None = None,
    logs: Iterable[str] = (),
    log_format: str = "json",
    slos: bool = True,
    force: bool = False,
) -> Report:
    """Write the starter spec to ``out``; every bad flag is reported at once (exit 2)."""
    envs = tuple(environments) or DEFAULT_ENVIRONMENTS
    starter = Starter(
        service=service,
        job=service if job is None else job,
        environments=envs,
        team=team,
        logs=tuple(logs),
        log_format=log_format,
        slos=slos,
    )
    problems = _undecodable(out, starter) or _flag_problems(starter)
    if problems:
        return _refused(problems)
    text = render(starter)
    try:
        built = pipeline.build_document(load_text(text, out))
    except InputError as exc:  # a value the schema accepts but a later stage refuses
        return _refused(_as_flag(d, service) for d in exc.diagnostics)
    blocking = [_as_flag(d, service) for d in built.findings if d.severity == "error"]
    if blocking:  # what generate would refuse to write
        return _refused(blocking)
    written = _write(Path(out), text, force, f"a starter spec for service {service}")
    if written.exit_code:
        return written
    return Report(lines=_next_steps(out, bool(starter.logs)), summary=written.summary)


def _undecodable(out: str, s: Starter) -> list[Diagnostic]:
    """Arguments that were not UTF-8 (Python keeps their bytes as surrogates,
    which no file or message can hold)."""
    given = [("-o", out), ("--service", s.service), ("--job", s.job), ("--team", s.team or "")]
    given += [("--env", env) for env in s.environments] + [("--logs", path) for path in s.logs]
    problems = []
    for flag, value in given:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(_at(flag, "is not valid UTF-8 text"))
    return problems


def _flag_problems(s: Starter) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    slug = _schema_def("slug")
    checks: list[tuple[str, str, dict[str, Any]]] = [("--service", s.service, slug)]
    checks += [("--env", env, slug) for env in s.environments]
    checks += [("--logs", path, _log_file_def()) for path in s.logs]
    for flag, value, rule in checks:
        if not _matches(rule, value):
            problems.append(_at(flag, f"{value!r} {rule['x-message']}"))
    seen: set[str] = set()
    for env in s.environments:
        if env in seen:
            problems.append(_at("--env", f"{env!r} is given twice"))
        seen.add(env)
    if not s.job:
        problems.append(_at("--job", "must not be empty (job=\"\" selects series without a job)"))
    if s.team is not None and not s.team:
        problems.append(_at("--team", "must not be empty (Prometheus drops an empty label)"))
    if s.log_format not in LOG_FORMATS:
        problems.append(_at("--log-format", f"must be one of {', '.join(LOG_FORMATS)}"))
    return problems


def _matches(rule: dict[str, Any], value: str) -> bool:
    return re.search(rule["pattern"], value) is not None


@cache
def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = json.loads(schema_text())["$defs"]
    return defs


def _schema_def(name: str) -> dict[str, Any]:
    rule: dict[str, Any] = _defs()[name]
    return rule


def _log_file_def() -> dict[str, Any]:
    rule: dict[str, Any] = _defs()["logs"]["properties"]["source"]["properties"]["files"]["items"]
    return rule


#: Where each flag's value lands in the starter spec (after the service name).
_FLAG_PATHS: tuple[tuple[DiagPath, str], ...] = (
    (("selector",), "--job"),
    (("logs", "source"), "--logs"),
)


def _as_flag(diagnostic: Diagnostic, service: str) -> Diagnostic:
    """A problem with a flag's value, reported at the flag: the spec it points
    into was never written."""
    path = diagnostic.path
    flag = None
    if path[:2] == ("defaults", "alert_labels"):
        flag = "--team"
    elif path[:1] == ("environments",):
        flag = "--env"
    elif path[:2] == ("services", service):
        flag = next((f for p, f in _FLAG_PATHS if path[2 : 2 + len(p)] == p), None)
    if flag is None:
        return diagnostic
    return Diagnostic(Location(flag), diagnostic.message)


def _at(flag: str, message: str) -> Diagnostic:
    return Diagnostic(Location(flag), message)


def _refused(problems: Iterable[Diagnostic]) -> Report:
    found = tuple(problems)
    return Report(
        problems=found,
        summary=f"{len(found)} problem(s) in the options; nothing was written.",
        exit_code=2,
    )


def _next_steps(out: str, logs: bool) -> tuple[str, ...]:
    spec = "" if out == DEFAULT_OUT else f" -f {shlex.quote(out)}"
    written = "rules/ and dashboards/" + (" and loki/" if logs else "")
    return (
        "Next steps:",
        f"  1. Edit {out}: metric names, thresholds and objectives are examples; "
        "its comments explain each section.",
        f"  2. paladin-obs generate{spec}    # writes {written}",
        f"  3. paladin-obs lint --strict{'' if not spec else ' ' + shlex.quote(out)}"
        "    # `paladin-obs explain ID` says why a check fires",
        "  4. Commit the spec with the generated files; in CI and pre-commit run "
        f"paladin-obs check{spec} (README: \"Use in pre-commit\").",
    )
