"""The direct YAML layout writes exactly PyYAML's bytes, and is the one used.

``dump_yaml`` falls back to PyYAML on documents the layout does not cover;
these tests compare the layout alone (``Emitter``) with PyYAML on every
generated file of the repository and on generated documents with hostile
scalars, so a difference cannot hide behind the fallback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from paladin_obs.formats.yaml_emit import Emitter, Unusual
from paladin_obs.formats.yaml_text import dump_yaml, pyyaml_dump

REPO = Path(__file__).resolve().parents[2]
GENERATED = sorted(
    p for d in ("rules", "loki", "dashboards") for p in (REPO / d).rglob("*.yaml")
)

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(
    ["", " ", "yes", "no", "on", "null", "~", "1", "1.0", "0x1f", "1e3", "5m", "=~5..",
     "- a", "a: b", "#x", "a #b", "{{ $value }}", "'q'", '"d"', "\\", "@x", "`x`",
     "line\nnext", "line\nnext\n", "trailing \nspace", "\n", "a\n\nb", " lead\nx",
     "\tx", "é", "\u2028", "\x85", "😀", "x" * 200, "sum by (job) (rate(x[5m]))\n> 0.5"]
)
_scalars = _text | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.booleans() | st.none()
_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20) | st.sampled_from(
    ["expr", "for", "labels", "on", "null", "1", "a b", "a:b", "-x", "?x"]
)
_documents = st.dictionaries(
    _keys,
    st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
        max_leaves=25,
    ),
    min_size=1,
    max_size=6,
)


def test_there_are_generated_files() -> None:
    assert len(GENERATED) >= 10


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: str(p.relative_to(REPO)))
def test_generated_files_take_the_direct_layout_and_match_pyyaml(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert Emitter(pyyaml_dump).dump(data) == pyyaml_dump(data)


@settings(max_examples=600, deadline=None)
@given(_documents)
def test_any_document_is_either_identical_or_left_to_pyyaml(data: dict[Any, Any]) -> None:
    expected = pyyaml_dump(data)
    try:
        direct = Emitter(pyyaml_dump).dump(data)
    except Unusual:
        direct = expected
    assert direct == expected
    assert dump_yaml(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"k": "x" * 200, "x" * 130: 1},  # a key too long to be simple: "? " form
        {"k": "two\nlines "},  # trailing space: not a literal block, quoted over lines?
        {("t",): 1},
        {"k": {1, 2}},
    ],
    ids=["long key", "quoted multi-line", "tuple key", "set value"],
)
def test_unusual_documents_are_left_to_pyyaml(data: dict[Any, Any]) -> None:
    try:
        expected = pyyaml_dump(data)
    except yaml.representer.RepresenterError:
        pytest.skip("PyYAML's safe dumper refuses it too")
    assert dump_yaml(data) == expected


_clean_line = st.sampled_from(["{", "}", "x", '  "key": "value",', "    - a: b", "# c", "a  b", "..."])
_hostile_line = st.text(
    st.sampled_from(["a", "{", '"', " ", "\t", "#", ":", "-", "é", "\r", "\x7f", "|"]), max_size=12
) | st.sampled_from(["", " ", "  x", "x ", "---", "\u2028"])
_lines = st.lists(_clean_line, min_size=1, max_size=8) | st.lists(
    _clean_line | _hostile_line, min_size=1, max_size=8
)


@settings(max_examples=300, deadline=None)
@given(_lines, st.sampled_from(["", "\n", "\n\n"]), st.integers(0, 3))
def test_long_scalars_match_pyyaml(lines: list[str], end: str, depth: int) -> None:
    """Scalars past the memo's size limit (a dashboard's JSON in an operator
    resource) take a shortcut when they are plain literal blocks."""
    text = "\n".join(lines * (5000 // max(1, len("\n".join(lines)) + 1) + 1)) + end
    data: dict[str, Any] = {"json": text}
    for _ in range(depth):
        data = {"spec": data, "list": [data]}
    try:
        ours = Emitter(pyyaml_dump).dump(data)
    except Unusual:
        return
    assert ours == pyyaml_dump(data)


def test_a_dashboard_json_in_a_resource_matches_pyyaml() -> None:
    from paladin_obs.formats.json_text import dump_json

    board = {"uid": "x", "panels": [{"id": i, "title": f"p {i}", "targets": [{"expr": "a\\n b"}]} for i in range(300)]}
    data = {"kind": "GrafanaDashboard", "spec": {"folder": "f", "json": dump_json(board)}}
    assert Emitter(pyyaml_dump).dump(data) == pyyaml_dump(data)
