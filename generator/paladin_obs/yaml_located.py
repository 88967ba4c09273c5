"""The located loader's PyYAML side: composing any YAML (flow style, anchors,
several documents) into located nodes, and PyYAML's errors as located
messages that say what is likely wrong and how to fix it.

Imported only when a file is not in the block-style subset ``yaml_fast``
reads, so ``validate`` on plain rule files never imports PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import yaml
from yaml.events import StreamEndEvent

from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.document import Document
from paladin_obs.text_input import LINE_BREAK, line_col
from paladin_obs.yaml_build import Builder
from paladin_obs.yaml_nodes import Composer, Node, Refused, _Loader

__all__ = ["build_all", "build_one"]

_T = TypeVar("_T")


def build_one(text: str, file: str, text_scalars: bool, first_document: bool) -> Document:
    """The (first) document of ``text``, composed and built with positions."""
    node = _composed(lambda: Composer(text, file).compose(first_document), text, file)
    doc = Document(file, None, text=text)
    if node is None:
        return doc
    builder = Builder(doc, text_scalars)
    doc.data = builder.build(node)
    if builder.errors:
        raise InputError(builder.errors)
    return doc


def build_all(text: str, file: str) -> list[Document]:
    """Every document of ``text``, each built with positions."""
    nodes = _composed(lambda: _AllComposer(text, file).compose_all(), text, file)
    docs = []
    for node in nodes:
        doc = Document(file, None)
        builder = Builder(doc, False)
        doc.data = builder.build(node)
        if builder.errors:
            raise InputError(builder.errors)
        docs.append(doc)
    return docs


class _AllComposer(Composer):
    """The composer's one-document walk, repeated until the stream ends."""

    def compose_all(self) -> list[Node]:
        parser: Any = _Loader(self.text)
        roots: list[Node] = []
        try:
            parser.get_event()  # stream start
            while not parser.check_event(StreamEndEvent):
                parser.get_event()  # document start
                self.anchors = {}
                root = self._tree(parser)
                parser.get_event()  # document end
                if self.anchors:
                    self._check_expansion(root)
                roots.append(root)
            return roots
        finally:
            parser.dispose()


def _composed(compose: Callable[[], _T], text: str, file: str) -> _T:
    """Run ``compose``; parser and limit errors become located InputErrors."""
    try:
        return compose()
    except Refused as exc:
        raise InputError([Diagnostic(exc.location, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(file, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = line_col(text, exc.position)
        raise InputError(
            [Diagnostic(Location(file, line, col), f"YAML error: {exc.reason}")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Location(file), f"YAML error: {exc}")]) from None


def _yaml_error(file: str, exc: yaml.MarkedYAMLError, text: str = "") -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    parts = [p for p in (exc.context, exc.problem) if p]
    original = ", ".join(parts) or "malformed document"
    plain = _plain_yaml_error(exc, text)
    message = f"{plain} ({original})" if plain else original
    return Diagnostic(loc, "YAML syntax error: " + message)


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "above"


def _plain_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> str:
    """libyaml's (or PyYAML's) common messages as the likely cause and its fix."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    line = ""
    if mark is not None:
        lines = LINE_BREAK.split(text)
        line = lines[mark.line] if mark.line < len(lines) else ""
    char = line[mark.column] if mark is not None and mark.column < len(line) else ""
    if "quoted scalar" in context and "end of stream" in problem:
        return f"unclosed quote: the quoted value at {_at(opened)} has no closing quote"
    for what, close, name in (("flow sequence", "]", "list"), ("flow mapping", "}", "mapping")):
        if what in context and ("expected ','" in problem or "end of stream" in problem):
            return (
                f"unclosed '{'[' if close == ']' else '{'}': the {name} opened at {_at(opened)} "
                f"needs a closing '{close}' (and ',' between its items)"
            )
    if "mapping values are not allowed" in problem:
        return (
            "unexpected ':': bad indentation (this line is indented more than the key above "
            "it expects), or a value that contains ': ' and needs quotes"
        )
    if "could not find expected ':'" in problem:
        return (
            f"the line at {_at(opened)} is neither a key (add ':' after it) nor part of a "
            "value (indent it further, or quote the value)"
        )
    if "cannot start any token" in problem:
        if char == "\t" or "'\\t'" in problem:
            return "a tab character: YAML indents with spaces only; replace the tab with spaces"
        shown = f"{char!r}" if char.strip() else "this character"
        return f"a plain value cannot start with {shown}: quote the value"
    if "block mapping" in context and (
        "expected <block end>" in problem or "did not find expected key" in problem
    ):
        if mark is not None and line[: mark.column].strip():
            return (
                "text after a value where a new key was expected: put the whole value inside "
                "the quotes, or start the key on its own line"
            )
        if line.lstrip(" ").startswith("-"):
            return (
                f"a list item among the keys of the mapping at {_at(opened)}: put the list "
                "under a key (key: then the items indented below it)"
            )
        return (
            f"bad indentation: this line is indented more than the keys of the mapping at "
            f"{_at(opened)} but is not nested under one of them; line it up with the keys "
            "it belongs to"
        )
    if ("block sequence" in context or "block collection" in context) and (
        "expected <block end>" in problem or "did not find expected '-'" in problem
    ):
        if not line.lstrip(" ").startswith("-"):
            return (
                f"a key among the items of the list at {_at(opened)}: a list and a mapping "
                "cannot share one level; indent the key under an item ('- ')"
            )
        return (
            f"bad indentation: this line does not line up with the list items at {_at(opened)}; "
            "start each item with '- ' at the same column"
        )
    return ""
