"""One serialiser per artifact format, so targets return data and never text.

Adding a format is one module here plus its ownership marker (``ownership``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paladin_obs.artifacts import Format
from paladin_obs.formats.json_text import dump_json
from paladin_obs.formats.yaml_text import dump_yaml


def _dump_alloy(data: Any) -> str:
    from paladin_obs.formats.alloy import dump_alloy  # only Loki output needs it

    return dump_alloy(data)


FORMATS: dict[Format, Callable[[Any], str]] = {
    "yaml": dump_yaml,
    "json": dump_json,
    "alloy": _dump_alloy,
}


def dump(fmt: Format, data: Any) -> str:
    return FORMATS[fmt](data)
