"""Load YAML into plain data while remembering where every node came from.

PyYAML's constructors lose positions and silently let a duplicate key win, and
YAML 1.1 reads ``on``/``NO`` as booleans. We compose nodes (C parser, fast) and
build the data ourselves so that each value keeps its file:line:column, a
duplicate key is an error, and a 1.1 boolean is remembered for a better message
should a string have been meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.SafeLoader("")  # only its scalar constructors are used

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_YAML12_BOOLS = frozenset({"true", "false"})


@dataclass
class Document:
    """Loaded data plus the location of every value and every mapping key."""

    file: str
    data: Any
    positions: dict[Path, Location] = field(default_factory=dict)
    key_positions: dict[Path, Location] = field(default_factory=dict)
    yaml11_bools: dict[Path, str] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> Location:
        """Best location for ``path``: the key when asked, else the value,
        else the nearest enclosing node that exists."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        probe = path
        while True:
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe[:-1]

    def at(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.where(path, key=key), message, path)


def load_file(
    path: str | FsPath, *, display: str | None = None, text_scalars: bool = False
) -> Document:
    """Read and load one YAML file; every failure becomes an InputError."""
    name = display or str(path)
    try:
        text = FsPath(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError([Diagnostic(Location(name), "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(Location(name), "is a directory, not a file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            [Diagnostic(Location(name), f"not UTF-8 text (byte {exc.start})")]
        ) from None
    except OSError as exc:
        raise InputError([Diagnostic(Location(name), f"cannot read: {exc.strerror}")]) from None
    return load_text(text, name, text_scalars=text_scalars)


def load_text(text: str, file: str, *, text_scalars: bool = False) -> Document:
    """Compose ``text`` and build located data; an empty document is ``None``.

    ``text_scalars`` keeps every non-null scalar as its source text, as Go's
    YAML decoder does when the target is a string (rule files: ``for: 5m``,
    ``severity: on``); type checks are then the caller's.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(file, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Location(file), f"YAML error: {exc}")]) from None
    doc = Document(file, None)
    if node is None:
        return doc
    errors: list[Diagnostic] = []
    doc.data = _build(node, (), doc, errors, text_scalars)
    if errors:
        raise InputError(errors)
    return doc


def _yaml_error(file: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    parts = [p for p in (exc.context, exc.problem) if p]
    return Diagnostic(loc, "YAML syntax error: " + (", ".join(parts) or "malformed document"))


def _mark(doc: Document, node: yaml.Node) -> Location:
    return Location(doc.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: Path, doc: Document, errors: list[Diagnostic], text: bool) -> Any:
    doc.positions[path] = _mark(doc, node)
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, doc, errors, text)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, errors, text) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if text and node.tag != _NULL:
        return node.value
    return _scalar(node, path, doc)


def _build_mapping(
    node: yaml.MappingNode, path: Path, doc: Document, errors: list[Diagnostic], text: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            errors.append(
                Diagnostic(_mark(doc, key_node), "merge keys (<<) are not supported", path)
            )
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            errors.append(Diagnostic(_mark(doc, key_node), "mapping keys must be scalars", path))
            continue
        # Keys are names in every file we read: keep their text, so `on:` or `1:` stays a name.
        key = str(key_node.value)
        child = (*path, key)
        if key in out:
            first = doc.key_positions[child]
            errors.append(
                Diagnostic(
                    _mark(doc, key_node),
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    child,
                )
            )
            continue
        doc.key_positions[child] = _mark(doc, key_node)
        out[key] = _build(value_node, child, doc, errors, text)
    return out


def _scalar(node: yaml.ScalarNode, path: Path, doc: Document) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _BOOL:
        text = node.value
        if text.lower() not in _YAML12_BOOLS:
            doc.yaml11_bools[path] = text
        return text.lower() in ("yes", "true", "on", "y")
    if tag == _NULL:
        return None
    if tag == _INT:
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == _FLOAT:
        return _CONSTRUCTOR.construct_yaml_float(node)
    # Timestamps and any other implicit type stay text: nothing we read wants dates.
    return node.value
