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

Reading, decoding and checking the text lives in ``text_input``; composing in
``yaml_nodes``, building data in ``yaml_build``, PyYAML's errors in
``yaml_located`` (imported only when needed). Rule files in the block-style
subset of YAML people write them in are read by ``yaml_fast`` instead (five
times faster, and without importing PyYAML), which gives up on anything else.

The garbage collector is paused while composing and building (a collection
pass every few hundred new objects made large files three times slower to
load; ``heap.building``); the few cycles a recursive alias makes (an error)
are collected afterwards.
"""

from __future__ import annotations

from pathlib import Path as FsPath

from paladin_obs import heap
from paladin_obs.document import Document
from paladin_obs.limits import MAX_DEPTH, MAX_ERRORS, MAX_NODES
from paladin_obs.text_input import MAX_BYTES, checked, read_text
from paladin_obs.yaml_fast import load_block_yaml

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


def load_file(
    path: str | FsPath,
    *,
    display: str | None = None,
    text_scalars: bool = False,
    first_document: bool = False,
) -> Document:
    """Read and load one YAML file; every failure becomes an InputError."""
    name = display or str(path)
    text = read_text(path, name)
    return load_text(text, name, text_scalars=text_scalars, first_document=first_document)


def load_file_documents(path: str | FsPath, *, display: str | None = None) -> list[Document]:
    """Every document of a multi-document YAML file (``---``), each located in
    that file, for formats that keep several objects in one file (Sloth,
    Kubernetes). Same limits as ``load_file``, per document; anchors do not
    cross documents (YAML's rule). An empty document loads as ``None`` data."""
    from paladin_obs.yaml_located import build_all

    name = display or str(path)
    text = checked(read_text(path, name), name)
    with heap.building():
        return build_all(text, name)


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
    text = checked(text, file)
    with heap.building():
        return _load(text, file, text_scalars, first_document)


def _load(text: str, file: str, text_scalars: bool, first_document: bool) -> Document:
    if text_scalars and first_document:
        # Rule files: the block-style subset is read directly, everything else
        # (and every error) by the located loader; see ``yaml_fast``.
        fast = load_block_yaml(text, file)
        if fast is not None:
            return fast
    from paladin_obs.yaml_located import build_one

    return build_one(text, file, text_scalars, first_document)
