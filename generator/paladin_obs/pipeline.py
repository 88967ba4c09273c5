"""The one-way pipeline: load → validate spec → model → targets → validate artifacts
→ lint → serialise → stamp ownership.

Nothing here touches the output directory: ``generate`` writes what this
returns and ``check`` compares it, so both see exactly the same bytes. No
target is named here: the pipeline runs every registered target, validates
each artifact by its kind, and serialises it by its format.
"""

from __future__ import annotations

import os
import zlib
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path as FsPath

from paladin_obs import conventions as conv
from paladin_obs import formats, heap, ownership, parallel
from paladin_obs.artifacts import Artifact
from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.lint import DEFAULT_SCRAPE_INTERVAL
from paladin_obs.lint.catalog import Catalog, spec_scrape_interval
from paladin_obs.lint.suppress import UNUSED_ID
from paladin_obs.loader import Document, load_file
from paladin_obs.model import Model
from paladin_obs.outpaths import unsafe_reason
from paladin_obs.output import Output
from paladin_obs.pipeline_checks import Checks
from paladin_obs.resolve import Prepared, environment_model, prepare
from paladin_obs.targets import TARGETS
from paladin_obs.validate import Settings, Source
from paladin_obs.write import OutFile


def build(spec_path: str, out: str = ".", only_env: str | None = None) -> Output:
    """The build ``generate`` and ``check`` compare with disk: environments in parallel."""
    return build_document(load_file(spec_path), out, only_env, keep_sources=False)


@dataclass
class _Part:
    """One environment's share of the build, as plain data (it may come from a worker)."""

    files: dict[str, OutFile]
    #: A worker's files instead, each deflated (path: bytes, environment):
    #: its result crosses a pipe, and a fleet's files (a few hundred MB) were
    #: held there three times over (the files, the pickle, the unpickled copy).
    packed: dict[str, tuple[bytes, str]]
    #: Each artifact's path and where the spec made it, to find clashes across parts.
    placed: list[tuple[str, Location]]
    errors: list[Diagnostic]
    findings: list[Diagnostic]
    #: Spec suppressions by location: how many rules of this part each covers.
    suppressions: dict[Location, int]
    sources: list[Source]


def build_document(
    doc: Document, out: str = ".", only_env: str | None = None, *, keep_sources: bool = True
) -> Output:
    """Everything after loading: for callers that loaded the spec themselves.

    ``keep_sources`` keeps the generated rule files as validated (for lint
    across files); without it the environments are built in parallel.
    """
    prepared = prepare(doc, only_env)
    heap.settled()  # the resolved spec: read by every environment until the end
    identity = spec_identity(doc, out)
    catalog = Catalog.from_spec(doc)
    interval = spec_scrape_interval(doc, DEFAULT_SCRAPE_INTERVAL)

    def part(name: str) -> _Part:
        model = environment_model(prepared, name)
        if prepared.res.errors:
            raise InputError(prepared.res.errors)
        heap.settled()
        return _build_model(model, identity, catalog, interval, keep_sources, parallel.in_worker())

    # Sources hold functions (locators): they cannot come back from a worker.
    # A grafanalib file is the user's code: it runs once, here, not per worker.
    processes = not keep_sources and not _runs_code(prepared)
    if processes and parallel.workers(len(prepared.names)) > 1:
        _import_before_fork(prepared)
    parts = parallel.run(prepared.names, part, processes=processes)
    files: dict[str, OutFile] = {}
    errors: list[Diagnostic] = []
    findings: list[Diagnostic] = []
    suppressions: defaultdict[Location, int] = defaultdict(int)
    for piece in parts:
        errors.extend(piece.errors)
        errors.extend(
            Diagnostic(where, f"two artifacts would be written to {path!r}")
            for path, where in piece.placed
            if path in files
        )
        files.update(piece.files)
        files.update((p, OutFile(zlib.decompress(z), e)) for p, (z, e) in piece.packed.items())
        piece.packed.clear()
        findings.extend(piece.findings)
        for location, count in piece.suppressions.items():
            suppressions[location] += count
    if errors:
        raise InputError(errors)
    scopes = tuple(sorted({d for target in TARGETS.values() for d in target.OUTPUT_DIRS}))
    findings = _per_environment(_unused_everywhere(findings, suppressions), len(parts))
    return Output(
        dict(sorted(files.items())),
        identity,
        scopes,
        tuple(sorted(set(findings))),
        tuple(s for piece in parts for s in piece.sources),
    )


def _import_before_fork(prepared: Prepared) -> None:
    """Import here what every environment's worker would import on first use:
    a module imported after the fork is imported by each worker again (the
    validators, the lint checks and the LogQL parser: ~0.2 s of CPU per
    worker, on a two-core machine most of it on the wall)."""
    from paladin_obs.lint import all_checks, dashboards
    from paladin_obs.lint.registry import known_ids
    from paladin_obs.validate import VALIDATORS

    for kind in VALIDATORS:
        VALIDATORS[kind]
    all_checks()
    dashboards.all_checks()
    known_ids()
    services = prepared.res.spec.get("services") or {}
    if any(isinstance(svc, dict) and "logs" in svc for svc in services.values()):
        from paladin_obs.validate.logql import parser  # noqa: F401  (imported for the workers)


