"""Our JSON writer gives exactly the standard library's indented text, errors included."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path
from typing import Any

import pytest

from paladin_obs.formats.json_text import dump_json

REPO = Path(__file__).resolve().parents[2]


class Level(enum.IntEnum):
    LOW = 1


class Text(str):
    pass


CASES: list[Any] = [
    {},
    [],
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    {"unicode": "é ü 中 😀", "quote": 'say "hi"\\', "control": "a\nb\tc\x00\x1f"},
    [0, -1, 10**30, 0.1, -0.0, 1e16, 1e-7, 2.5e-300, 123456789.125],
    [True, False, None, "true", "null"],
    ("tuple", ("nested",)),
    {"first": 1, "z": 2, "a": 3},  # insertion order kept
    {"enum": Level.LOW, "text": Text("sub")},
    {1: "int key", None: "none key", 2.5: "float key", False: "bool key"},
    {"deep": [[[[{"x": [1, {"y": []}]}]]]]},
]


@pytest.mark.parametrize("data", CASES, ids=range(len(CASES)))
def test_same_text_as_json_dumps(data: Any) -> None:
    expected = json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    assert dump_json(data) == expected


@pytest.mark.parametrize(
    ("data", "error"),
    [({"x": math.nan}, ValueError), ([math.inf], ValueError), ({"s": {1, 2}}, TypeError)],
)
def test_same_errors_as_json_dumps(data: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        json.dumps(data, indent=2, allow_nan=False)
    with pytest.raises(error):
        dump_json(data)


def test_every_committed_and_corpus_dashboard_round_trips_identically() -> None:
    files = sorted(REPO.glob("dashboards/**/*.json")) + sorted(
        REPO.glob("tests/corpus/dashboards/**/*.json")
    )
    assert len(files) > 50
    for path in files:
        data = json.loads(path.read_text())
        assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=True) + "\n", path
