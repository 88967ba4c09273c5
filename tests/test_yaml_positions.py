"""Packed positions read as Locations, and a part of a file read at its own lines."""

from __future__ import annotations

from paladin_obs.diagnostics import Location
from paladin_obs.loader import load_text
from paladin_obs.yaml_fast import load_block_part, load_block_yaml
from paladin_obs.yaml_positions import Positions, pack

TEXT = (
    "groups:\n"
    "- name: a\n  rules:\n  - record: x:y\n    expr: up\n"
    "- name: b\n  rules:\n  - alert: B\n    expr: |\n      down\n"
)


def test_positions_read_as_locations() -> None:
    positions = Positions("f.yaml")
    dict.__setitem__(positions, ("a",), pack(3, 7))
    assert positions[("a",)] == Location("f.yaml", 3, 7)
    assert positions.get(("a",)) == Location("f.yaml", 3, 7)
    assert positions.get(("b",)) is None
    assert list(positions.items()) == [(("a",), Location("f.yaml", 3, 7))]
    assert list(positions.values()) == [Location("f.yaml", 3, 7)]
    assert positions == {("a",): Location("f.yaml", 3, 7)}
    assert {("a",): Location("f.yaml", 3, 7)} == positions
    assert positions != {("a",): Location("f.yaml", 3, 8)}
    assert dict(positions) == {("a",): Location("f.yaml", 3, 7)}


def test_fast_document_locates_as_the_loader() -> None:
    fast = load_block_yaml(TEXT, "f.yaml")
    slow = load_text(TEXT, "f.yaml", text_scalars=True, first_document=True)
    assert fast is not None
    for path in [(), ("groups", 1, "rules", 0, "expr"), ("groups", 1, "nope"), ("groups", 9)]:
        assert fast.where(path) == slow.where(path)
        assert fast.where(path, key=True) == slow.where(path, key=True)


def test_a_part_keeps_the_whole_files_lines_and_paths() -> None:
    lines = TEXT.split("\n")
    cut = lines.index("- name: b")
    part_text = "groups:\n" + "\n" * (cut - 1) + "\n".join(lines[cut:])
    part = load_block_part(part_text, "f.yaml", first_item=1)
    whole = load_block_yaml(TEXT, "f.yaml")
    assert part is not None and whole is not None
    doc, nodes = part
    assert doc.data == {"groups": [None, whole.data["groups"][1]]}
    path = ("groups", 1, "rules", 0, "expr")
    assert doc.where(path) == whole.where(path)
    assert doc.where(path, key=True) == whole.where(path, key=True)
    first = load_block_part(TEXT[: TEXT.index("- name: b")], "f.yaml")
    assert first is not None
    # The root, its key and the groups list are in both parts.
    assert nodes + first[1] - 3 == len(whole.positions) + len(whole.key_positions)
