from __future__ import annotations

import copy
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paladin_obs.formats.alloy import (
    Attribute,
    Block,
    Document,
    Ref,
    Value,
    dump_alloy,
    quote_string,
)


def _load_reader() -> ModuleType:
    # tests/ folders have no __init__.py and pytest runs with --import-mode=importlib,
    # so the sibling helper is loaded by path.
    name = "paladin_obs_tests_alloy_reader"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("alloy_reader.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


reader = _load_reader()
read = reader.read


def _typed(value: Any) -> Any:
    """``value`` with types made visible: 1, 1.0 and True compare equal in Python."""
    if isinstance(value, Document):
        return ("doc", tuple(_typed(s) for s in value.body))
    if isinstance(value, Block):
        return ("block", value.name, value.label, tuple(_typed(s) for s in value.body))
    if isinstance(value, Attribute):
        return ("attr", value.name, _typed(value.value))
    if isinstance(value, list):
        return ("list", tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _round_trip(doc: Document) -> str:
    text = dump_alloy(doc)
    assert text.isascii()
    assert _typed(read(text)) == _typed(doc)
    return text


def _attr(value: Value) -> Document:
    return Document((Attribute("v", value),))


PIPELINE = Document(
    (
        Attribute("log_level", "info"),
        Block(
            "loki.source.file",
            "paladin",
            (
                Attribute(
                    "targets",
                    [
                        {"__path__": "/var/log/paladin/*.log", "job": "paladin"},
                        {"__path__": "/var/log/paladin/audit/*.log", "job": "paladin_audit"},
                    ],
                ),
                Attribute("forward_to", [Ref("loki.process.paladin.receiver")]),
                Attribute("tail_from_end", True),
            ),
        ),
        Block(
            "loki.process",
            "paladin",
            (
                Attribute("forward_to", [Ref("loki.write.default.receiver")]),
                Block(
                    "stage.json",
                    None,
                    (
                        Attribute(
                            "expressions",
                            {"level": "level", "ts": "time", "trace_id": "", "msg": "message"},
                        ),
                    ),
                ),
                Block("stage.labels", None, (Attribute("values", {"level": None}),)),
                Block(
                    "stage.timestamp",
                    None,
                    (Attribute("source", "ts"), Attribute("format", "RFC3339Nano")),
                ),
                Block(
                    "stage.structured_metadata", None, (Attribute("values", {"trace_id": None}),)
                ),
                Block(
                    "stage.metrics",
                    None,
                    (
                        Block(
                            "metric.counter",
                            None,
                            (
                                Attribute("name", "log_lines_total"),
                                Attribute("description", 'Lines by "level"'),
                                Attribute("source", "level"),
                                Attribute("match_all", True),
                                Attribute("action", "inc"),
                            ),
                        ),
                        Block(
                            "metric.histogram",
                            None,
                            (
                                Attribute("name", "request_seconds"),
                                Attribute("source", "duration"),
                                Attribute("buckets", [0.005, 0.05, 0.5, 1.0, 5.0]),
                                Attribute("max_idle_duration", "5m"),
                            ),
                        ),
                    ),
                ),
                Block("stage.drop", None, (Attribute("older_than", "24h"),)),
            ),
        ),
        Block(
            "loki.write",
            "default",
            (
                Block("endpoint", None, (Attribute("url", "http://loki:3100/loki/api/v1/push"),)),
                Attribute(
                    "external_labels",
                    {"app.kubernetes.io/name": "paladin", "cluster": "eu-1", "true": "kw"},
                ),
                Attribute("max_streams", 0),
            ),
        ),
    )
)


def test_pipeline_round_trips() -> None:
    text = _round_trip(PIPELINE)
    assert 'loki.process "paladin" {\n  forward_to = [loki.write.default.receiver]\n' in text
    assert '  external_labels = {\n    "app.kubernetes.io/name" = "paladin",\n' in text
    assert '"true" = "kw",' in text


def test_layout_is_pinned() -> None:
    doc = Document(
        (
            Attribute("a", 1),
            Attribute("b", [1, 2]),
            Block(
                "x.y",
                "l",
                (
                    Attribute("k", {"one": [Ref("p.q")]}),
                    Block("inner"),
                    Block("inner2", None, (Attribute("e", []), Attribute("o", {}))),
                    Attribute("after", -2.5),
                ),
            ),
            Block("z"),
        )
    )
    assert dump_alloy(doc) == (
        "a = 1\n"
        "b = [\n"
        "  1,\n"
        "  2,\n"
        "]\n"
        "\n"
        'x.y "l" {\n'
        "  k = { one = [p.q] }\n"
        "\n"
        "  inner { }\n"
        "\n"
        "  inner2 {\n"
        "    e = []\n"
        "    o = {}\n"
        "  }\n"
        "\n"
        "  after = -2.5\n"
        "}\n"
        "\n"
        "z { }\n"
    )
    _round_trip(doc)


def test_nested_multiline_values_are_indented() -> None:
    doc = _attr([{"a": 1, "b": [True, None]}, "s"])
    assert dump_alloy(doc) == (
        'v = [\n  {\n    a = 1,\n    b = [\n      true,\n      null,\n    ],\n  },\n  "s",\n]\n'
    )
    _round_trip(doc)


def test_empty_document() -> None:
    assert dump_alloy(Document()) == ""
    assert read("") == Document()


HOSTILE = [
    "",
    "plain",
    'quote " inside',
    "back\\slash",
    "ends with backslash \\",
    "back`tick`",
    "new\nline",
    "cr\r\nlf",
    "tab\there",
    "nul\x00byte",
    "bell\x07 bs\x08 ff\x0c vt\x0b esc\x1b us\x1f del\x7f",
    "${env:HOME} and ${1}",
    "{{ .Values.x }} and {{ $labels.y }}",
    "/* not a comment */ // nor this",
    "'single'",
    "\\u00e9 literal backslash-u",
    "\\x41",
    "ünïcödé ✓",
    "emoji 😀 and 𝄞",
    "nel\u0085 ls\u2028 ps\u2029 bom\ufeff nbsp\xa0",
    "c1 \x80\x9f",
    "\U0010ffff max code point",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_round_trip(value: str) -> None:
    doc = Document(
        (
            Attribute("v", value),
            Block("b", "l", (Attribute("list", [value, value]), Attribute("obj", {"k": value}))),
        )
    )
    text = _round_trip(doc)
    assert text.splitlines()[0] == "v = " + quote_string(value)  # one line, whatever the value


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("", '""'),
        # Values that need escapes are written raw when they can be:
        ('a"b', '`a"b`'),
        ("a\\b", "`a\\b`"),
        ("^\\s*(?P<x>[^\"]+)$", "`^\\s*(?P<x>[^\"]+)$`"),
        # ...and escaped when raw cannot hold them (backtick, control, non-ASCII):
        ("a\\`b", '"a\\\\`b"'),
        ("a\\\nb", '"a\\\\\\nb"'),
        ("\\é", '"\\\\\\u00e9"'),
        ("\n\r\t", '"\\n\\r\\t"'),
        ("\x00\x01\x1f\x7f", '"\\x00\\x01\\x1f\\x7f"'),
        ("\x07\x08\x0b\x0c", '"\\x07\\x08\\x0b\\x0c"'),
        ("é", '"\\u00e9"'),
        ("\u0085\u2028", '"\\u0085\\u2028"'),
        ("😀", '"\\U0001f600"'),
        ("${x} {{ y }} `z` 'q'", "\"${x} {{ y }} `z` 'q'\""),
    ],
)
def test_quote_string(value: str, quoted: str) -> None:
    assert quote_string(value) == quoted
    assert reader.unquote(quoted) == value


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb"])
def test_lone_surrogates_raise(value: str) -> None:
    with pytest.raises(ValueError, match="surrogate"):
        dump_alloy(_attr(value))


@given(st.text())
def test_any_string_round_trips(value: str) -> None:
    text = dump_alloy(_attr(value))
    assert text.isascii()
    assert read(text) == _attr(value)


_KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True) | st.from_regex(
    r"[ !#-\[\]-~]{1,10}", fullmatch=True
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from([Ref("a"), Ref("loki.write.default.receiver")])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@given(_VALUES)
def test_any_value_round_trips(value: Value) -> None:
    _round_trip(Document((Block("b", "x", (Attribute("v", value),)),)))


@pytest.mark.parametrize(
    "value",
    [
        0,
        1,
        -1,
        2**63 - 1,
        -(2**63),
        2**63,
        2**64 - 1,
        True,
        False,
        None,
        0.0,
        -0.0,
        1.0,
        2.0,
        -2.5,
        0.1,
        0.1 + 0.2,
        1e-05,
        1e22,
        1e300,
        5e-324,
        -1.7976931348623157e308,
    ],
)
def test_numbers_keep_value_and_type(value: Value) -> None:
    _round_trip(_attr(value))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 2**64, -(2**63) - 1])
