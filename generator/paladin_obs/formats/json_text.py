"""Deterministic JSON: the key order the target chose, two-space indent, ASCII only.

ASCII escapes keep the bytes identical whatever the platform's encoding, and
a trailing newline keeps editors and ``git diff`` quiet. NaN and infinities
are not JSON: Grafana's parser rejects them, so meeting one is a target bug.
"""

from __future__ import annotations

import json
from typing import Any


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
