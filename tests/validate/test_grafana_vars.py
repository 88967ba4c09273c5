"""Grafana variables replaced by position: every valid real-world form still parses."""

from __future__ import annotations

import pytest

from paladin_obs.validate.grafana_vars import is_builtin, substitute
from paladin_obs.validate.promql import check_expr

# query as written in a dashboard, what the PromQL validator sees, (name, role) of each variable
CASES = [
    ('rate(x{job=~"$job"}[$__rate_interval])', 'rate(x{job=~"__var_job__"}[1m])', [("job", "string"), ("__rate_interval", "duration")]),
    ('rate(x[${__interval}])', "rate(x[1m])", [("__interval", "duration")]),
    ("increase(x[$__range])", "increase(x[1m])", [("__range", "duration")]),
    ("rate(x[${window}m])", "rate(x[1m])", [("window", "duration")]),
    ("max_over_time(rate(x[5m])[$w:$step])", "max_over_time(rate(x[5m])[1m:1m])", [("w", "duration"), ("step", "duration")]),
    ("x offset $shift", "x offset 1m", [("shift", "duration")]),
    ("x offset -$shift", "x offset -1m", [("shift", "duration")]),
    ("topk($n, x)", "topk(1, x)", [("n", "number")]),
    ("bottomk by (job) ($n, x)", "bottomk by (job) (1, x)", [("n", "number")]),
    ("histogram_quantile($q, sum by (le) (rate(x_bucket[5m])))", "histogram_quantile(1, sum by (le) (rate(x_bucket[5m])))", [("q", "number")]),
    ("quantile_over_time(${q}, x[5m])", "quantile_over_time(1, x[5m])", [("q", "number")]),
    ("clamp(x, $lo, $hi)", "clamp(x, 1, 1)", [("lo", "number"), ("hi", "number")]),
    ("x > $threshold", "x > 1", [("threshold", "number")]),
    ("x > bool $threshold", "x > bool 1", [("threshold", "number")]),
    ("x / $__range_s", "x / 1", [("__range_s", "number")]),
    ("x @ ${__to:date:seconds}", "x @ 1", [("__to", "number")]),
    ('x{job=~"${job:regex}"}', 'x{job=~"__var_job__"}', [("job", "string")]),
    ('x{job=~"[[job]]"}', 'x{job=~"__var_job__"}', [("job", "string")]),
    ('x{job=~"[[job:pipe]]|other"}', 'x{job=~"__var_job__|other"}', [("job", "string")]),
    ("x{job='$job'}", "x{job='__var_job__'}", [("job", "string")]),
    ("$metric", "__var_metric__", [("metric", "name")]),
    ('$metric{job="a"}', '__var_metric__{job="a"}', [("metric", "name")]),
    ("rate($metric[5m])", "rate(__var_metric__[5m])", [("metric", "name")]),
    ("sum by ($label) (x)", "sum by (__var_label__) (x)", [("label", "name")]),
    ("sum(x) by (${label})", "sum(x) by (__var_label__)", [("label", "name")]),
    ("a * on ($l) group_left ($m) b", "a * on (__var_l__) group_left (__var_m__) b", [("l", "name"), ("m", "name")]),
    ("node_${fs}_bytes", "node___var_fs___bytes", [("fs", "name")]),
    ("x{$filter}", 'x{__var_filter__="x"}', [("filter", "matcher")]),
    ('x{a="b", $filter}', 'x{a="b", __var_filter__="x"}', [("filter", "matcher")]),
    ("${agg}(x)", "sum(x)", [("agg", "function")]),
    ('label_replace(x, "dst", "$1", "src", "(.*)")', 'label_replace(x, "dst", "$1", "src", "(.*)")', []),
    ('x{a=~"b$"}', 'x{a=~"b$"}', []),
    ("x # $not_a_variable in a comment", "x # $not_a_variable in a comment", []),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "text", "uses"), CASES, ids=[c[0] for c in CASES])
def test_substitution_by_position(expr: str, text: str, uses: list[tuple[str, str]]) -> None:
    result = substitute(expr)
    assert result.text == text
    assert [(u.name, u.role) for u in result.uses] == uses