def test_unwritable_numbers_raise(value: float) -> None:
    with pytest.raises(ValueError):
        dump_alloy(_attr(value))


@pytest.mark.parametrize("value", [(1, 2), {1, 2}, b"x", object(), [1, (2,)]])
def test_unsupported_types_raise(value: Any) -> None:
    with pytest.raises(TypeError):
        dump_alloy(_attr(value))


def test_non_str_key_raises() -> None:
    with pytest.raises(TypeError):
        dump_alloy(_attr({1: "x"}))  # type: ignore[dict-item]


BAD_IDENTIFIERS = [
    "",
    "1abc",
    "my-comp",
    "a b",
    " a",
    "a ",
    "a\n",
    "true",
    "false",
    "null",
    "métrica",
    "a.b",
    "a$",
]
BAD_PATHS = [
    "",
    ".a",
    "a.",
    "a..b",
    "a.1b",
    "a.true",
    "a-b.c",
    "a. b",
    "a.b\n",
    "a[0]",
    "f(x)",
    "a.b c",
]


@pytest.mark.parametrize("name", BAD_IDENTIFIERS)
def test_invalid_attribute_names_raise(name: str) -> None:
    with pytest.raises(ValueError, match="attribute name"):
        Attribute(name, 1)


@pytest.mark.parametrize("label", [*BAD_IDENTIFIERS, 'a"b', "a\\b"])
def test_invalid_labels_raise(label: str) -> None:
    with pytest.raises(ValueError, match="block label"):
        Block("loki.process", label)


