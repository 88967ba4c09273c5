"""Build plain data from composed nodes, remembering where every value came from.

Each value keeps its file:line:column, a duplicate key is an error, a YAML 1.1
boolean is remembered for a better message should text have been meant, merge
keys are resolved as Go's decoder (and so promtool) resolves them, and the
expanded size and depth stay within the loader's limits.
"""

from __future__ import annotations

from typing import Any

import yaml

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.document import Document
from paladin_obs.limits import MAX_DEPTH, MAX_ERRORS, MAX_NODES
from paladin_obs.yaml_nodes import (
    BOOL,
    FLOAT,
    INT,
    MERGE,
    NULL,
    STR,
    Map,
    Node,
    Refused,
    Scalar,
    Seq,
)

_CONSTRUCTOR = yaml.SafeLoader("")  # only its scalar constructors are used
_YAML12_BOOLS = frozenset({"true", "false"})
#: Longest integer text worth converting: 64 bits in binary, with room for "_".
_MAX_INT_TEXT = 100


class _TooLarge(Exception):
    """Aliases or merge keys repeat nodes beyond MAX_NODES ("billion laughs")."""


class Builder:
    """Builds data from a node graph: positions, duplicate keys, merge keys, and
    guards against recursive, exploding or too deeply nested aliases."""

    def __init__(self, doc: Document, text: bool) -> None:
        self.doc = doc
        self.text = text
        self.errors: list[Diagnostic] = []
        self.dropped = 0
        self.first_dropped: Location | None = None
        self.nodes = 0
        self.max_nodes = MAX_NODES
        self.active: set[int] = set()

    def build(self, node: Node) -> Any:
        data = None
        try:
            data = self._node(node, ())
        except _TooLarge:
            self.errors.append(
                Diagnostic(
                    Location(self.doc.file, 1, 1),
                    f"document expands to more than {self.max_nodes:,} nodes through aliases",
                )
            )
        except Refused as exc:
            self.errors.append(Diagnostic(exc.location, exc.message))
        if self.first_dropped is not None:
            self.errors.append(
                Diagnostic(
                    self.first_dropped,
                    f"and {self.dropped:,} more problems from here on "
                    f"(only the first {MAX_ERRORS:,} are shown)",
                )
            )
        return data

    def _error(self, diagnostic: Diagnostic) -> None:
        """Collect a problem; past MAX_ERRORS only count them, so that a file of
        a million duplicate keys costs no more to report than to read."""
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(diagnostic)
            return
        self.dropped += 1
        if self.first_dropped is None:
            self.first_dropped = diagnostic.location

    def _node(self, node: Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise _TooLarge
        self.doc.positions[path] = node.loc
        if isinstance(node, Scalar):
            if node.style == "|" or node.style == ">":
                self.doc.block_scalars.add(path)
            if self.text and node.tag != NULL:
                return node.value
            return _scalar(node, path, self.doc)
        if id(node) in self.active:
            self._error(Diagnostic(node.loc, "recursive alias", path))
            return None
        if len(path) >= MAX_DEPTH:  # only aliases nest a composed document this deep
            raise Refused(node.loc, f"nested deeper than {MAX_DEPTH} levels through aliases")
        self.active.add(id(node))
        try:
            if isinstance(node, Map):
                return self._mapping(node, path)
            assert isinstance(node, Seq)
            out = []
            for i, item in enumerate(node.items):
                out.append(self._node(item, (*path, i)))
            return out
        finally:
            self.active.discard(id(node))

    def _pairs(
        self, node: Map, depth: int
    ) -> tuple[list[tuple[Node, Node]], list[tuple[Node, Node]]]:
        """Own pairs, and pairs merged in with ``<<`` (YAML merge keys, which Go's
        decoder and so promtool accept); own keys win, earlier merges win."""
        own: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.pairs:
            if key_node.tag != MERGE:
                own.append((key_node, value_node))
                continue
            sources = value_node.items if isinstance(value_node, Seq) else [value_node]
            for source in sources:
                if not isinstance(source, Map) or id(source) in self.active:
                    self._error(
                        Diagnostic(
                            source.loc,
                            "a merge key (<<) needs a mapping or a list of mappings",
                        )
                    )
                    continue
                if depth >= MAX_DEPTH:
                    raise Refused(
                        source.loc, f"merge keys (<<) nested deeper than {MAX_DEPTH} levels"
                    )
                self.active.add(id(source))
                try:
                    sub_own, sub_merged = self._pairs(source, depth + 1)
                finally:
                    self.active.discard(id(source))
                # Merged pairs are copies: they count like the nodes aliases repeat.
                self.nodes += len(sub_own) + len(sub_merged)
                if self.nodes > self.max_nodes:
                    raise _TooLarge
                merged.extend(sub_own)
                merged.extend(sub_merged)
        return own, merged

    def _mapping(self, node: Map, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        own, merged = self._pairs(node, 0)
        for key_node, value_node in own:
            if not isinstance(key_node, Scalar):
                self._error(Diagnostic(key_node.loc, "mapping keys must be scalars", path))
                continue
            # Keys are names in every file we read: keep their text, so `on:` or `1:` stays a name.
            key = key_node.value
            child = (*path, key)
            if key in out:
                first = self.doc.key_positions[child]
                self._error(
                    Diagnostic(
                        key_node.loc,
                        f"duplicate key {key!r} (first defined at line {first.line})",
                        child,
                    )
                )
                continue
            self.doc.key_positions[child] = key_node.loc
            out[key] = self._node(value_node, child)
        for key_node, value_node in merged:
            if isinstance(key_node, Scalar) and key_node.value not in out:
                key = key_node.value
                child = (*path, key)
                self.doc.key_positions[child] = key_node.loc
                out[key] = self._node(value_node, child)
        return out


def _scalar(node: Scalar, path: Path, doc: Document) -> Any:
    tag = node.tag
    if tag == STR:
        return node.value
    if tag == BOOL:
        text = node.value
        if text.lower() not in _YAML12_BOOLS:
            doc.yaml11_bools[path] = text
        return text.lower() in ("yes", "true", "on", "y")
    if tag == NULL:
        return None
    if tag == INT:
        # Beyond 64 bits an integer stays text, so type checks name it: Python
        # would refuse to print it (over 4,300 digits) or take long to parse it.
        if len(node.value) <= _MAX_INT_TEXT:
            try:
                number = _CONSTRUCTOR.construct_yaml_int(_yaml_node(node))
            except (ValueError, IndexError):  # an explicit !!int that is not one
                return node.value
            if -(2**63) <= number < 2**64:
                return number
        return node.value
    if tag == FLOAT:
        try:
            return _CONSTRUCTOR.construct_yaml_float(_yaml_node(node))
        except (ValueError, IndexError):  # an explicit !!float that is not one
            return node.value
    # Timestamps and any other implicit type stay text: nothing we read wants dates.
    return node.value


def _yaml_node(node: Scalar) -> yaml.ScalarNode:
    return yaml.ScalarNode(node.tag, node.value)
