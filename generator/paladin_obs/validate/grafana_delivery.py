"""Validators for how dashboards reach Grafana: provisioning files and
grafana-operator ``GrafanaDashboard`` resources.

Both are small, fixed shapes that Grafana or the operator read without
telling anyone when a field is misspelt (an unknown key is ignored, a wrong
type drops the provider), so each field is checked by name and type here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.validate.base import Checked, Settings, Source

_DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_PROVIDER = {
    "name": str,
    "orgId": int,
    "folder": str,
    "folderUid": str,
    "type": str,
    "disableDeletion": bool,
    "allowUiUpdates": bool,
    "updateIntervalSeconds": int,
    "options": dict,
}


def _is(value: Any, kind: type) -> bool:
    """A value of ``kind``, as data or as the text ``validate`` reads YAML scalars as."""
    if isinstance(value, str) and kind is not str:
        if kind is int:
            return value.lstrip("-").isdigit()
        if kind is bool:
            return value in ("true", "false")
        return False
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _problems_provisioning(data: Any) -> Iterator[tuple[Path, str]]:
    if not isinstance(data, dict):
        yield (), "a provisioning file is a mapping with apiVersion and providers"
        return
    if data.get("apiVersion") not in (1, "1"):
        yield ("apiVersion",), "apiVersion must be 1"
    providers = data.get("providers")
    if not isinstance(providers, list) or not providers:
        yield ("providers",), "providers must be a non-empty list"
        return
    names: set[str] = set()
    for i, provider in enumerate(providers):
        where: Path = ("providers", i)
        if not isinstance(provider, dict):
            yield where, "a provider is a mapping"
            continue
        for key, kind in _PROVIDER.items():
            if key in provider and not _is(provider[key], kind):
                yield (*where, key), f"{key} must be a {kind.__name__}"
        for key in provider:
            if key not in _PROVIDER:
                yield (*where, key), f"unknown provider field {key!r} (Grafana ignores it)"
        name = provider.get("name")
        if not isinstance(name, str) or not name:
            yield (*where, "name"), "every provider needs a name"
        elif name in names:
            yield (*where, "name"), f"provider name {name!r} is used twice"
        else:
            names.add(name)
        if provider.get("type", "file") != "file":
            yield (*where, "type"), "type must be file"
        options = provider.get("options")
        path = options.get("path") if isinstance(options, dict) else None
        if not isinstance(path, str) or not path:
            yield (
                (*where, "options", "path"),
                "options.path (the directory Grafana reads) is required",
            )


def _problems_operator(data: Any) -> Iterator[tuple[Path, str]]:
    if not isinstance(data, dict):
        yield (), "a GrafanaDashboard resource is a mapping"
        return
    if data.get("apiVersion") != gconv.OPERATOR_API_VERSION:
        yield ("apiVersion",), f"apiVersion must be {gconv.OPERATOR_API_VERSION}"
    if data.get("kind") != "GrafanaDashboard":
        yield ("kind",), "kind must be GrafanaDashboard"
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(name, str) or len(name) > 253 or not _DNS1123.match(name):
        yield ("metadata", "name"), f"metadata.name {name!r} is not a Kubernetes name (DNS-1123)"
    spec = data.get("spec")
    if not isinstance(spec, dict):
        yield ("spec",), "spec is required"
        return
    selector = spec.get("instanceSelector")
    if not isinstance(selector, dict):
        yield ("spec", "instanceSelector"), "instanceSelector is required (which Grafanas load it)"
    text = spec.get("json")
    try:
        board = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError as exc:
        yield ("spec", "json"), f"spec.json is not JSON: {exc.msg} at line {exc.lineno}"
        return
    if not isinstance(board, dict):
        yield ("spec", "json"), "spec.json must hold the dashboard JSON object"


def _check(sources: Sequence[Source], problems: Any) -> Checked:
    out = Checked()
    for source in sources:
        for path, message in problems(source.data):
            out.errors.append(
                Diagnostic(source.locate(path, False), f"{source.name}: {message}", path)
            )
    return out


class Provisioning:
    @staticmethod
    def check(sources: Sequence[Source], settings: Settings) -> Checked:
        del settings
        return _check(sources, _problems_provisioning)


class Operator:
    @staticmethod
    def check(sources: Sequence[Source], settings: Settings) -> Checked:
        del settings
        return _check(sources, _problems_operator)


def is_provisioning(data: Any) -> bool:
    return isinstance(data, dict) and "providers" in data and "apiVersion" in data


def is_operator(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == "GrafanaDashboard"
