"""Whether a stream gets colour, and the few colours text output uses.

Colour helps a person scan findings on a terminal and only gets in the way
anywhere else (files, pipes, CI logs that keep escape codes), so it is decided
per stream: standard output may be a terminal while standard error is
redirected. ``NO_COLOR`` (https://no-color.org) always wins; ``FORCE_COLOR``
(https://force-color.org) turns colour on where a terminal cannot be detected.
Both count only when set to a non-empty value, as those conventions say.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol


class _Stream(Protocol):
    def isatty(self) -> bool: ...


BOLD = "1"
RED = "31"
GREEN = "32"
YELLOW = "33"
BLUE = "34"
CYAN = "36"
_RESET = "\x1b[0m"


def enabled(stream: _Stream, environ: Mapping[str, str] | None = None) -> bool:
    """True when text written to ``stream`` should carry colour."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def paint(text: str, *codes: str) -> str:
    """``text`` between SGR codes; stripping the codes gives ``text`` back."""
    if not text:
        return text
    return f"\x1b[{';'.join(codes)}m{text}{_RESET}"
