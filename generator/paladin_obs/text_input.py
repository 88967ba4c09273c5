"""A text file as the loaders take it: read within the size limit, decoded,
checked for what YAML cannot hold, and located by line and column.

Apart from ``loader`` so that the fast rule-file reader (``yaml_fast``, used
by ``validate`` on big files) gets its text without importing PyYAML, which
only the located loader needs. Why each limit: ``loader``'s docstring.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath

from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.limits import MAX_FILE_BYTES

__all__ = ["LINE_BREAK", "MAX_BYTES", "checked", "line_col", "read_bytes", "read_text"]

#: Largest file read, in bytes.
MAX_BYTES = MAX_FILE_BYTES

#: Characters YAML does not allow in a stream (printable set of YAML 1.1 and
#: libyaml: tab, line breaks, NEL and the rest of Unicode minus C0/C1 controls,
#: DEL, surrogates, U+FFFE and U+FFFF).
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_PRINTABLE_ASCII = bytes([9, 10, 13, *range(0x20, 0x7F)])
#: YAML's line breaks.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def read_text(path: str | FsPath, name: str) -> str:
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
        line, col = line_col(before, len(before))
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


def checked(text: str, file: str) -> str:
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
        line, col = line_col(text, bad.start())
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


def line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of ``text[position]``, breaking lines as YAML does."""
    lines = LINE_BREAK.split(text[:position])
    return len(lines), len(lines[-1]) + 1
