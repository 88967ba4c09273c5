"""Load YAML into plain data while remembering where every node came from.

PyYAML's constructors lose positions and silently let a duplicate key win, and
YAML 1.1 reads ``on``/``NO`` as booleans. We compose nodes (C parser, fast) and
build the data ourselves so that each value keeps its file:line:column, a
duplicate key is an error, a 1.1 boolean is remembered for a better message
should a string have been meant, and aliases can neither recurse nor explode.
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
    #: Scalars written as ``|`` or ``>`` blocks: their text starts on the next line.
    block_scalars: set[Path] = field(default_factory=set)

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

    def yaml11_hint(self, path: Path) -> str:
        """Why a value at (or under) ``path`` is a boolean although text was meant."""
        for probe, text in self.yaml11_bools.items():
            if probe[: len(path)] == path:
                return f'YAML 1.1 reads unquoted {text!r} as a boolean; quote it ("{text}")'
        return ""

    def at(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.where(path, key=key), message, path)


def load_file(
    path: str | FsPath,
    *,
    display: str | None = None,
    text_scalars: bool = False,
    first_document: bool = False,
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
    return load_text(text, name, text_scalars=text_scalars, first_document=first_document)


def load_text(
    text: str, file: str, *, text_scalars: bool = False, first_document: bool = False
) -> Document:
    """Compose ``text`` and build located data; an empty document is ``None``.

    ``text_scalars`` keeps every non-null scalar as its source text, as Go's
    YAML decoder does when the target is a string (rule files: ``for: 5m``,
    ``severity: on``); type checks are then the caller's. ``first_document``
    reads only the first of several documents, as Prometheus does with rule
    files; a spec must be a single document.
    """
    try:
        node = _compose(text, first_document)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(file, exc)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise InputError(
            [Diagnostic(Location(file, line, col), f"YAML error: {exc.reason}")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Location(file), f"YAML error: {exc}")]) from None
    doc = Document(file, None)
    if node is None:
        return doc
    builder = _Builder(doc, text_scalars)
    doc.data = builder.build(node, ())
    if builder.errors:
        raise InputError(builder.errors)
    return doc


def _compose(text: str, first_document: bool) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if not first_document or exc.problem != "but found another document":
            raise
    finally:
        loader.dispose()
    # Several documents: the pure-Python composer stops cleanly after the first
    # (libyaml's binding can fail on a broken second document instead).
    pure = yaml.SafeLoader(text)
    try:
        return pure.get_node() if pure.check_node() else None
    finally:
        pure.dispose()


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _yaml_error(file: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    parts = [p for p in (exc.context, exc.problem) if p]
    return Diagnostic(loc, "YAML syntax error: " + (", ".join(parts) or "malformed document"))


def _mark(doc: Document, node: yaml.Node) -> Location:
    return Location(doc.file, node.start_mark.line + 1, node.start_mark.column + 1)


#: Aliases let a small file expand to billions of nodes ("billion laughs"); a
#: real spec or rule file with 50,000 rules stays far below this.
MAX_NODES = 2_000_000


class _TooLarge(Exception):
    pass


class _Builder:
    """Builds data from a node graph: positions, duplicate keys, merge keys, and
    guards against recursive or exploding aliases."""

    def __init__(self, doc: Document, text: bool) -> None:
        self.doc = doc
        self.text = text
        self.errors: list[Diagnostic] = []
        self.nodes = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node, path: Path) -> Any:
        try:
            return self._node(node, path)
        except _TooLarge:
            self.errors.append(
                Diagnostic(
                    Location(self.doc.file, 1, 1),
                    f"document expands to more than {MAX_NODES:,} nodes through aliases",
                )
            )
            return None

    def _node(self, node: yaml.Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        self.doc.positions[path] = _mark(self.doc, node)
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                self.doc.block_scalars.add(path)
            if self.text and node.tag != _NULL:
                return node.value
            return _scalar(node, path, self.doc)
        if id(node) in self.active:
            self.errors.append(Diagnostic(_mark(self.doc, node), "recursive alias", path))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            assert isinstance(node, yaml.SequenceNode)
            return [self._node(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _pairs(
        self, node: yaml.MappingNode
    ) -> tuple[list[tuple[yaml.Node, yaml.Node]], list[tuple[yaml.Node, yaml.Node]]]:
        """Own pairs, and pairs merged in with ``<<`` (YAML merge keys, which Go's
        decoder and so promtool accept); own keys win, earlier merges win."""
        own, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode) or id(source) in self.active:
                    self.errors.append(
                        Diagnostic(
                            _mark(self.doc, source),
                            "a merge key (<<) needs a mapping or a list of mappings",
                        )
                    )
                    continue
                self.active.add(id(source))
                try:
                    sub_own, sub_merged = self._pairs(source)
                finally:
                    self.active.discard(id(source))
                merged.extend(sub_own + sub_merged)
        return own, merged

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        own, merged = self._pairs(node)
        for key_node, value_node in own:
            if not isinstance(key_node, yaml.ScalarNode):
                self.errors.append(
                    Diagnostic(_mark(self.doc, key_node), "mapping keys must be scalars", path)
                )
                continue
            # Keys are names in every file we read: keep their text, so `on:` or `1:` stays a name.
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                first = self.doc.key_positions[child]
                self.errors.append(
                    Diagnostic(
                        _mark(self.doc, key_node),
                        f"duplicate key {key!r} (first defined at line {first.line})",
                        child,
                    )
                )
                continue
            self.doc.key_positions[child] = _mark(self.doc, key_node)
            out[key] = self._node(value_node, child)
        for key_node, value_node in merged:
            key = str(key_node.value)
            if isinstance(key_node, yaml.ScalarNode) and key not in out:
                child = (*path, key)
                self.doc.key_positions[child] = _mark(self.doc, key_node)
                out[key] = self._node(value_node, child)
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
