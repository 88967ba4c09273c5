from __future__ import annotations

import yaml

from paladin_obs.formats import yaml_text as serialize


def test_literal_blocks_and_order() -> None:
    text = serialize.dump_yaml({"b": "x\n  > 1", "a": "one line", "on": "yes"})
    assert text == "b: |-\n  x\n    > 1\na: one line\n'on': 'yes'\n"


def test_trailing_spaces_cannot_be_block_scalars() -> None:
    text = serialize.dump_yaml({"e": "a \nb"})
    assert yaml.safe_load(text) == {"e": "a \nb"}
    assert "|" not in text


def test_no_aliases_and_no_wrapping() -> None:
    shared = {"k": "v"}
    long = "x" * 500
    text = serialize.dump_yaml({"a": shared, "b": shared, "c": long})
    assert "&" not in text and "*" not in text
    assert long in text


def test_pure_and_c_dumpers_agree(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tricky = ["ünï", "a😀b", "x\x85y", "\u2028", "\ufeff", "tab\there", "\x00"]
    data = {
        "groups": [
            {
                "name": "g",
                "rules": [
                    {"expr": "a\n/\nb", "labels": {f"l{i}": t for i, t in enumerate(tricky)}}
                ],
            }
        ]
    }
    fast = serialize.dump_yaml(data)
    assert yaml.safe_load(fast) == data

    assert serialize._Base is yaml.CSafeDumper  # the C dumper is the one compared

    class Pure(yaml.SafeDumper):
        def ignore_aliases(self, data):  # type: ignore[no-untyped-def]
            return True

    Pure.add_representer(str, serialize._str)
    monkeypatch.setattr(serialize, "_Dumper", Pure)
    assert serialize.dump_yaml(data) == fast
