"""Located messages, and the exception that carries them to the CLI.

Every stage reports problems as data so that all of them can be shown at once
(users fix a spec in one pass, not one error per run) and so that the CLI alone
decides how they are printed and which exit code they mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

#: A path into a loaded YAML document: mapping keys and sequence indexes.
Path = tuple[str | int, ...]


@dataclass(frozen=True, order=True, init=False)
class Location:
    """Where a node stands in a file; line and column are 1-based like editors."""

    file: str
    line: int = 0
    column: int = 0

    def __init__(self, file: str, line: int = 0, column: int = 0) -> None:
        # Written to the instance dict directly: the generated __init__ of a frozen
        # dataclass goes through object.__setattr__ per field, 3x slower, and a
        # 10,000-rule file makes tens of thousands of these.
        d = self.__dict__
        d["file"] = file
        d["line"] = line
        d["column"] = column

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


#: How much a finding matters: only ``error`` blocks ``generate`` or fails a check.
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, order=True, init=False)
class Diagnostic:
    """One problem of any stage (spec, validity, lint, drift), so every command
    reports through one type and one report layer decides how it is shown.

    ``check`` is the stable id of the lint check or drift kind that found it
    (empty for plain validity errors, which have no opt-out); ``detail`` holds
    extra lines such as a diff, shown below the message.
    """

    location: Location
    message: str
    path: Path = ()
    check: str = ""
    severity: Severity = "error"
    detail: str = field(default="", compare=False)
    #: The checked file a lint finding is about (its name as validated), so
    #: suppressions apply per file even where the location is a spec line.
    source: str = field(default="", compare=False)

    def __init__(
        self,
        location: Location,
        message: str,
        path: Path = (),
        check: str = "",
        severity: Severity = "error",
        detail: str = "",
        source: str = "",
    ) -> None:
        # See Location.__init__: lint of a big file makes one or more per finding.
        d = self.__dict__
        d["location"] = location
        d["message"] = message
        d["path"] = path
        d["check"] = check
        d["severity"] = severity
        d["detail"] = detail
        d["source"] = source

    def render(self) -> str:
        where = f" (at {format_path(self.path)})" if self.path else ""
        tag = f" [{self.check}]" if self.check else ""
        level = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {level}{self.message}{where}{tag}"


class InputError(Exception):
    """Raised when input cannot be used at all; carries every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(d.render() for d in self.diagnostics))


def format_path(path: Path) -> str:
    """Render a path like ``services.paladin.alerts.HighErrorRate`` (``[0]`` for items)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


#: A diagnostic as plain values, the order of ``Diagnostic``'s fields with the
#: location's spread out: what crosses a pipe between processes.
Row = tuple[str, int, int, str, Path, str, Severity, str, str]


def to_rows(diagnostics: Iterable[Diagnostic]) -> list[Row]:
    """``diagnostics`` for pickling: tuples of strings and numbers pickle in C,
    five times faster than the objects (a 10,000-rule file sends ~20,000)."""
    return [
        (
            d.location.file,
            d.location.line,
            d.location.column,
            d.message,
            d.path,
            d.check,
            d.severity,
            d.detail,
            d.source,
        )
        for d in diagnostics
    ]


def from_rows(rows: Iterable[Row]) -> list[Diagnostic]:
    return [
        Diagnostic(Location(file, line, column), message, path, check, severity, detail, source)
        for file, line, column, message, path, check, severity, detail, source in rows
    ]