@pytest.mark.parametrize("name", [n for n in BAD_IDENTIFIERS if n != "a.b"] + BAD_PATHS)
def test_invalid_block_names_raise(name: str) -> None:
    with pytest.raises(ValueError, match="block name"):
        Block(name)


@pytest.mark.parametrize("expr", [n for n in BAD_IDENTIFIERS if n != "a.b"] + BAD_PATHS)
def test_invalid_refs_raise(expr: str) -> None:
    with pytest.raises(ValueError, match="reference"):
        Ref(expr)


@pytest.mark.parametrize("key", ["", 'a"b', "a\\b", "new\nline", "tab\t", "é", "del\x7f"])
def test_unwritable_object_keys_raise(key: str) -> None:
    with pytest.raises(ValueError, match="object key"):
        dump_alloy(_attr({key: 1}))


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("ok_1", "ok_1"),
        ("app.kubernetes.io/name", '"app.kubernetes.io/name"'),
        ("null", '"null"'),
        ("1st", '"1st"'),
        ("a b", '"a b"'),
        ("${x}", '"${x}"'),
    ],
)
def test_object_keys(key: str, text: str) -> None:
    assert _round_trip(_attr({key: 1})) == f"v = {{ {text} = 1 }}\n"


def test_valid_names_accepted() -> None:
    for name in ["a", "_", "_private", "Component123", "loki.write", "prometheus.exporter.unix"]:
        Block(name, "default_1")
        Ref(name + ".receiver")
    Attribute("_x9", None)