def _runs_code(prepared: Prepared) -> bool:
    services = prepared.res.spec.get("services") or {}
    return any(
        isinstance(svc, dict)
        and isinstance(svc.get("dashboards"), dict)
        and bool(svc["dashboards"].get("grafanalib"))
        for svc in services.values()
    )


def _build_model(
    model: Model,
    identity: str,
    catalog: Catalog,
    interval: float,
    keep_sources: bool,
    packed: bool = False,
) -> _Part:
    """Each artifact is checked and serialised as it comes, then let go of:
    only its bytes stay (and, for kinds validated together, its data until
    the end). A fleet's dashboards all alive at once were gigabytes."""
    env = model.environment.name
    checks = Checks(Settings(model.prometheus_version, catalog, interval))
    files: dict[str, OutFile] = {}
    deflated: dict[str, tuple[bytes, str]] = {}
    placed: list[tuple[str, Location]] = []
    errors: list[Diagnostic] = []
    directives: set[Location] = set()
    sources: list[Source] = []
    for target in TARGETS.values():
        for artifact in target.generate(model):
            where = artifact.origin(()) or Location(model.spec_file)
            errors.extend(_check_path(artifact.path, where, deflated if packed else files))
            placed.append((artifact.path, where))
            directives.update(d.location for d in artifact.directives)
            source = _source(artifact, Location(model.spec_file))
            checks.add(artifact.kind, source)
            if keep_sources and artifact.kind == conv.PROMETHEUS_RULES_KIND:
                sources.append(source)
            body = artifact.text
            if body is None:
                body = formats.dump(artifact.format, artifact.data)
            content = ownership.stamp(artifact.format, body, identity, env, artifact.path)
            if packed:
                deflated[artifact.path] = (zlib.compress(content, 1), env)
            else:
                files[artifact.path] = OutFile(content, env)
    problems, findings = _concluded(model, checks)
    errors.extend(problems)
    suppressions = dict.fromkeys(directives, 1)
    return _Part(files, deflated, placed, errors, findings, suppressions, sources)


def _unused_everywhere(
    findings: list[Diagnostic], suppressions: dict[Location, int]
) -> list[Diagnostic]:
    """A spec's suppression is unused only if it is unused in every environment
    that generates its alert: an override may remove the finding in one."""
    unused: dict[Location, list[Diagnostic]] = defaultdict(list)
    kept = []
    for f in findings:
        if f.check == UNUSED_ID and f.location in suppressions:
            unused[f.location].append(f)
        else:
            kept.append(f)
    for location, reported in unused.items():
        if len(reported) >= suppressions[location]:
            kept.append(reported[0])
    return kept


def _per_environment(findings: list[Diagnostic], environments: int) -> list[Diagnostic]:
    """One finding per spec line and message, naming the environments it holds
    in (``source``) unless it holds in all of them: the same template mistake
    found in every environment's output is one mistake."""
    envs: dict[Diagnostic, set[str]] = defaultdict(set)
    for f in findings:
        envs[replace(f, source="")].add(f.source)
    out = []
    for f, names in envs.items():
        named = sorted(n for n in names if n)
        where = ""
        if named and len(named) < environments:
            label = "environment" if len(named) == 1 else "environments"
            where = f" ({label} {', '.join(named)})"
        prefix = f"in the generated output{where}: " if f.check != UNUSED_ID else ""
        out.append(replace(f, message=prefix + f.message))
    return out


def spec_identity(doc: Document, out: str) -> str:
    """The spec's ``id``, else its path relative to the output directory: unique
    among specs sharing one tree, and the same on every machine."""
    explicit = doc.data.get("id") if isinstance(doc.data, dict) else None
    if isinstance(explicit, str) and explicit:
        return explicit
    spec = FsPath(doc.file).resolve()
    return FsPath(os.path.relpath(spec, FsPath(out).resolve())).as_posix()


def _check_path(path: str, where: Location, seen: Container[str]) -> list[Diagnostic]:
    """Names from the spec end up in paths: none may leave the output tree or
    land on another artifact's file."""
    reason = unsafe_reason(path)
    if reason:
        return [Diagnostic(where, f"output path {path!r} {reason}")]
    if path in seen:
        return [Diagnostic(where, f"two artifacts would be written to {path!r}")]
    return []


def _source(artifact: Artifact, fallback: Location) -> Source:
    """What a validator reads; its locator holds the artifact's origins, not its data."""
    origins = replace(artifact, data=None, text=None)

    def locate(path: Path, _key: bool) -> Location:
        return origins.origin(path) or fallback

    return Source(artifact.path, artifact.data, locate, artifact.directives)


def _concluded(model: Model, checks: Checks) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Generated output must pass the same checks as hand-written files; a
    failure is reported at the spec node (or template) that produced it."""
    env = f" (environment {model.environment.name})" if model.environment.name else ""
    errors: list[Diagnostic] = []
    findings: list[Diagnostic] = []
    for _kind, checked in checks.finish():
        # The artifact path (groups[0].rules[3]) means nothing to the spec's author:
        # the location already points into the spec, and the message names the rule.
        errors.extend(
            Diagnostic(p.location, f"in the generated output{env}: {p.message}")
            for p in checked.errors
        )
        findings.extend(
            Diagnostic(f.location, f.message, (), f.check, f.severity, source=model.environment.name)
            for f in checked.findings
        )
    return errors, findings
