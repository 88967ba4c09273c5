"""Compose YAML parser events into located nodes, without recursion and within limits.

PyYAML's composers recurse (in C and in Python) and expand nothing lazily, so
deep nesting crashes them and alias bombs exhaust memory. Here the C parser's
events are composed with an explicit stack: depth, node count, anchors and
aliases are checked as events arrive, whatever the libyaml version, and the
parser never gets further than one node past a limit. See ``loader`` for the
limits and why they are what they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from paladin_obs.diagnostics import Location
from paladin_obs.limits import MAX_DEPTH, MAX_NODES

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_C_PARSER = _Loader is not yaml.SafeLoader
_IMPLICIT: dict[Any, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"

_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(Exception):
    """Input beyond a limit, or a YAML structure we refuse: where, and why."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location, self.message = location, message


class Node:
    __slots__ = ("loc", "tag")
    loc: Location
    tag: str


class Scalar(Node):
    __slots__ = ("style", "value")
    style: str | None
    value: str


class Seq(Node):
    __slots__ = ("items",)
    items: list[Node]


class Map(Node):
    __slots__ = ("key", "pairs")
    pairs: list[tuple[Node, Node]]
    #: While composing: the key whose value comes next.
    key: Node | None


class Composer:
    """Nodes from parser events, without recursion, within MAX_DEPTH and
    MAX_NODES: the parser never gets further than one node past a limit."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.anchors: dict[str, Node] = {}

    def compose(self, first_document: bool) -> Node | None:
        parser: Any = _Loader(self.text)
        try:
            parser.get_event()  # stream start
            if parser.check_event(StreamEndEvent):
                return None
            start = parser.get_event()  # document start
            root = self._tree(parser)
            parser.get_event()  # document end
            # Prometheus reads the first document of a rule file: stop here, so
            # that what follows is not even parsed.
            if not first_document and not parser.check_event(StreamEndEvent):
                event = parser.get_event()
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream",
                    start.start_mark,
                    "but found another document",
                    event.start_mark,
                )
            if self.anchors:
                self._check_expansion(root)
            return root
        finally:
            parser.dispose()

    def _check_expansion(self, root: Node) -> None:
        """Refuse a document that aliases make too large ("billion laughs",
        merge-key bombs) or too deep, before building any of it: size and depth
        bottom-up, each shared node once, without recursion. An alias back into
        its own node counts as a leaf here; building reports it."""
        max_depth, max_nodes = MAX_DEPTH, MAX_NODES
        measured: dict[int, tuple[int, int]] = {}  # id -> (nodes, depth)
        open_: set[int] = set()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                open_.discard(id(node))
                size, depth = 1, 0
                for child in children(node):
                    child_size, child_depth = measured.get(id(child), (1, 0))
                    size += child_size
                    depth = max(depth, child_depth)
                depth += 1
                if depth > max_depth:
                    raise Refused(
                        node.loc, f"nested deeper than {max_depth} levels through aliases"
                    )
                if size > max_nodes:
                    raise Refused(
                        node.loc,
                        f"document expands to more than {max_nodes:,} nodes through aliases",
                    )
                measured[id(node)] = size, depth
            elif id(node) not in measured and id(node) not in open_:
                if isinstance(node, Scalar):
                    measured[id(node)] = 1, 0
                    continue
                open_.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in children(node))

    def _tree(self, parser: Any) -> Node:
        """One node and everything under it: a loop over events with an explicit
        stack of open collections, so no input nests the Python stack."""
        get = parser.get_event
        file = self.file
        anchors = self.anchors
        implicit = _IMPLICIT
        check_surrogates = not _C_PARSER
        max_depth, max_nodes = MAX_DEPTH, MAX_NODES
        stack: list[Seq | Map] = []
        count = 0
        root: Node | None = None
        while True:
            event = get()
            kind = type(event)
            node: Node
            opens = False
            if kind is ScalarEvent:
                value: str = event.value
                tag = event.tag
                if tag is None or tag == "!":
                    tag = STR
                    if event.implicit[0]:
                        for candidate, regexp in implicit.get(value[:1], ()):
                            if regexp.match(value):
                                tag = candidate
                                break
                if check_surrogates and _SURROGATE.search(value):
                    # libyaml refuses "\ud800" escapes itself; PyYAML's parser does not.
                    raise yaml.composer.ComposerError(
                        "while parsing a quoted scalar",
                        None,
                        "found invalid Unicode character escape code",
                        event.start_mark,
                    )
                scalar = node = Scalar()
                scalar.tag, scalar.value, scalar.style = tag, value, event.style
            elif kind is AliasEvent:
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                node = anchors[event.anchor]
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                stack.pop()
                if not stack:
                    assert root is not None
                    return root
                continue
            else:  # a sequence or mapping starts
                if len(stack) >= max_depth:
                    raise Refused(self._at(event), f"nested deeper than {max_depth} levels")
                tag = event.tag
                if kind is SequenceStartEvent:
                    sequence = node = Seq()
                    sequence.tag = SEQ if tag is None or tag == "!" else tag
                    sequence.items = []
                else:
                    mapping = node = Map()
                    mapping.tag = MAP if tag is None or tag == "!" else tag
                    mapping.pairs, mapping.key = [], None
                opens = True
            if kind is not AliasEvent:
                count += 1
                if count > max_nodes:
                    raise Refused(self._at(event), f"document has more than {max_nodes:,} nodes")
                mark = event.start_mark
                node.loc = Location(file, mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    self._anchor(event.anchor, node)
            if stack:
                parent = stack[-1]
                if type(parent) is Seq:
                    parent.items.append(node)
                else:
                    assert isinstance(parent, Map)
                    if parent.key is None:
                        parent.key = node
                    else:
                        parent.pairs.append((parent.key, node))
                        parent.key = None
            elif opens:
                root = node
            else:
                return node
            if opens:
                stack.append(node)  # type: ignore[arg-type]

    def _at(self, event: Any) -> Location:
        mark = event.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def _anchor(self, anchor: str, node: Node) -> None:
        first = self.anchors.get(anchor)
        if first is not None:
            raise Refused(
                node.loc, f"duplicate anchor {anchor!r} (first defined at line {first.loc.line})"
            )
        self.anchors[anchor] = node


def children(node: Node) -> Iterator[Node]:
    if isinstance(node, Seq):
        yield from node.items
    elif isinstance(node, Map):
        for key, value in node.pairs:
            yield key
            yield value
