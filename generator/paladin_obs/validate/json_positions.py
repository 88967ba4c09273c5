"""JSON files with the line and column of every value and key, for located findings.

The standard ``json`` module gives the verdict (strict JSON, as Grafana's Go
backend reads it: no NaN, no trailing commas) but keeps no positions. A light
scanner over the already-valid text maps each JSON path to where it stands.
It runs only when something is located, so a clean file never pays for it.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.text_input import read_bytes

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


@dataclass
class JsonDocument:
    """Loaded JSON plus a lazily built index of where each path stands."""

    file: str
    data: Any
    text: str
    _values: dict[Path, int] | None = field(default=None, repr=False)
    _keys: dict[Path, int] = field(default_factory=dict, repr=False)
    _lines: list[int] = field(default_factory=list, repr=False)

    def where(self, path: Path, *, key: bool = False) -> Location:
        """The key (when asked) or the value at ``path``, else its nearest parent."""
        if self._values is None:
            self._index()
        assert self._values is not None
        if key and path in self._keys:
            return self._location(self._keys[path])
        probe = path
        while probe not in self._values and probe:
            probe = probe[:-1]
        return self._location(self._values.get(probe, 0))

    def _location(self, offset: int) -> Location:
        line = bisect.bisect_right(self._lines, offset)
        return Location(self.file, line, offset - self._lines[line - 1] + 1)

    def _index(self) -> None:
        self._lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self._values = {}
        # Each frame: [path, is_object, next index or pending key]
        stack: list[list[Any]] = []
        pending: str | int | None = None
        expecting_key = False
        for m in _TOKEN.finditer(self.text):
            tok = m.group()
            if tok in ",:":
                if tok == "," and stack and stack[-1][1]:
                    expecting_key = True
                continue
            if tok in "}]":
                stack.pop()
                expecting_key = False
                continue
            if expecting_key:
                pending = json.loads(tok)
                self._keys[(*stack[-1][0], pending)] = m.start()
                expecting_key = False
                continue
            if not stack:
                path: Path = ()
            elif stack[-1][1]:
                path = (*stack[-1][0], pending if pending is not None else "")
            else:
                path = (*stack[-1][0], stack[-1][2])
                stack[-1][2] += 1
            self._values[path] = m.start()
            if tok in "{[":
                stack.append([path, tok == "{", 0])
                expecting_key = tok == "{"


def load_json(path: str | FsPath) -> JsonDocument:
    """Read one JSON file; anything unusable raises InputError with a location."""
    name = str(path)
    return load_json_bytes(read_bytes(path, name), name)


def load_json_bytes(raw: bytes, name: str) -> JsonDocument:
    """Decode (UTF-8, a leading BOM ignored) and parse strict JSON."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [Diagnostic(Location(name, line, column), "invalid UTF-8: JSON files must be UTF-8")]
        ) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Diagnostic(Location(name, exc.lineno, exc.colno), f"not valid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:
        raise InputError([Diagnostic(Location(name, 1, 1), f"not valid JSON: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Diagnostic(Location(name, 1, 1), "not usable: JSON nested too deeply")]
        ) from None
    return JsonDocument(name, data, text)


def _no_constant(name: str) -> Any:
    """NaN and Infinity are JavaScript, not JSON; Grafana's backend refuses them."""
    raise ValueError(f"{name} is not a JSON value")
