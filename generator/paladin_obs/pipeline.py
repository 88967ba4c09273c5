"""The one-way pipeline: load → validate spec → model → targets → validate artifacts → bytes.

Nothing here touches the output directory: ``generate`` writes what this
returns and ``check`` compares it, so both see exactly the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath

from paladin_obs import conventions as conv
from paladin_obs.artifacts import Artifact
from paladin_obs.check_rules import RuleSource, check_rule_sources
from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.loader import Document, load_file
from paladin_obs.model import Model
from paladin_obs.resolve import resolve
from paladin_obs.serialize import dump_yaml
from paladin_obs.targets import prometheus


@dataclass(frozen=True)
class Output:
    """Rendered files by relative path, and the directories whose files we own."""

    files: dict[str, bytes]
    scopes: tuple[str, ...]
    #: The spec's file name, as the generated header names it: who owns the files.
    spec_name: str


def build(spec_path: str, only_env: str | None = None) -> Output:
    return build_document(load_file(spec_path), only_env)


def build_document(doc: Document, only_env: str | None = None) -> Output:
    """Everything after loading: for callers that loaded the spec themselves."""
    models = resolve(doc, only_env)
    spec_name = FsPath(doc.file).name
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for model in models:
        artifacts = _targets(model, conv.generated_header(spec_name, model.environment.name))
        problems.extend(_validate(model, artifacts))
        for artifact in artifacts:
            files[artifact.path] = dump_yaml(artifact.data, artifact.header).encode("utf-8")
    if problems:
        raise InputError(problems)
    return Output(dict(sorted(files.items())), _scopes(only_env), spec_name)


def _scopes(only_env: str | None) -> tuple[str, ...]:
    """Directories whose generated files this run owns: one environment's tree
    with ``--env``, else every target directory (so a removed environment's
    files are pruned too)."""
    return (f"{conv.RULES_DIR}/{only_env}",) if only_env else (conv.RULES_DIR,)


def _targets(model: Model, head: str) -> list[Artifact]:
    return prometheus.generate(model, head)


def _validate(model: Model, artifacts: list[Artifact]) -> list[Diagnostic]:
    """Generated output must pass the same checks as hand-written files; a
    failure is reported at the spec node (or template) that produced it."""
    sources = []
    for artifact in artifacts:
        if artifact.kind != prometheus.KIND:
            continue

        def locate(path: Path, _key: bool, a: Artifact = artifact) -> Location:
            if path and path[-1] == "expr" and path in a.expr_origins:
                return a.expr_origins[path]
            return a.origin(path) or Location(model.spec_file)

        sources.append(RuleSource(artifact.path, artifact.data, locate))
    env = f" (environment {model.environment.name})" if model.environment.name else ""
    # The artifact path (groups[0].rules[3]) means nothing to the spec's author:
    # the location already points into the spec, and the message names the rule.
    return [
        Diagnostic(p.location, f"in the generated rules{env}: {p.message}")
        for p in check_rule_sources(sources, model.prometheus_version)
    ]
