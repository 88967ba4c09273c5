"""``paladin-obs export openslo``: the spec's SLOs as OpenSLO v1 files.

One multi-document file per SLO, ``<out>/[<environment>/]<service>/<slo>.yaml``
(see ``exporters.openslo`` for what it holds), so each file imports on its
own. Every document is checked against our OpenSLO v1 schema before anything
is written. Files are written like ``generate`` writes rules: each carries an
ownership record, a file we did not write is never touched, a hand-edited
export is refused, and exports of SLOs that are gone are removed. The record
names the spec with an ``#openslo`` suffix, so an export and ``generate``
sharing a directory never take each other's files for their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paladin_obs import ownership
from paladin_obs.commands.build import input_report
from paladin_obs.commands.files import describe
from paladin_obs.commands.writing import write_tree
from paladin_obs.diagnostics import Diagnostic, InputError
from paladin_obs.exporters.openslo import ExportError, slo_documents
from paladin_obs.formats.yaml_text import dump_yaml
from paladin_obs.importers.openslo_common import schema_messages
from paladin_obs.loader import load_file
from paladin_obs.lock import DEFAULT_TIMEOUT
from paladin_obs.pipeline import spec_identity
from paladin_obs.report import Report
from paladin_obs.resolve import resolve
from paladin_obs.write import Change, OutFile

DEFAULT_OUT = "openslo"


def run(spec: str, out_dir: str = DEFAULT_OUT, *, lock_timeout: float = DEFAULT_TIMEOUT) -> Report:
    try:
        doc = load_file(spec)
        models = resolve(doc)
    except InputError as exc:
        return input_report(exc)
    identity = spec_identity(doc, out_dir) + "#openslo"
    raw_services: dict[str, Any] = doc.data.get("services") or {}
    files: dict[str, OutFile] = {}
    problems: list[Diagnostic] = []
    count = 0
    for model in models:
        env = model.environment.name
        for service in model.services:
            description = str((raw_services.get(service.name) or {}).get("description") or "")
            for slo in service.slos:
                count += 1
                rel = "/".join([*([env] if env else []), service.name, f"{slo.name}.yaml"])
                try:
                    docs = slo_documents(slo, description)
                except ExportError as exc:
                    problems.append(
                        Diagnostic(slo.location, f"cannot export SLO {slo.id} to OpenSLO: {exc}")
                    )
                    continue
                for data in docs:
                    for message in schema_messages(data):
                        kind, name = data["kind"], data["metadata"]["name"]
                        problems.append(
                            Diagnostic(
                                slo.location,
                                f"the exported OpenSLO {kind} {name!r} breaks the OpenSLO v1 schema: {message}",
                            )
                        )
                body = "---\n".join(dump_yaml(d) for d in docs)
                files[rel] = OutFile(_stamp(body, identity, env, rel), env)
    if problems:
        return Report(problems=tuple(problems), summary="nothing was written.", exit_code=2)
    return _write(
        Path(out_dir), out_dir, dict(sorted(files.items())), identity, count, lock_timeout
    )


def _stamp(body: str, identity: str, env: str, rel: str) -> bytes:
    """Our ownership record (so ``write`` treats the file as ours), under a
    header that names the command that regenerates the file."""
    spec = ownership.display(identity.removesuffix("#openslo"))
    where = f", environment {ownership.display(env)}" if env else ""
    head = (
        f"# Exported by paladin-obs from spec {spec}{where} as OpenSLO v1. DO NOT EDIT.\n"
        "# Change the spec and run `paladin-obs export openslo`; read back with `paladin-obs import openslo`.\n"
    )
    record = ownership.Record(identity, env, rel, ownership.digest(head + body))
    return f"{head}# {ownership.RECORD_TAG} {ownership.record_json(record)}\n{body}".encode()


def _write(
    root: Path, out: str, files: dict[str, OutFile], identity: str, count: int, lock_timeout: float
) -> Report:
    def refuse(blocked: list[Change]) -> Report:
        return Report(
            problems=tuple(describe(c, out, full_diff=False) for c in blocked),
            summary=f"refused to touch {len(blocked)} file(s); nothing was written.",
            exit_code=2,
        )

    plan = write_tree(
        root,
        out,
        files,
        identity,
        (".",),
        command="export openslo",
        lock_timeout=lock_timeout,
        refuse=refuse,
    )
    if isinstance(plan, Report):
        return plan
    created = len(plan.of("create"))
    updated = len(plan.of("stale"))
    removed = len(plan.of("orphaned", "leftover"))
    return Report(
        summary=f"{count} SLO(s) exported as OpenSLO v1 to {len(files)} file(s) in {out}: {created} created, "
        f"{updated} updated, {removed} removed, {len(plan.of('unchanged'))} unchanged."
    )
