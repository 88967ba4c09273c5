"""Deterministic Grafana Alloy configuration text from a small typed model.

Targets describe an Alloy file as data (``Document`` of ``Block`` and
``Attribute``); ``dump_alloy`` is the only place that knows the syntax, so no
value can change the structure of the file it lands in, and the same data
always gives the same bytes.

Rules checked against Alloy's own scanner, parser and evaluator (grafana/alloy,
``syntax/scanner``, ``syntax/parser``, ``syntax/vm``), not just its docs:

* A string that would need escaping (it holds ``\\`` or ``"``, as regexes
  and Go templates do) and can be written raw (printable ASCII, no backtick)
  is written as a backtick raw string, which Alloy takes verbatim: a regex
  then reads as the user wrote it. Any other string is double-quoted and
  evaluated with Go's ``strconv.Unquote``. We write ``\\\\``, ``\\"``, ``\\n``, ``\\r`` and ``\\t``; every other C0 control
  character and DEL as ``\\xNN``; every non-ASCII character as ``\\uNNNN`` or
  ``\\UNNNNNNNN``. The output is therefore pure ASCII, whatever the platform's
  encoding, and one string never spans lines. ``\\'`` is never written: the docs
  list it, but the scanner and ``strconv.Unquote`` both reject it in a
  double-quoted string. ``${`` and ``{{`` have no meaning in Alloy strings
  and are written as they are. Lone surrogates cannot be written (Alloy
  rejects ``\\uD800``) and raise ``ValueError``.
* Identifiers are restricted to ASCII ``[A-Za-z_][A-Za-z0-9_]*`` (Alloy also
  takes Unicode letters, which would break ASCII output), and ``true``,
  ``false`` and ``null`` are keywords, not identifiers.
* A block label is written between double quotes but Alloy checks the raw text
  between them, unescaped, as an identifier: a label must be an identifier.
* A quoted object key is taken verbatim between its quotes, escapes are *not*
  decoded (``syntax/vm`` uses the raw text). A key that is not an identifier is
  therefore quoted only when it needs no escape (printable ASCII without ``"``
  or ``\\``); anything else, and the empty key, raises ``ValueError``.
* Numbers: ``int`` must fit Alloy's int64 or uint64 literals (larger ones
  silently become floats there); ``float`` is written with ``repr`` (shortest
  text that reads back to the same double, always with ``.`` or ``e`` so it
  stays a float); NaN and infinities have no literal and raise ``ValueError``.

An invalid name, label, reference or key is a bug in the target that built the
data, not user input, so it raises instead of being repaired.

Layout: two spaces per level; statements keep their order (order matters, for
example for ``loki.process`` stages); object keys keep the order the target
chose. Inside a body, consecutive attributes stay on adjacent lines and a
blank line separates any block from the statement before and after it. A
block with an empty body is ``name "label" { }``. An empty array or object is
``[]`` / ``{}``. An array or object with exactly one element whose own value is
inline is written inline (``[loki.write.default.receiver]``,
``{ level = "level" }``); any other is written one element per line, each
followed by a comma (Alloy requires the trailing comma when the closing
bracket is on its own line). A non-empty document ends with one newline.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TypeAlias

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS = frozenset({"true", "false", "null"})
# Printable ASCII that may sit verbatim between the quotes of an object key.
_SAFE_KEY = re.compile(r"[ !#-\[\]-~]+")
_INT_MIN = -(2**63)  # int64 literal (negation is applied to the int64)
_INT_MAX = 2**64 - 1  # uint64 literal
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INDENT = "  "


def is_identifier(text: str) -> bool:
    """True if ``text`` is an identifier this module will write bare."""
    return _IDENT.fullmatch(text) is not None and text not in _KEYWORDS


def _check_identifier(text: object, what: str) -> None:
    if not isinstance(text, str) or not is_identifier(text):
        raise ValueError(f"invalid Alloy {what}: {text!r}")


def _check_path(text: object, what: str) -> None:
    if not isinstance(text, str) or not all(is_identifier(part) for part in text.split(".")):
        raise ValueError(f"invalid Alloy {what}: {text!r}")


@dataclass(frozen=True)
class Ref:
    """An unquoted reference such as ``loki.write.default.receiver``.

    Only dotted identifier paths: no indexing, calls or operators.
    """

    expr: str

    def __post_init__(self) -> None:
        _check_path(self.expr, "reference")


Value: TypeAlias = str | int | float | bool | Ref | list["Value"] | dict[str, "Value"] | None


@dataclass(frozen=True)
class Attribute:
    """``name = value`` inside a body."""

    name: str
    value: Value

    def __post_init__(self) -> None:
        _check_identifier(self.name, "attribute name")


@dataclass(frozen=True)
class Block:
    """``name "label" { body }``; ``name`` is a dotted identifier path."""

    name: str
    label: str | None = None
    body: tuple[Attribute | Block, ...] = ()

    def __post_init__(self) -> None:
        _check_path(self.name, "block name")
        if self.label is not None:
            _check_identifier(self.label, "block label")


@dataclass(frozen=True)
class Document:
    """A whole Alloy file: top-level attributes and blocks, in order."""

    body: tuple[Attribute | Block, ...] = ()


_RAW_SAFE = re.compile(r"[ -_a-~]*")  # printable ASCII without the backtick (0x60)


def quote_string(value: str) -> str:
    """``value`` as an ASCII Alloy string literal that evaluates back to it: raw
    (backticks) when it needs escapes and can be raw, else double-quoted."""
    if ("\\" in value or '"' in value) and _RAW_SAFE.fullmatch(value):
        return f"`{value}`"
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x7F:
            out.append(ch)
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"lone surrogate U+{code:04X} cannot be written in Alloy")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"Alloy object keys must be str, got {type(key).__name__}")
    if is_identifier(key):
        return key
    if _SAFE_KEY.fullmatch(key) is None:
        # Alloy keeps a quoted key's text raw (no unescaping): no escape could
        # carry these characters, and "" is not read back as the empty key.
        raise ValueError(f"object key cannot be written in Alloy: {key!r}")
    return f'"{key}"'


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise ValueError(f"integer {value} does not fit an Alloy number")
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Alloy literal")
        return float.__repr__(value)
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, Ref):
        return value.expr
    raise TypeError(f"unsupported Alloy value type {type(value).__name__}")


def _is_inline(value: object) -> bool:
    if isinstance(value, list):
        return len(value) == 0 or (len(value) == 1 and _is_inline(value[0]))
    if isinstance(value, dict):
        return len(value) == 0 or (len(value) == 1 and _is_inline(next(iter(value.values()))))
    return True


def _value(value: object, level: int) -> str:
    if isinstance(value, list):
        if _is_inline(value):
            return "[" + "".join(_value(item, level) for item in value) + "]"
        pad = _INDENT * (level + 1)
        items = [f"{pad}{_value(item, level + 1)},\n" for item in value]
        return "[\n" + "".join(items) + _INDENT * level + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if _is_inline(value):
            ((key, item),) = value.items()
            return "{ " + _key(key) + " = " + _value(item, level) + " }"
        pad = _INDENT * (level + 1)
        fields = [f"{pad}{_key(k)} = {_value(v, level + 1)},\n" for k, v in value.items()]
        return "{\n" + "".join(fields) + _INDENT * level + "}"
    return _scalar(value)


def _body(body: object, level: int, out: list[str]) -> None:
    if not isinstance(body, tuple):
        raise TypeError(f"an Alloy body must be a tuple, got {type(body).__name__}")
    pad = _INDENT * level
    previous: Attribute | Block | None = None
    for stmt in body:
        if not isinstance(stmt, Attribute | Block):
            raise TypeError(f"an Alloy body holds Attribute or Block, got {type(stmt).__name__}")
        if previous is not None and (isinstance(stmt, Block) or isinstance(previous, Block)):
            out.append("\n")
        if isinstance(stmt, Attribute):
            out.append(f"{pad}{stmt.name} = {_value(stmt.value, level)}\n")
        else:
            head = stmt.name if stmt.label is None else f'{stmt.name} "{stmt.label}"'
            if not stmt.body:
                out.append(f"{pad}{head} {{ }}\n")
            else:
                out.append(f"{pad}{head} {{\n")
                _body(stmt.body, level + 1, out)
                out.append(f"{pad}}}\n")
        previous = stmt


def dump_alloy(doc: Document) -> str:
    """Alloy configuration text for ``doc``: ASCII, deterministic, newline-terminated."""
    if not isinstance(doc, Document):
        raise TypeError(f"dump_alloy takes a Document, got {type(doc).__name__}")
    out: list[str] = []
    _body(doc.body, 0, out)
    return "".join(out)