def test_dump_takes_only_documents() -> None:
    with pytest.raises(TypeError):
        dump_alloy(Block("x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dump_alloy(Document([Attribute("a", 1)]))  # type: ignore[arg-type]


def test_deterministic() -> None:
    first = dump_alloy(PIPELINE).encode("ascii")
    assert dump_alloy(copy.deepcopy(PIPELINE)).encode("ascii") == first
    assert dump_alloy(PIPELINE).encode("ascii") == first


HAND_WRITTEN = """\ufeff// Comments, raw strings and the syntax a person writes.
/* block
   comment */
logging { level = "debug" } // trailing comment

loki.process "app" { /* inline */
  forward_to = [loki.write.a.receiver, loki.write.b.receiver,]
  stage.regex {
    expression = `^(?P<ts>\\S+) "(?P<msg>.*)"$`
  }
  stage.template {
    source   = "x"
    template = `line one\r
{{ .Value }}`
  }
  stage.static_labels {
    values = { "app.kubernetes.io/name" = "app", env = "prod", }
  }
  n = -3
  u = 18446744073709551615
  f = .5
  e = 1E3
  octal = 010
  esc = "\\a\\101\\x41\\u00e9\\U0001F600"
  empty { }
}
"""


def test_reads_hand_written_syntax() -> None:
    doc = read(HAND_WRITTEN)
    assert doc == Document(
        (
            Block("logging", None, (Attribute("level", "debug"),)),
            Block(
                "loki.process",
                "app",
                (
                    Attribute(
                        "forward_to", [Ref("loki.write.a.receiver"), Ref("loki.write.b.receiver")]
                    ),
                    Block(
                        "stage.regex",
                        None,
                        (Attribute("expression", '^(?P<ts>\\S+) "(?P<msg>.*)"$'),),
                    ),
                    Block(
                        "stage.template",
                        None,
                        (Attribute("source", "x"), Attribute("template", "line one\n{{ .Value }}")),
                    ),
                    Block(
                        "stage.static_labels",
                        None,
                        (Attribute("values", {"app.kubernetes.io/name": "app", "env": "prod"}),),
                    ),
                    Attribute("n", -3),
                    Attribute("u", 2**64 - 1),
                    Attribute("f", 0.5),
                    Attribute("e", 1000.0),
                    Attribute("octal", 8),
                    Attribute("esc", "\x07AAé😀"),
                    Block("empty"),
                ),
            ),
        )
    )
    assert dump_alloy(read(dump_alloy(doc))) == dump_alloy(doc)


def test_quoted_object_keys_are_not_unescaped() -> None:
    # Alloy (syntax/vm) uses a quoted key's raw text, so the backslash stays;
    # that is why the dumper refuses keys that would need an escape.
    assert read('v = { "a\\"b" = 1 }\n') == _attr({'a\\"b': 1})
    with pytest.raises(ValueError, match="object key"):
        dump_alloy(_attr({'a\\"b': 1}))


@pytest.mark.parametrize(
    "text",
    [
        "v = [\n  1,\n  2\n]\n",  # multi-line array needs its trailing comma
        "v = {\n  a = 1\n}\n",  # so does a multi-line object
        "a = 1 b = 2\n",  # statements need a newline between them
        'v = "\\\'"\n',  # \\' is rejected by Alloy's scanner despite the docs
        'v = "\\xff"\n',  # a byte that is not UTF-8
        'v = "\\ud800"\n',
        'v = "new\nline"\n',
        "v = 'single'\n",
        "a.b = 1\n",
        'x "l" = 1\n',
        "x `l` { }\n",
        'x "not-ident" { }\n',
        "v = 1 + 2\n",
        'v = sys.env("HOME")\n',
        "v = a[0]\n",
        "v = \x00\n",
        "v = 1e\n",
        "/* open\n",
    ],
)
def test_reader_rejects_what_alloy_rejects_or_we_do_not_support(text: str) -> None:
    with pytest.raises(ValueError):
        read(text)
