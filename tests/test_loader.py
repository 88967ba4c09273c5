from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paladin_obs.diagnostics import InputError, Location
from paladin_obs.loader import load_file, load_text


def test_positions_of_values_and_keys() -> None:
    doc = load_text("a:\n  b: [1, x]\n", "f.yaml")
    assert doc.data == {"a": {"b": [1, "x"]}}
    assert doc.where(("a", "b", 1)) == Location("f.yaml", 2, 10)
    assert doc.where(("a", "b"), key=True) == Location("f.yaml", 2, 3)
    # A path that does not exist falls back to its closest ancestor.
    assert doc.where(("a", "b", 7)) == Location("f.yaml", 2, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first defined at line 1)"),
        ("a:\n  b: 1\n  b: 1\n", "f.yaml:3:3: duplicate key 'b' (first defined at line 2)"),
        ("a: [\n", "f.yaml:2:1: YAML syntax error"),
        ("a: *nope\n", "f.yaml:1:4: YAML syntax error: found undefined alias"),
        ("a: &x [*x]\n", "f.yaml:1:4: recursive alias"),
        ("a: 1\n\x00\n", "f.yaml:2:1: YAML error: control characters are not allowed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: YAML syntax error: expected a single document"),
        ("<<: [1]\n", "f.yaml:1:6: a merge key (<<) needs a mapping"),
        ("? [a]\n: 1\n", "f.yaml:1:3: mapping keys must be scalars"),
    ],
)
def test_errors_are_located(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_text(text, "f.yaml")
    assert str(info.value).startswith(expected)


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(InputError) as info:
        load_text("a: 1\na: 2\nb: 1\nb: 2\n", "f.yaml")
    assert len(info.value.diagnostics) == 2


def test_merge_keys_as_go_yaml_reads_them() -> None:
    doc = load_text("b: &b {x: 1, y: 2}\nc: &c {y: 3, z: 4}\nd:\n  <<: [*b, *c]\n  x: 0\n", "f.yaml")
    assert doc.data["d"] == {"x": 0, "y": 2, "z": 4}  # own keys win, then earlier merges
    assert doc.where(("d", "y")) == Location("f.yaml", 1, 17)  # the merged value, in b


def test_alias_bombs_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from paladin_obs import yaml_build, yaml_nodes

    monkeypatch.setattr(yaml_nodes, "MAX_NODES", 1000)
    monkeypatch.setattr(yaml_build, "MAX_NODES", 1000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    with pytest.raises(InputError, match="expands to more than 1,000 nodes"):
        load_text(bomb, "f.yaml")


def test_first_document_only_for_rule_files() -> None:
    assert load_text("a: 1\n---\nb: [\n", "f.yaml", first_document=True).data == {"a": 1}


def test_yaml11_booleans_are_remembered() -> None:
    doc = load_text("a: on\nb: NO\nc: true\n", "f.yaml")
    assert doc.data == {"a": True, "b": False, "c": True}
    assert doc.yaml11_bools == {("a",): "on", ("b",): "NO"}


def test_keys_stay_text() -> None:
    assert load_text("on: 1\n1: 2\n", "f.yaml").data == {"on": 1, "1": 2}


def test_text_scalars_keep_source_text() -> None:
    doc = load_text("for: 5m\nlimit: 010\nx: yes\ny: ~\n", "f.yaml", text_scalars=True)
    assert doc.data == {"for": "5m", "limit": "010", "x": "yes", "y": None}


def test_empty_document_is_none() -> None:
    assert load_text("# nothing\n", "f.yaml").data is None


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "file not found"), (b"a: \xff\n", "not UTF-8 text")],
)
def test_unreadable_files(tmp_path, content: bytes | None, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "spec.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_file(path)
    assert message in str(info.value)


@pytest.mark.parametrize("code", [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
def test_every_ascii_control_but_tab_and_line_breaks_is_refused(code: int) -> None:
    # ASCII text takes a faster path than the regex; it must refuse the same bytes.
    with pytest.raises(InputError) as info:
        load_text(f"a: 1\nb: x{chr(code)}\n", "f.yaml")
    assert str(info.value) == f"f.yaml:2:5: YAML error: control characters are not allowed (U+{code:04X})"


@pytest.mark.parametrize("text", ["a: 1\tb\n", "a: 1\r\nb: 2\r\n", "a: ~\n", "a: \"\u00e9\\x07\"\n"])
def test_tabs_line_breaks_and_escapes_are_printable(text: str) -> None:
    load_text(text, "f.yaml")


@pytest.mark.parametrize(
    ("text", "pyyaml"),
    [
        ("groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n", False),
        ("groups: [{name: g, rules: [{record: 'a:b', expr: up}]}]\n", True),
        ("groups:\n  - &g {name: g, rules: []}\n", True),
    ],
    ids=["block style", "flow style", "anchor"],
)
def test_validate_imports_pyyaml_only_for_what_the_fast_reader_declines(
    text: str, pyyaml: bool, tmp_path: Path
) -> None:
    """A plain rule file is read without PyYAML (~20 ms of a pre-commit hook's
    start); anything else goes to the located loader, which imports it."""
    path = tmp_path / "r.yaml"
    path.write_text(text)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "paladin_obs", "validate", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "paladin_obs.validate.prometheus_rules" in imported
    assert ("yaml" in imported) is pyyaml
    assert ("paladin_obs.yaml_located" in imported) is pyyaml
