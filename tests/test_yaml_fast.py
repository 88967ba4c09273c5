"""The fast YAML path gives exactly what the located loader gives, or gives up.

Differential: every YAML file of the repository, the benchmark's big rule
files and generated block-style documents (hypothesis) are read both ways;
whenever the fast path answers, data, value and key positions and block
scalars must equal the located loader's, and the located loader must not
refuse what the fast path accepted. A few inputs must take the fast path (or
the test proves nothing), and a table of inputs it must refuse.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_text
from paladin_obs.text_input import checked as _checked
from paladin_obs.text_input import read_text as _read_text
from paladin_obs.yaml_fast import load_block_yaml

ROOT = Path(__file__).resolve().parent.parent
_ATTRS = ("data", "positions", "key_positions", "block_scalars", "yaml11_bools")


def _same_as_located(text: str, name: str) -> bool:
    """Compare both paths on ``text``; True when the fast one answered."""
    fast = load_block_yaml(text, name)
    if fast is None:
        return False
    try:
        slow = load_text(text, name, text_scalars=True, first_document=True)
    except InputError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"fast path accepted what the loader refuses: {exc}")
    for attr in _ATTRS:
        assert getattr(fast, attr) == getattr(slow, attr), f"{name}: {attr} differs"
    assert repr(fast.data) == repr(slow.data)  # same types too (None, not "")
    return True


def _yaml_files() -> list[Path]:
    skip = {".venv", "build", ".git"}
    return sorted(
        p
        for p in ROOT.rglob("*")
        if p.suffix in (".yaml", ".yml") and not skip & set(p.relative_to(ROOT).parts)
    )


def test_every_repository_yaml_file_reads_the_same() -> None:
    fast = 0
    for path in _yaml_files():
        try:
            text = _checked(_read_text(path, str(path)), str(path))
        except InputError:
            continue
        fast += _same_as_located(text, str(path))
    # Most rule files are block style: the fast path must really be exercised.
    assert fast >= 100


def _bigrules() -> object:
    spec = importlib.util.spec_from_file_location("bigrules", ROOT / "benchmarks" / "bigrules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bigrules"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["templated", "mixed"])
def test_benchmark_files_read_the_same_on_the_fast_path(kind: str) -> None:
    import random

    module = _bigrules()
    text = getattr(module, kind)(400, random.Random(3))
    assert _same_as_located(text, f"{kind}.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "groups:\n- name: a\n  rules: &r []\n",  # anchors
        "a: *x\n",  # aliases
        "a: !!str x\n",  # tags
        "a: {b: c}\n",  # flow collections
        "a: [b]\n",
        "<<: {a: b}\n",  # merge keys
        "a: b\na: c\n",  # duplicate keys (the loader words the error)
        "%YAML 1.1\n---\na: b\n",  # directives
        "---\na: b\n",  # document markers
        "a: b\n---\nc: d\n",
        "a:\tb\n",  # tabs
        "a: b\r\nc: d\r\n",  # CR line breaks
        "a: NO\x85\n",  # NEL, a line break to YAML: the value is NO, not NO + NEL
        "groups:\n- a: x\u2028- b: y\n",  # LS, a line break to YAML
        "a: b\u2029c: d\n",  # PS, a line break to YAML
        "a: b",  # no final line break
        "a: b\n  c\n",  # a multi-line plain scalar
        'a: "b\n  c"\n',  # a multi-line quoted scalar
        "a:\nb: c\n",  # an empty value
        "'a': b\n",  # a quoted key
        "a: |2\n   x\n",  # an indentation indicator
        "a: >\n  x\n\n  y\n",  # folding around a blank line
        "a: |\n  x\n  \n  y\n",  # a whitespace-only line in a block
        "a: b: c\n",  # an error
        "a:\n  - b\n  c: d\n",  # an error
        "  a: b\n",  # an indented root
        "",  # empty
        'a: "\\q"\n',  # an escape YAML does not know
    ],
)
def test_gives_up_on_what_it_is_not_sure_of(text: str) -> None:
    assert load_block_yaml(text, "f.yaml") is None


@pytest.mark.parametrize(
    "text",
    [
        "groups:\n- name: a\n  rules:\n  - alert: X\n    expr: up == 0\n",
        "groups:\n  - name: 'a''s'\n    rules:\n      - record: :x:sum\n        expr: sum(x)\n",
        'a:\n  b: "q \\"x\\" \\\\ \\n \\u00e9 \\x41"  # comment\n',
        "a: |\n  x\n\n  y\n\n\nb: >-\n  p\n  q\nc: |+\n  k\n\nd: |-\n  z\n",
        "# head\na:   # trailing\n  # inner\n  - x   # c\n  - y\n",
        "a: ~\nb: null\nc: ''\nd: on\ne: 1e3\n",
    ],
)
def test_reads_block_style_exactly(text: str) -> None:
    assert _same_as_located(text, "f.yaml")


_WORDS = st.sampled_from(
    ["a", "b1", "name", "on", "null", "~", "x:y", "a b", "#c", "- d", "e: f", "{g}", "[h]",
     "'i'", '"j"', "k'l", 'm"n', "|", ">", "&o", "*p", "!q", "%r", "@s", "`t", "u #v", "w:",
     ":x", "y\\z", "1.5", "é", "0x1F", "-1", "?"]
)  # fmt: skip


_KEYS = st.sampled_from(["a", "b1", "name", "on", "null", "x.y", "k-8", "_z", "1", "groups"])


def _scalar(value: str, style: int, indent: str) -> list[str]:
    """``value`` written in one of YAML's scalar styles (lines after the first indented)."""
    if style == 0:
        return [value]
    if style == 1:
        return ['"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"']
    if style == 2:
        return ["'" + value.replace("'", "''") + "'"]
    header = ["|", "|-", "|+", ">", ">-"][style % 5]
    return [header] + [indent + "  " + part for part in value.split("/")]


@st.composite
def _node(draw: st.DrawFn, indent: str, depth: int) -> list[str]:
    """Lines of a block mapping or sequence at ``indent`` (rendered as people write them)."""
    lines: list[str] = []
    sequence = draw(st.booleans())
    for _ in range(draw(st.integers(1, 4))):
        key = draw(_KEYS)
        prefix = f"{indent}- " if sequence else f"{indent}{key}: "
        if depth < 3 and draw(st.integers(0, 2)) == 0:
            child = draw(_node(indent + "  ", depth + 1))
            if sequence and child[0].strip()[0] != "-":
                lines.append(f"{indent}- " + child[0].lstrip(" "))
                lines.extend(child[1:])
            else:
                lines.append(prefix.rstrip(" ").removesuffix("-").rstrip(" ") or f"{indent}-")
                if sequence:
                    lines[-1] = f"{indent}-"
                lines.extend(child)
        else:
            value = draw(_WORDS)
            style = draw(st.integers(0, 7))
            body = _scalar(value, style, indent + ("  " if sequence else ""))
            lines.append(prefix + body[0])
            lines.extend(body[1:])
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["", f"{indent}# note", "#", f"{indent}  # deeper"])))
    return lines


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Block-style documents, and now and then one broken by a small edit."""
    lines = draw(_node("", 0))
    if lines[0].startswith("-"):
        lines.insert(0, "groups:")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from([" ", "  ", "- ", ": ", "#", "'", '"', "|"]))
        lines[at] = edit + lines[at] if draw(st.booleans()) else lines[at] + edit
    return "\n".join(lines) + "\n"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_documents_read_the_same(text: str) -> None:
    try:
        checked = _checked(text, "f.yaml")
    except InputError:
        return
    _same_as_located(checked, "f.yaml")
