"""Tests for the Go text/template parse checker, with promtool 2.42 as oracle.

The oracle test is the one that matters: our verdict is only useful if it is
promtool's verdict, so every corpus entry is run through both.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from paladin_obs.validate.gotemplate import (
    GO_BUILTIN_FUNCTIONS,
    MAX_NESTING,
    PROMETHEUS_TEMPLATE_VARIABLES,
    TemplateError,
    check_template,
    prometheus_template_functions,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "templates.yaml"
FUNCS_242 = prometheus_template_functions((2, 42))
ALERT = "Corpus"


def check(text: str, **kwargs: Any) -> list[TemplateError]:
    return check_template(
        text, functions=FUNCS_242, variables=PROMETHEUS_TEMPLATE_VARIABLES, **kwargs
    )


VALID = [
    "",
    "plain text",
    "{{ $value }}",
    "{{ $labels.instance }} down",
    "{{ .Labels.job }}{{ $.Value }}",
    '{{ printf "%.1f" $value }}',
    "{{ $value | humanize }}",
    "{{ if $value }}a{{ else if $labels }}b{{ else }}c{{ end }}",
    "{{ if $x := 1 }}{{ else if $x }}{{ $x }}{{ end }}",
    "{{ with $labels.a }}{{ . }}{{ else }}none{{ end }}",
    "{{ range $i, $v := $labels }}{{ $i }}{{ end }}",
    "{{ range $labels }}{{ break }}{{ continue }}{{ end }}",
    "{{- $value -}}",
    "{{/* comment */}}",
    "{{- /* comment */ -}}",
    '{{ `raw " string` }}',
    "{{ 'a' }} {{ 1 }} {{ -1.5e3 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 1i }}",
    "{{ 1+2i }}",
    '{{ (printf "%s" $value).Foo }}',
    "{{ $x = 1 }}",  # Go 1.19 does not check assignment targets at parse time
    "{{ nil }}",  # "nil is not a command" is an execution-time error
    "{{ . | }}",  # a trailing pipe is accepted by Go 1.19's parser
    "{{ if 1 }}{{ $y := 1 }}{{ else }}{{ $y }}{{ end }}",  # Go keeps body vars
    '{{ define "a" }}x{{ end }}{{ template "a" }}',
    '{{ block "b" . }}{{ . }}{{ end }}',
    "{{ 18446744073709551615 }}",
    "{{\n$value\n}}",  # newlines inside actions: Go 1.16+
]

INVALID = [
    ("{{", "unclosed action"),
    ("{{ $value", "unclosed action"),
    ("{{ 1\n", "unclosed action started at line 1"),
    ('{{ "abc }}', "unterminated quoted string"),
    ("{{ `abc }}", "unterminated raw quoted string"),
    ("{{ 'a }}", "unterminated character constant"),
    ("{{ 1x }}", 'bad number syntax: "1x"'),
    ("{{ 1- }}", 'bad number syntax: "1-"'),
    ("{{/* x }}", "unclosed comment"),
    ("{{/* x */ }}", "comment ends before closing delimiter"),
    ("{{ /* x */}}", 'unexpected "/" in command'),
    ("{{ é→ }}", "bad character U+2192 '→'"),
    ("{{ → }}", "unrecognized character in action: U+2192 '→'"),
    ("{{ \x01 }}", "unrecognized character in action: U+0001"),
    ("{{ $x=1 }}", "bad character U+003D '='"),
    ("{{ .a-b }}", "bad character U+002D '-'"),
    ("{{ (1 }}", "unclosed left paren"),
    ("{{ (1 -}}", "unclosed left paren"),
    ("{{ 1) }}", 'unexpected ")" in command'),
    ("{{ $value : 1 }}", "expected :="),
    ("{{ $x : 1 }}", 'undefined variable "$x"'),  # the variable is checked first
    ("{{-}}", 'illegal number syntax: "-"'),
    ("{{ 089 }}", 'integer overflow: "089"'),
    ("{{ 1e400 }}", 'illegal number syntax: "1e400"'),
    ("{{ 0x1+2i }}", 'strconv.ParseFloat: parsing "0x1": invalid syntax'),
    ("{{ 1i+2i }}", "syntax error scanning complex number"),
    ("{{ 'ab' }}", "malformed character constant: 'ab'"),
    ("{{ '' }}", "invalid syntax"),
    ('{{ "\\q" }}', "invalid syntax"),
    ('{{ "\\ud800" }}', "invalid syntax"),
    ("{{ if 1 }}", "unexpected EOF"),
    ("{{ end }}", "unexpected {{end}}"),
    ("{{ else }}", "unexpected {{else}}"),
    ("{{ if 1 }}{{ else }}{{ else }}{{ end }}", "expected end; found {{else}}"),
    ("{{ with 1 }}{{ else with 2 }}{{ end }}", "unexpected <with> in else"),
    ("{{ with 1 }}{{ else if 2 }}{{ end }}", "unexpected <if> in input"),
    ("{{ end 1 }}", 'unexpected "1" in end'),
    ("{{ foo }}", 'function "foo" not defined'),
    ("{{ $nope }}", 'undefined variable "$nope"'),
    ("{{ with $x := 1 }}{{ end }}{{ $x }}", 'undefined variable "$x"'),
    ("{{ range $a, $b }}{{ end }}", 'undefined variable "$b"'),
    ("{{ range $a, 1 }}{{ end }}", "range can only initialize variables"),
    ("{{ range $a, $b, $c := . }}{{ end }}", "too many declarations in range"),
    ("{{ $a, $b := 1 }}", "too many declarations in command"),
    ("{{ break }}", "{{break}} outside {{range}}"),
    ("{{ range . }}{{ else }}{{ break }}{{ end }}", "{{break}} outside {{range}}"),
    ("{{ range . }}{{ break 1 }}{{ end }}", 'unexpected "1" in {{break}}'),
    ("{{ continue }}", "{{continue}} outside {{range}}"),
    ("{{ }}", "missing value for command"),
    ("{{ $x := }}", "missing value for command"),
    ("{{ if }}{{ end }}", "missing value for if"),
    ("{{ () }}", "missing value for parenthesized pipeline"),
    ("{{ 1 | 2 }}", "non executable command in pipeline stage 2"),
    ('{{ . | printf | "x" }}', "non executable command in pipeline stage 3"),
    ("{{ | . }}", 'unexpected "|" in command'),
    ("{{ , }}", 'unexpected "," in command'),
    ("{{ .. }}", "unexpected <.> in operand"),
    ("{{ $value == 1 }}", 'unexpected "=" in command'),  # parsed as "$value = ="
    ("{{ humanize $value == 1 }}", 'unexpected "=" in operand'),
    ('{{ "a".b }}', 'unexpected . after term "\\"a\\""'),
    ("{{ nil.x }}", 'unexpected . after term "nil"'),
    ("{{ template x }}", 'unexpected "x" in template clause'),
    ('{{ template "a" | }}', 'unexpected "|" in template clause'),
    ("{{ define a }}{{ end }}", 'unexpected "a" in define clause'),
    ('{{ define "a" }}{{ else }}{{ end }}', "unexpected {{else}} in define clause"),
    ('{{ if 1 }}{{ define "a" }}{{ end }}{{ end }}', "unexpected <define> in command"),
    ('{{ block "b" }}{{ end }}', "missing value for block clause"),
    ('{{ block "b" . }}{{ $labels }}{{ end }}', 'undefined variable "$labels"'),
    ('{{ define "a" }}{{ $value }}{{ end }}', 'undefined variable "$value"'),
    ('{{define "d"}}a{{end}}{{define "d"}}b{{end}}', 'multiple definition of template "d"'),
    ("{{ 1234567890123 }}{{ ) }}", 'unexpected ")" in command'),
    ('{{ "a very long string" x }}', 'function "x" not defined'),
    ("{{ if 1 }}{{ 2 3 ,", 'unexpected "," in operand'),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_templates_parse(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(("text", "fragment"), INVALID)
def test_invalid_templates_report_go_message(text: str, fragment: str) -> None:
    errors = check(text)
    assert len(errors) == 1, text
    assert fragment in errors[0].message


def test_error_position_is_one_based_line_and_column() -> None:
    assert check("ok\n  {{ nope }}") == [TemplateError(2, 6, 'function "nope" not defined')]


def test_action_started_at_names_the_template_when_given() -> None:
    [error] = check("{{ 1\n", template_name="__alert_X")
    assert error.message == "unclosed action started at __alert_X:1"
    assert error.line == 2


def test_define_clashing_with_the_alert_template_name() -> None:
    text = '{{ define "__alert_X" }}x{{ end }}'
    assert check(text) == []
    [error] = check(text, template_name="__alert_X")
    assert error.message == 'template: multiple definition of template "__alert_X"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{{define "\\xff"}}a{{end}}{{define "ÿ"}}b{{end}}', None),
        ('{{define "\\xc3\\xbf"}}a{{end}}{{define "ÿ"}}b{{end}}', 'template: multiple definition of template "ÿ"'),
        ('{{define "\\377"}}a{{end}}{{define "\\xff"}}b{{end}}', 'template: multiple definition of template "\\xff"'),
    ],
)  # fmt: skip
def test_template_names_are_go_bytes(text: str, message: str | None) -> None:
    # "\xff" is the byte 0xff, not U+00FF: promtool 2.42 gives exactly these verdicts.
    assert [e.message for e in check(text)] == ([message] if message else [])


def test_variables_are_only_the_ones_declared() -> None:
    assert check_template("{{ $labels }}", functions=FUNCS_242) != []
    assert check_template("{{ $ }}", functions=FUNCS_242) == []


def test_break_is_an_identifier_when_defined_as_function() -> None:
    assert check_template("{{ break }}", functions=FUNCS_242 | {"break"}) == []


@pytest.mark.parametrize(
    ("version", "present", "absent"),
    [
        ((2, 10), {"humanize", "externalURL", "printf"}, {"humanizePercentage"}),
        ((2, 11), {"humanizePercentage"}, {"parseDuration"}),
        ((2, 32), {"parseDuration"}, {"stripPort"}),
        ((2, 36), {"stripPort", "stripDomain"}, {"toTime"}),
        ((2, 42), {"toTime", "strvalue", "graphLink"}, {"toDuration", "now", "tmpl"}),
        ((3, 6), {"toDuration", "now"}, {"urlQueryEscape"}),
        ((3, 8), {"urlQueryEscape"}, set()),
    ],
)
def test_prometheus_functions_follow_version(
    version: tuple[int, int], present: set[str], absent: set[str]
) -> None:
    funcs = prometheus_template_functions(version)
    assert present <= funcs
    assert not absent & funcs
    assert funcs >= GO_BUILTIN_FUNCTIONS


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    depth = MAX_NESTING + 50
    [error] = check("{{" + "(" * depth + "1" + ")" * depth + "}}")
    assert "nesting deeper than" in error.message
    [error] = check("{{ if 1 }}" * depth + "{{ end }}" * depth)
    assert "nesting deeper than" in error.message
    chain = "{{ if 1 }}" + "{{ else if 1 }}" * 2000 + "{{ end }}"
    assert check(chain) == []  # else-if chains are iterative, not nested


def test_long_templates_are_checked_whole() -> None:
    unit = '{{ if $labels.a }}{{ $v := $value | humanize }}{{ printf "%s" $v }}{{ end }} text '
    assert check(unit * 5000) == []
    [error] = check(unit * 5000 + "{{ end }}")
    assert "unexpected {{end}}" in error.message


def test_never_raises_on_arbitrary_input() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = ["{{", "}}", "if ", "end", "else", "range ", " -}}", "{{- "]
    alphabet = st.sampled_from([*"{}$.()|:=,\"'`-+ \n\t0123456789aeipx/*_\\é→\x00", *pieces])
    texts = st.lists(alphabet, max_size=40).map("".join) | st.text(max_size=60)

    @hypothesis.settings(max_examples=1500, deadline=None, database=None)
    @hypothesis.given(texts)
    def run(text: str) -> None:
        result = check(text)
        assert all(isinstance(e, TemplateError) and e.line >= 1 for e in result)

    run()


# ---------------------------------------------------------------------------
# Oracle: promtool 2.42 must agree with the corpus and with check_template.
# ---------------------------------------------------------------------------

_PROMTOOL_ERROR = re.compile(
    r"^(?P<file>\S+\.yml): .*?annotation \"description\": "
    r"template: __alert_" + ALERT + r":(?P<line>\d+): (?P<message>.*)$",
    re.MULTILINE,
)


def _load_corpus() -> list[dict[str, str]]:
    data: dict[str, list[dict[str, str]]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return data["templates"]


def _rule_file(template: str) -> str:
    rule = {"alert": ALERT, "expr": "vector(1)", "annotations": {"description": template}}
    return yaml.safe_dump({"groups": [{"name": "corpus", "rules": [rule]}]}, allow_unicode=True)


def test_corpus_shape() -> None:
    entries = _load_corpus()
    assert len(entries) >= 40
    assert sum(e["verdict"] == "invalid" for e in entries) >= 25
    assert len({e["name"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["verdict"] in ("valid", "invalid")
        assert ("error" in entry) == (entry["verdict"] == "invalid"), entry["name"]


def test_corpus_agrees_with_promtool_and_checker(tmp_path: Path, run_promtool: Any) -> None:
    entries = _load_corpus()
    files = []
    for entry in entries:
        path = tmp_path / f"{entry['name']}.yml"
        path.write_text(_rule_file(entry["template"]), encoding="utf-8")
        files.append(path)
    # One promtool process; it reports per file, errors on stderr.
    result = run_promtool("check", "rules", *files)
    go_errors = {
        Path(m["file"]).name: (int(m["line"]), m["message"])
        for m in _PROMTOOL_ERROR.finditer(result.stderr)
    }
    failed_files = {Path(f).name for f in re.findall(r"^(\S+\.yml): ", result.stderr, re.M)}
    assert failed_files == set(go_errors), result.stderr  # only template errors expected

    mismatches = []
    for entry, path in zip(entries, files, strict=True):
        go = go_errors.get(path.name)
        ours = check(entry["template"], template_name=f"__alert_{ALERT}")
        mine = (ours[0].line, ours[0].message) if ours else None
        go_verdict = "invalid" if go else "valid"
        if go_verdict != entry["verdict"] or mine != go:
            mismatches.append((entry["name"], entry["verdict"], go, mine))
        elif go is not None:
            assert entry["error"] in go[1], (entry["name"], go)
    assert not mismatches, "\n".join(map(str, mismatches))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
