"""Deterministic JSON: the key order the target chose, two-space indent, ASCII only.

ASCII escapes keep the bytes identical whatever the platform's encoding, and
a trailing newline keeps editors and ``git diff`` quiet. NaN and infinities
are not JSON: Grafana's parser rejects them, so meeting one is a target bug.

The text is exactly ``json.dumps(data, indent=2, ensure_ascii=True,
allow_nan=False)``, but written by one recursive function with C string
escaping: with ``indent`` the standard library falls back to its pure-Python
generator encoder, which made dashboards (thousands of small values) the
slowest part of serialising. Anything unusual (keys that are not strings,
types JSON does not know) goes to ``json.dumps`` itself, errors included.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring_ascii
from typing import Any


class _Unusual(Exception):
    """Data the fast path does not handle; ``json.dumps`` decides."""


def dump_json(data: Any) -> str:
    out: list[str] = []
    try:
        _write(data, out, "\n")
    except _Unusual:
        return json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    out.append("\n")
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(encode_basestring_ascii(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif type(value) is float:
        if not math.isfinite(value):
            raise _Unusual
        out.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(("{" if first else ",") + inner + encode_basestring_ascii(key) + ": ")
            first = False
            _write(item, out, inner)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        for i, item in enumerate(value):
            out.append(("[" if i == 0 else ",") + inner)
            _write(item, out, inner)
        out.append(newline + "]")
    else:
        raise _Unusual
