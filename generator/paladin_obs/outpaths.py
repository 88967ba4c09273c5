"""Which relative paths an artifact may have: inside the output tree, plain names.

Service, environment and dashboard names from the spec become path parts.
The schema already restricts them; this is the last gate before anything is
written, so no spec (or future target) can write outside the tree, into
``.git``, or over a file through ``..``.
"""

from __future__ import annotations

_MAX_PART = 255


def unsafe_reason(path: str) -> str:
    """Why ``path`` may not be written, or "" when it is a safe relative path."""
    if not path:
        return "is empty"
    if path.startswith("/") or "\\" in path:
        return "must be relative, with '/' between parts"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return "contains control characters"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return "must not contain empty, '.' or '..' parts (it would leave the output directory)"
        if part.startswith("."):
            return f"must not contain hidden names such as {part!r}"
        if len(part.encode("utf-8")) > _MAX_PART:
            return f"has a part longer than {_MAX_PART} bytes"
    return ""
