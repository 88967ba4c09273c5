from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.diagnostics import InputError
from paladin_obs.durations import Duration
from paladin_obs.model import Matcher, Metric
from paladin_obs.templates import KINDS, Library, RenderError, builtin_dir
from paladin_obs.values import PromQL, SeriesView, label_list


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


def _builtin(name: str):  # type: ignore[no-untyped-def]
    template = Library([builtin_dir()]).get("alerts", name)
    assert template is not None
    return template


@pytest.mark.parametrize(
    ("op", "word"),
    [
        (">", "above"),
        (">=", "at or above"),
        ("<", "below"),
        ("<=", "at or below"),
        ("==", "equal to"),
        ("!=", "not equal to"),
    ],
)
def test_gauge_threshold_reads_right_for_every_operator(op: str, word: str) -> None:
    context = {
        "metric": SeriesView(Metric("workers", "gauge"), ()),
        "scope": "api",
        "op": PromQL(op),
        "threshold": 2.0,
        "aggregation": PromQL("max"),
        "by": label_list([]),
        "match": (),
    }
    template = _builtin("gauge_threshold")
    assert template.render("summary", context) == f"workers of api is {word} 2."
    assert template.render("description", context) == (
        f"workers is {{{{ $value | humanize }}}} (max), {word} the threshold 2."
    )
    assert template.render("expr", context) == f"max by () (workers) {op} 2"


def test_crash_looping_needs_two_restarts_by_default() -> None:
    template = _builtin("crash_looping")
    assert template.params["threshold"].default == 1
    context = {
        "metric": SeriesView(Metric("restarts", "counter"), ()),
        "window": Duration(900_000),
        "threshold": 1.0,
        "scope": "api",
    }
    assert template.render("expr", context) == "round(increase(restarts[15m])) > 1"


def _latency_context(min_rate: float) -> dict[str, object]:
    latency = SeriesView(Metric("d", "histogram"), (Matcher("job", "=", "api"),))
    return {
        "signals": {"latency": latency},
        "quantile": 0.95,
        "threshold": 1.0,
        "window": Duration(300_000),
        "by": label_list(["job"]),
        "min_rate": min_rate,
        "scope": "api",
    }


def test_latency_quantile_traffic_guard_only_when_set() -> None:
    template = _builtin("latency_quantile")
    quantile = (
        "histogram_quantile(0.95,\n"
        '  sum by (job, le) (rate(d_bucket{job="api"}[5m]))\n'
        ") > 1"
    )
    assert template.render("expr", _latency_context(0)) == quantile
    assert template.render("expr", _latency_context(0.5)) == (
        f'{quantile}\nand\n  sum by (job) (rate(d_count{{job="api"}}[5m])) > 0.5'
    )


def _saturation_context(capacity: object, capacity_on: list[str]) -> dict[str, object]:
    return {
        "metric": SeriesView(Metric("conns", "gauge"), (Matcher("job", "=", "api"),)),
        "capacity": capacity,
        "threshold": 0.8,
        "aggregation": PromQL("sum"),
        "by": label_list(["job"]),
        "match": (),
        "capacity_on": capacity_on,
        "scope": "api",
    }


def test_saturation_against_a_constant() -> None:
    context = _saturation_context(100.0, [])
    template = _builtin("saturation")
    assert template.render("expr", context) == 'sum by (job) (conns{job="api"}) / 100 > 0.8'
    assert "of 100 for job=" in template.render("description", context)


def test_saturation_against_a_capacity_metric_matches_on_the_shared_labels() -> None:
    limit = SeriesView(Metric("max_conns", "gauge"), (Matcher("job", "=", "postgres"),))
    template = _builtin("saturation")
    # The jobs differ: matched on the capacity_on labels only, the usage's labels kept.
    assert template.render("expr", _saturation_context(limit, ["server"])) == (
        "(\n"
        '  sum by (job, server) (conns{job="api"})\n'
        "/ on (server) group_left\n"
        '  min by (server) (max_conns{job="postgres"})\n'
        ") > 0.8"
    )
    assert template.render("expr", _saturation_context(limit, [])) == (
        "(\n"
        '  sum by (job) (conns{job="api"})\n'
        "/ on () group_left\n"
        '  min by () (max_conns{job="postgres"})\n'
        ") > 0.8"
    )
    description = template.render("description", _saturation_context(limit, ["server"]))
    assert "of max_conns for job={{ $labels.job }}, server={{ $labels.server }}" in description