@pytest.mark.parametrize("expr", [c[0] for c in CASES])
def test_substituted_queries_parse(expr: str) -> None:
    """The point of substituting by position: valid dashboards' queries stay valid."""
    assert check_expr(substitute(expr).text, (3, 5)) == []


BROKEN = [
    ("rate(x[$__rate_interval)", "brackets"),
    ("x > $__interval", "duration"),  # Grafana writes 30s there too, which Prometheus refuses
    ("x{job=$job}", ""),  # an unquoted label value
]


@pytest.mark.parametrize(("expr", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_queries_still_fail(expr: str, reason: str) -> None:
    errors = check_expr(substitute(expr).text, (2, 53))
    assert errors and reason in " ".join(e.message for e in errors)


RANGES = [
    ("rate(x[$__rate_interval])", [("rate", "$__rate_interval")]),
    ("sum(irate(x[5m])) + increase(y[1h:5m])", [("irate", "5m"), ("increase", "1h:5m")]),
    ("max_over_time(rate(x[1m])[1h:])", [("rate", "1m"), ("max_over_time", "1h:")]),
]


@pytest.mark.parametrize(("expr", "ranges"), RANGES, ids=[r[0] for r in RANGES])
def test_ranges_know_their_function(expr: str, ranges: list[tuple[str, str]]) -> None:
    assert [(r.function, r.text) for r in substitute(expr).ranges] == ranges


@pytest.mark.parametrize(
    ("name", "builtin"),
    [("__rate_interval", True), ("__auto_interval_step", True), ("__user", True), ("job", False), ("__nope", False)],
)
def test_builtins(name: str, builtin: bool) -> None:
    assert is_builtin(name) is builtin


# LogQL (``known``: the dashboard's variables), as Loki sees it, names of the variables replaced
LOGQL_CASES = [
    ('sum by (level) (count_over_time({app="$app"} [$__auto]))', 'sum by (level) (count_over_time({app="__var_app__"} [1m]))', ["app", "__auto"]),
    ('sum(rate({app="x"} | logfmt | level="error"[${__interval}]))', 'sum(rate({app="x"} | logfmt | level="error"[1m]))', ["__interval"]),
    ('{app="x"} |~ "(?i)$search"', '{app="x"} |~ "(?i)__var_search__"', ["search"]),
    # a Go template's variable is no dashboard variable: Grafana leaves it, and so do we
    ('{app="x"} | line_format "{{ $x := .msg }}{{ $x }}"', '{app="x"} | line_format "{{ $x := .msg }}{{ $x }}"', []),
    ('{app="x"} | line_format "{{ $app }}"', '{app="x"} | line_format "{{ __var_app__ }}"', ["app"]),
    # in the selector an unknown name is still a variable (and reported as unknown)
    ('{app="$nope"}', '{app="__var_nope__"}', ["nope"]),
    ('count_over_time({app="x"} [$__range]) > $threshold', 'count_over_time({app="x"} [1m]) > 1', ["__range", "threshold"]),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "text", "names"), LOGQL_CASES, ids=[c[0] for c in LOGQL_CASES])
def test_logql_substitution_keeps_text_grafana_keeps(expr: str, text: str, names: list[str]) -> None:
    result = substitute(expr, frozenset({"app", "search", "threshold"}))
    assert result.text == text
    assert [u.name for u in result.uses] == names


@pytest.mark.parametrize(
    ("expr", "at", "original"),
    [
        ('{app=~"$job"} |~ "("', 24, 17),  # after a longer replacement: shifted back
        ('{app=~"$job"} |~ "("', 10, 7),  # inside one: the variable's start
        ('{app=~"$job"} |~ "("', 3, 3),  # before any
        ("rate(x[$__auto]) > $t", 12, 17),  # after a shorter one: shifted on
        ("rate(x[$__auto]) > $t", 14, 19),  # the second replacement
    ],
)
def test_offsets_map_back_to_the_query_as_written(expr: str, at: int, original: int) -> None:
    assert substitute(expr).original_offset(at) == original
