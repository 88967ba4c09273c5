from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.templates import KINDS, Library, RenderError, builtin_dir


def test_builtin_library_has_the_required_templates() -> None:
    lib = Library([builtin_dir()])
    assert set(lib.names("alerts")) >= {
        "error_ratio",
        "latency_quantile",
        "absent",
        "crash_looping",
        "probe_down",
        "hpa_at_max",
        "stale_timestamp",
        "gauge_threshold",
        "saturation",
    }
    for kind in KINDS:
        for name in lib.names(kind):
            template = lib.get(kind, name)
            assert template is not None
            assert template.about, f"{kind}/{name} needs an 'about' text"
            for param in template.params.values():
                assert param.description, (
                    f"{kind}/{name}: parameter {param.name} needs a description"
                )


def _library(tmp_path: Path, text: str) -> Library:
    (tmp_path / "alerts").mkdir(exist_ok=True)
    (tmp_path / "alerts" / "t.yaml").write_text(text)
    return Library([tmp_path])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("expr: up\nsummary: S.\ndescription: d\nbogus: 1\n", "t.yaml:4:1: unknown key 'bogus'"),
        ("expr: up\nsummary: S.\n", "template needs a 'description' field"),
        (
            "params: {p: {type: colour}}\nexpr: up\nsummary: S.\ndescription: d\n",
            "t.yaml:1:20: unknown parameter type 'colour'",
        ),
        ("expr: 'up ${ x '\nsummary: S.\ndescription: d\n", "template syntax"),
        ("signals: [bogus]\nexpr: up\nsummary: S.\ndescription: d\n", "signals must be a list of"),
        (
            "expr: up\nsummary: 'S {{ $value }}.'\ndescription: d\n",
            "t.yaml:2:10: summary must be static text",
        ),
        (
            "params: {p: {type: metric, metric_types: gauge}}\nexpr: up\nsummary: S.\ndescription: d\n",
            "metric_types must be a list of counter, gauge, histogram, summary",
        ),
        (
            "params: {p: {type: number, required: 'yes'}}\nexpr: up\nsummary: S.\ndescription: d\n",
            "required must be true or false",
        ),
        ("expr: |\n  up\n  ${ x\nsummary: S.\ndescription: d\n", "t.yaml:3:1: template syntax"),
        ("expr: 'up ${ x'\nsummary: S.\ndescription: d\n", "t.yaml:1:1: template syntax"),
    ],
)
def test_bad_template_files_are_located(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        _library(tmp_path, text).get("alerts", "t")
    assert expected in str(info.value)


def test_plain_text_cannot_reach_promql(tmp_path: Path) -> None:
    template = _library(
        tmp_path,
        "params: {name: {type: string}}\nexpr: 'up{a=\"${ name }\"}'\nsummary: S.\ndescription: d\n",
    ).get("alerts", "t")
    assert template is not None
    with pytest.raises(RenderError, match="would reach PromQL unescaped"):
        template.render("expr", {"name": 'x"} or vector(1'})


def test_quote_filter_escapes(tmp_path: Path) -> None:
    template = _library(
        tmp_path,
        "params: {name: {type: string}}\nexpr: 'up{a=${ name | quote }}'\nsummary: S.\ndescription: d\n",
    ).get("alerts", "t")
    assert template is not None
    assert template.render("expr", {"name": 'x"y'}) == 'up{a="x\\"y"}'


def test_text_values_cannot_open_go_actions(tmp_path: Path) -> None:
    template = _library(
        tmp_path, "expr: up\nsummary: S.\ndescription: 'For ${ who }: {{ $value }}'\n"
    ).get("alerts", "t")
    assert template is not None
    assert (
        template.render("description", {"who": "{{ x }}"})
        == 'For {{"{"}}{{"{"}} x }}: {{ $value }}'
    )


@pytest.mark.parametrize(
    ("quantile", "name"),
    [(0.95, "p95"), (0.99, "p99"), (0.999, "p99.9"), (0.9999, "p99.99"), (0.5, "p50")],
)
def test_quantile_names(tmp_path: Path, quantile: float, name: str) -> None:
    template = _library(
        tmp_path, "expr: up\nsummary: '${ q | quantile_name } is slow.'\ndescription: d\n"
    ).get("alerts", "t")
    assert template is not None
    assert template.render("summary", {"q": quantile}) == f"{name} is slow."


@pytest.mark.parametrize(("text", "span"), [("26h", "26h"), ("30d", "30d"), ("1h30m", "90m"), ("5m", "5m"), ("1500ms", "1500ms")])
def test_spans_for_prose(tmp_path: Path, text: str, span: str) -> None:
    from paladin_obs.durations import parse_duration

    template = _library(tmp_path, "expr: up\nsummary: 'Older than ${ d | span }.'\ndescription: d\n").get("alerts", "t")
    assert template is not None
    assert template.render("summary", {"d": parse_duration(text)}) == f"Older than {span}."


def test_tidy_breaks_lines_only_at_newlines() -> None:
    from paladin_obs.templates import _tidy

    assert _tidy("\n  a\u2028b \t\nc\x85\n\n") == "a\u2028b\nc\x85"
