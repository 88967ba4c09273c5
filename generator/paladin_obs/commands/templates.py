"""``paladin-obs templates [NAME]``: the template library, with what each template
does and the parameters it takes.

The library is the built-in templates plus the directories a spec lists under
``defaults.templates`` (a spec's template of the same kind and name replaces the
built-in one, as when generating). Without NAME every template is listed by kind
with its parameters; with NAME, that template's full details.
"""

from __future__ import annotations

import json
from pathlib import Path as FsPath
from typing import Any

from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.loader import load_file
from paladin_obs.report import Report
from paladin_obs.suggest import did_you_mean
from paladin_obs.templates import KINDS, Library, ParamSpec, Template, builtin_dir, library

#: The spec read when none is given, if it exists (the CLI's default).
DEFAULT_SPEC = "paladin-obs.yaml"


def run(name: str | None = None, spec: str | None = None) -> Report:
    """The library listing (or one template's details) as report lines."""
    problems: list[Diagnostic] = []
    dirs = _spec_dirs(spec, problems)
    if problems:
        return Report(problems=tuple(problems), exit_code=2)
    lib = library(tuple(dirs))
    found: list[Template] = []
    for kind in KINDS:
        for tname in lib.names(kind):
            if name is not None and tname != name:
                continue
            try:
                template = lib.get(kind, tname)
            except InputError as exc:
                problems.extend(exc.diagnostics)
                continue
            if template is not None:
                found.append(template)
    if name is not None and not found and not problems:
        every = {t for kind in KINDS for t in lib.names(kind)}
        return Report(
            problems=(
                Diagnostic(
                    Location(spec or "templates"),
                    f"unknown template {name!r}" + did_you_mean(name, every),
                ),
            ),
            exit_code=2,
        )
    lines = _details(found) if name is not None else _listing(lib, found)
    summary = f"{len(found)} template(s)" + (f" named {name}" if name is not None else "") + "."
    return Report(
        problems=tuple(problems),
        lines=tuple(lines),
        summary=summary,
        exit_code=2 if problems else 0,
    )


def _spec_dirs(spec: str | None, problems: list[Diagnostic]) -> list[FsPath]:
    """The spec's ``defaults.templates`` directories, relative to the spec file."""
    path = spec if spec is not None else DEFAULT_SPEC
    if spec is None and not FsPath(path).is_file():
        return []
    try:
        doc = load_file(path)
    except InputError as exc:
        problems.extend(exc.diagnostics)
        return []
    data = doc.data if isinstance(doc.data, dict) else {}
    defaults = data.get("defaults")
    raw = defaults.get("templates", []) if isinstance(defaults, dict) else []
    base = FsPath(path).resolve().parent
    dirs = []
    for i, text in enumerate(raw if isinstance(raw, list) else []):
        where = ("defaults", "templates", i)
        if not isinstance(text, str):
            problems.append(doc.at(where, "a template directory must be a string"))
            continue
        resolved = (base / text).resolve()
        if not resolved.is_dir():
            problems.append(
                doc.at(where, f"template directory {text!r} not found (resolved to {resolved})")
            )
            continue
        dirs.append(resolved)
    return dirs


def _origin(template: Template) -> str:
    builtin = builtin_dir().resolve()
    file = FsPath(template.file).resolve()
    return "built-in" if file.is_relative_to(builtin) else str(template.file)


def _listing(lib: Library, found: list[Template]) -> list[str]:
    lines: list[str] = []
    for kind in KINDS:
        of_kind = [t for t in found if t.kind == kind]
        if not of_kind:
            continue
        if lines:
            lines.append("")
        lines.append(f"{kind}:")
        for template in of_kind:
            origin = _origin(template)
            lines.append(f"  {template.name}" + ("" if origin == "built-in" else f" ({origin})"))
            if template.about:
                lines.append(f"    {_one_line(template.about)}")
            for spec in sorted(template.params.values(), key=_param_order):
                lines.append(f"    - {_param(spec)}")
    return lines


def _details(found: list[Template]) -> list[str]:
    lines: list[str] = []
    for template in found:
        if lines:
            lines.append("")
        lines.append(f"{template.name} ({template.kind} template, {_origin(template)})")
        if template.about:
            lines.append(f"  {_one_line(template.about)}")
        lines.append(f"  file: {template.file}")
        if template.signals:
            lines.append(f"  needs signals: {', '.join(template.signals)}")
        if not template.params:
            lines.append("  parameters: none")
            continue
        lines.append("  parameters:")
        for spec in sorted(template.params.values(), key=_param_order):
            lines.append(f"    {_param(spec)}")
            if spec.metric_types:
                lines.append(f"      metric types: {', '.join(spec.metric_types)}")
    return lines


def _param_order(spec: ParamSpec) -> tuple[bool, str]:
    # Required parameters first: they are the ones a spec must set.
    return (not spec.required, spec.name)


def _param(spec: ParamSpec) -> str:
    if spec.required:
        need = "required"
    elif spec.default is None:
        need = "optional"
    else:
        need = f"default {_value(spec.default)}"
    text = f"{spec.name} ({spec.type}, {need})"
    return f"{text}: {_one_line(spec.description)}" if spec.description else text


def _value(value: Any) -> str:
    if isinstance(value, str) and value:
        return value
    return json.dumps(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())
