"""Load YAML into plain data while remembering where every node came from.

PyYAML's constructors lose positions and silently let a duplicate key win, and
YAML 1.1 reads ``on``/``NO`` as booleans. We take the parser's events (C
parser, fast) and compose and build the data ourselves so that each value
keeps its file:line:column, a duplicate key is an error, a 1.1 boolean is
remembered for a better message should a string have been meant, and aliases
can neither recurse nor explode.

Hostile input is refused with a located message, in bounded time and memory,
whatever the libyaml version (or none):

* ``MAX_BYTES`` (16 MiB): a 10,000-rule file like ours is 5.5 MB, so real
  files have room to grow almost threefold; a larger file is refused before it
  is decoded (only ``MAX_BYTES + 1`` bytes are ever read: ``/dev/zero`` too).
* ``MAX_DEPTH`` (100 nested collections): real specs and rule files nest fewer
  than 10 levels. Composing is iterative and stops at the first collection too
  deep (libyaml 0.2.5+ stops at 1,000 levels itself, older libyaml and
  PyYAML's own parser never; PyYAML's composers recurse, in C or in Python),
  and what aliases and merge keys add is measured before building. Data handed
  on is thus never deeper than this: code that walks it recursively is safe.
* ``MAX_NODES`` (1,000,000): nodes composed from the text, counted as they
  come, and nodes once aliases are expanded ("billion laughs", merge-key
  bombs), measured on the composed graph before anything is built. Our rules
  have 40,000 nodes per MB, so 660,000 in a 16 MiB file; past a million,
  checking what was loaded takes longer than anyone waits (a few tens of µs
  per rule).
* ``MAX_ERRORS`` (1,000): problems listed for one document (a million
  duplicate keys are counted, not each reported and sorted).
* Integers beyond 64 bits, and ``!!int``/``!!float`` tags on text that is no
  number, stay text: type checks then name them, where Python would refuse
  to print a 5,000-digit integer.
* Encoding: UTF-8, or UTF-16 when a byte-order mark says so (as libyaml, and
  so promtool, read it); a leading BOM is dropped; CRLF and CR line breaks are
  YAML line breaks. Invalid bytes, control characters (NUL...) and surrogates
  are refused at their line and column.

Composing lives in ``yaml_nodes``, building data in ``yaml_build``. Rule
files in the block-style subset of YAML people write them in are read by
``yaml_fast`` instead (five times faster), which gives up on anything else.

The garbage collector is paused while composing and building (a collection
pass every few hundred new objects made large files three times slower to
load; ``heap.building``); the few cycles a recursive alias makes (an error)
are collected afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Any, TypeVar

import yaml
from yaml.events import StreamEndEvent

from paladin_obs import heap, inputs
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.document import Document
from paladin_obs.limits import MAX_FILE_BYTES
from paladin_obs.yaml_build import MAX_ERRORS, Builder
from paladin_obs.yaml_fast import load_block_yaml
from paladin_obs.yaml_nodes import (
    MAX_DEPTH,
    MAX_NODES,
    Composer,
    Node,
    Refused,
    _Loader,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_ERRORS",
    "MAX_NODES",
    "Document",
    "load_file",
    "load_file_documents",
    "load_text",
]

#: Largest file read, in bytes (see the module docstring).
MAX_BYTES = MAX_FILE_BYTES

#: Characters YAML does not allow in a stream (printable set of YAML 1.1 and
#: libyaml: tab, line breaks, NEL and the rest of Unicode minus C0/C1 controls,
#: DEL, surrogates, U+FFFE and U+FFFF).
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_PRINTABLE_ASCII = bytes([9, 10, 13, *range(0x20, 0x7F)])
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_T = TypeVar("_T")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def load_file(
    path: str | FsPath,
    *,
    display: str | None = None,
    text_scalars: bool = False,
    first_document: bool = False,
) -> Document:
    """Read and load one YAML file; every failure becomes an InputError."""
    name = display or str(path)
    text = _read_text(path, name)
    return load_text(text, name, text_scalars=text_scalars, first_document=first_document)


def load_file_documents(path: str | FsPath, *, display: str | None = None) -> list[Document]:
    """Every document of a multi-document YAML file (``---``), each located in
    that file, for formats that keep several objects in one file (Sloth,
    Kubernetes). Same limits as ``load_file``, per document; anchors do not
    cross documents (YAML's rule). An empty document loads as ``None`` data."""
    name = display or str(path)
    text = _checked(_read_text(path, name), name)
    with heap.building():
        nodes = _composed(lambda: _AllComposer(text, name).compose_all(), text, name)
        docs = []
        for node in nodes:
            doc = Document(name, None)
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


def _read_text(path: str | FsPath, name: str) -> str:
    return _decode(read_bytes(path, name), name)


def read_bytes(path: str | FsPath, name: str) -> bytes:
    """A file's bytes, or InputError (missing, a directory, unreadable, too large)."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError([Diagnostic(Location(name), "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(Location(name), "is a directory, not a file")]) from None
    except OSError as exc:
        raise InputError([Diagnostic(Location(name), f"cannot read: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise _too_large(name)
    inputs.file_read(str(path), data)
    return data


def _too_large(file: str) -> InputError:
    return InputError(
        [
            Diagnostic(
                Location(file),
                f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB "
                f"({MAX_BYTES:,} bytes), the most paladin-obs reads",
            )
        ]
    )


def _decode(data: bytes, file: str) -> str:
    """UTF-8, or UTF-16 with a byte-order mark; a leading BOM is not text."""
    encoding = "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding, data = codec, data[len(bom) :]
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : max(exc.end, exc.start + 1)][:4]
        width = 1 if encoding == "utf-8" else 2
        # Everything before the bad byte decoded: locate it in that text.
        before = data[: exc.start - exc.start % width].decode(encoding, "replace")
        line, col = _line_col(before, len(before))
        name = "UTF-8" if encoding == "utf-8" else "UTF-16"
        hint = "; a binary file?" if b"\x00" in data[:8192] and encoding == "utf-8" else ""
        raise InputError(
            [
                Diagnostic(
                    Location(file, line, col),
                    f"not {name} text (invalid {'bytes' if len(bad) > 1 else 'byte'} 0x{bad.hex()}){hint}",
                )
            ]
        ) from None


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
    text = _checked(text, file)
    with heap.building():
        return _load(text, file, text_scalars, first_document)


def _checked(text: str, file: str) -> str:
    """``text`` without a leading BOM, refused if too large or not printable."""
    if len(text) > MAX_BYTES:
        raise _too_large(file)
    if text.startswith("\ufeff"):
        text = text[1:]
    # ASCII, the common case: only C0 controls and DEL can be refused, and
    # deleting every allowed byte finds them four times faster than the regex
    # (20 ms on a 4 MB rule file); the regex still locates one.
    if text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII):
        return text
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        char = ord(bad.group())
        what = "surrogates" if 0xD800 <= char <= 0xDFFF else "control characters"
        raise InputError(
            [
                Diagnostic(
                    Location(file, line, col),
                    f"YAML error: {what} are not allowed (U+{char:04X})",
                )
            ]
        )
    return text


def _load(text: str, file: str, text_scalars: bool, first_document: bool) -> Document:
    if text_scalars and first_document:
        # Rule files: the block-style subset is read directly, everything else
        # (and every error) by the located loader below; see ``yaml_fast``.
        fast = load_block_yaml(text, file)
        if fast is not None:
            return fast
    node = _composed(lambda: Composer(text, file).compose(first_document), text, file)
    doc = Document(file, None, text=text)
    if node is None:
        return doc
    builder = Builder(doc, text_scalars)
    doc.data = builder.build(node)
    if builder.errors:
        raise InputError(builder.errors)
    return doc


def _composed(compose: Callable[[], _T], text: str, file: str) -> _T:
    """Run ``compose``; parser and limit errors become located InputErrors."""
    try:
        return compose()
    except Refused as exc:
        raise InputError([Diagnostic(exc.location, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(file, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise InputError(
            [Diagnostic(Location(file, line, col), f"YAML error: {exc.reason}")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Location(file), f"YAML error: {exc}")]) from None


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of ``text[position]``, breaking lines as YAML does."""
    lines = _LINE_BREAK.split(text[:position])
    return len(lines), len(lines[-1]) + 1


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
        lines = _LINE_BREAK.split(text)
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
