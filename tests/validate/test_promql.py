"""PromQL checks: target-version dialect, Go's regex and range rules, bounds, and the oracle.

The oracle test puts every expression of tests/corpus/promql.yaml in its own
rule file, runs promtool 2.42 once over all of them, and requires promtool,
the corpus verdict and ``check_expr(expr, (2, 42))`` to agree.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import promql_parser as pp
import pytest
import yaml

from paladin_obs.validate.promql import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_OPERATORS,
    MAX_UNBALANCED_OPERATORS,
    PromQLError,
    check_expr,
    parse_expr,
)
from paladin_obs.validate.promql_functions import (
    AGGREGATIONS,
    FUNCTIONS,
    aggregation_allowed,
    function_allowed,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "promql.yaml"
V242 = (2, 42)

#: Corpus entries (by name) where check_expr may disagree with promtool 2.42,
#: with the reason. Kept empty: every known gap is closed.
KNOWN_DIFFERENCES: dict[str, str] = {}

#: Deliberate differences, outside the corpus (whose verdicts must stay equal
#: to promtool's). promtool only parses; these fail when the rule is evaluated.
DELIBERATELY_STRICTER: dict[str, str] = {
    'label_replace(up, "a", "$1", "b", "(.*")': (
        "label_replace compiles its regex at evaluation time, so promtool passes a rule "
        "that errors on every evaluation"
    ),
}


def _messages(expr: str, version: tuple[int, int]) -> list[str]:
    return [e.message for e in check_expr(expr, version)]


# -- version dialect ------------------------------------------------------------

DIALECT: list[tuple[str, tuple[int, int], str | None]] = [
    # (expr, target version, substring of the expected error or None for valid)
    ("holt_winters(x[5m], 0.5, 0.5)", (2, 42), None),
    (
        "holt_winters(x[5m], 0.5, 0.5)",
        (3, 0),
        'function "holt_winters" was removed in Prometheus 3.0',
    ),
    ("double_exponential_smoothing(x[5m], 0.5, 0.5)", (3, 5), "is experimental"),
    ("limitk(2, up)", (2, 42), 'aggregation "limitk" was added in Prometheus 2.54'),
    ("limitk(2, up)", (3, 5), 'aggregation "limitk" is experimental'),
    ("limit_ratio(0.5, up)", (3, 5), "is experimental"),
    ('sort_by_label(up, "a")', (3, 5), 'function "sort_by_label" is experimental'),
    ("info(up)", (3, 5), 'function "info" is experimental'),
    ("mad_over_time(up[5m])", (3, 5), "is experimental"),
    ("ts_of_max_over_time(up[5m])", (3, 5), "is experimental"),
    ("first_over_time(up[5m])", (3, 5), "was added in Prometheus 3.7"),
    ("histogram_avg(up)", (2, 50), 'function "histogram_avg" was added in Prometheus 2.51'),
    ("histogram_avg(up)", (2, 51), None),
    ("histogram_stddev(up)", (2, 47), None),
    ("day_of_year()", (2, 36), "was added in Prometheus 2.37"),
    ("group(up)", (2, 19), 'aggregation "group" was added in Prometheus 2.20'),
    ("clamp(up, 0, 1)", (2, 25), "was added in Prometheus 2.26"),
    ("up atan2 up", (2, 30), "atan2 operator needs Prometheus 2.31"),
    ("up @ 100", (2, 32), "@ modifier needs Prometheus 2.33"),
    ("up @ start()", (2, 33), None),
    ("up offset -5m", (2, 32), "negative offset needs Prometheus 2.33"),
    ("max_over_time(up[5m:1m])", (2, 6), "subquery needs Prometheus 2.7"),
    ("rate(up[1h30m])", (2, 20), "composite duration needs Prometheus 2.21"),
    ("rate(up[300])", (2, 42), "number as duration needs Prometheus 3.0"),
    ("rate(up[300])", (3, 0), None),
    ("up offset 300", (3, 0), None),
    ("up[5m:30]", (2, 42), "number as duration needs Prometheus 3.0"),
    ('up{"service.name"="api"}', (2, 42), "quoted label or metric name"),
    ('up{"service.name"="api"}', (3, 0), None),
    ('{"up"}', (3, 0), None),
    ('sum by ("a.b") (up)', (2, 42), "quoted label or metric name"),
    ('sum by ("a.b") (up)', (3, 0), None),
    ('up{a="b" or c="d"}', (3, 5), "'or' between label matchers is not PromQL"),
    ('up{a=~"(?<n>x)"}', (2, 50), "invalid or unsupported Perl syntax: `(?<`"),
    ('up{a=~"(?<n>x)"}', (2, 51), None),
    ('up{a=~"\\\\p{Letter}"}', (3, 7), None),
    ("up @ 1e20", (3, 5), "timestamp out of bounds for @ modifier"),
    ("up[106752d]", (3, 5), "duration out of range"),
    ("up[106751d]", (3, 5), None),
    ("start", (2, 42), None),  # a metric called start, not the function
    ("sum by (on, offset, bool) (up)", (2, 42), None),
    ('up{a=~"\\\\Qa.b\\\\E"}', (2, 42), None),  # Rust's regex would reject this
    ('up{a=~"\\\\101"}', (2, 42), None),  # octal: Rust rejects, Go accepts
    ("up{a=~`\\d+`}", (2, 42), None),  # raw string: promql-parser misreads \\d
    ('{a=~"\\\\Q\\\\E"}', (2, 42), "at least one non-empty matcher"),
    ('{a!~"\\\\Q\\\\E"}', (2, 42), None),
    ("up{a=~'a\"++'}", (2, 42), "invalid nested repetition operator: `++`"),  # single quotes
    ('up{a=~"\\xc3\\xa9+"}', (2, 42), None),  # \x escapes are bytes: valid UTF-8 here
    ('up{a=~"\\xe9"}', (2, 42), "invalid UTF-8"),  # ...and not here
    # durations where numbers belong: both directions of "same literal" are 3.0
    ("time() - 1d", (2, 42), "duration as number needs Prometheus 3.0"),
    ("time() - 1d", (3, 0), None),
    ("x @ 1h", (2, 42), "duration as number needs Prometheus 3.0"),
    ("x @ 1h", (3, 0), None),
    ("topk(5m, x)", (2, 54), "duration as number needs Prometheus 3.0"),
    ("1h30m", (3, 0), None),
    ("max by (a) (offset -5m)", (2, 42), "duration as number"),  # a metric called offset
    ("x offset 5m - y", (2, 42), None),
    # numbers promql-parser panics on, with the 2.x dialect message and 3.x's range check
    ("x offset 1e308", (2, 42), "number as duration needs Prometheus 3.0"),
    ("x offset 1e308", (3, 0), "duration out of range"),
    ("x offset Inf", (2, 42), "'Inf' has no unit"),
    ("x offset NaN", (3, 0), "duration out of range"),
    ("x[5m:1e309]", (3, 0), "duration out of range"),
    ("x offset 9e9", (3, 0), None),
    ("rate(x[9223372036s])", (2, 42), None),  # valid in Go, too long for promql-parser
    # unary "+" is type-checked like unary "-"
    ("+up[5m]", (2, 42), "unary expression only allowed"),
    ("rate(+up[5m])", (3, 5), "unary expression only allowed"),
    ('+"a"', (2, 42), "unary expression only allowed"),
    ("+up", (2, 42), None),
    ("up + +1", (2, 42), None),
    ("x @ +100", (2, 42), None),
    # leading-zero numbers with an exponent
    ("0e0", (2, 42), None),
    ("up > 01e3", (2, 42), None),
    ("x offset 0e0", (3, 0), None),
    # "offset +5m": 3.0 grammar rejects it, 3.5 (PR #16713) accepts it
    ("x offset +5m", (2, 42), 'unexpected "+" in offset, expected duration'),
    ("x offset +5m", (3, 0), "plus sign in offset needs Prometheus 3.5"),
    ("x offset +5m", (3, 5), None),
    # comments inside brackets (but Go rejects one right after "[")
    ("up[5m#c\n]", (2, 42), None),
    ("up[1h#c\n:5m]", (2, 42), None),
    ("up[#c\n5m]", (2, 42), "parse error"),
]


@pytest.mark.parametrize(
    ("expr", "version", "expected"), DIALECT, ids=[f"{d[0]}@{d[1]}" for d in DIALECT]
)
def test_dialect(expr: str, version: tuple[int, int], expected: str | None) -> None:
    messages = _messages(expr, version)
    if expected is None:
        assert messages == []
    else:
        assert any(expected in m for m in messages), messages


def test_errors_are_plain_dataclasses() -> None:
    errors = check_expr("rate(up)", V242)
    assert errors and all(isinstance(e, PromQLError) for e in errors)
    assert "expected type range vector" in errors[0].message or "matrix" in errors[0].message


def test_parse_expr_returns_ast_even_with_dialect_errors() -> None:
    ast, errors = parse_expr("sum by (job) (limitk(2, up))", V242)
    assert isinstance(ast, pp.AggregateExpr)
    assert errors
    ast, errors = parse_expr("sum(", V242)
    assert ast is None and errors


def test_parse_expr_keeps_empty_match_semantics_of_stand_ins() -> None:
    ast, errors = parse_expr('up{a=~"\\\\w{1000}"}', V242)
    assert errors == [] and isinstance(ast, pp.VectorSelector)


# -- label_replace --------------------------------------------------------------


def test_label_replace_regex_is_checked() -> None:
    expr = next(iter(DELIBERATELY_STRICTER))
    assert any("label_replace" in m and "missing closing )" in m for m in _messages(expr, V242))
    assert _messages('label_replace(up, "a", "$1", "b", "(.*)")', V242) == []


def test_deliberately_stricter_cases_are_really_accepted_by_promtool(
    run_promtool: Any, tmp_path: Path
) -> None:
    verdicts = _promtool_verdicts(run_promtool, tmp_path, list(DELIBERATELY_STRICTER))
    assert all(v == "valid" for v in verdicts.values()), verdicts


# -- bounds: never crash, never hang -----------------------------------------------


@pytest.mark.parametrize(
    "expr",
    [
        "(" * 20_000 + "up" + ")" * 20_000,
        " + ".join(["up"] * (MAX_OPERATORS + 2)),
        " > ".join(["up"] * (MAX_UNBALANCED_OPERATORS + 2)),
        " or ".join(["up"] * 300) + " + " + " or ".join(["up"] * 300),
        " or on (a) ".join(["up"] * 600),
        "-" * 20_000 + "up",
        "abs(" * 5_000 + "up" + ")" * 5_000,
        "x" * (MAX_LENGTH + 1),
    ],
    ids=[
        "parens",
        "chain",
        "comparison-chain",
        "mixed-chain",
        "modified-chain",
        "unary",
        "calls",
        "length",
    ],
)
def test_oversized_input_is_an_error_not_a_crash(expr: str) -> None:
    messages = _messages(expr, V242)
    assert len(messages) == 1 and messages[0].startswith("expression too large to check")


def test_bounds_leave_room_for_real_rules() -> None:
    deep = "(" * (MAX_DEPTH - 1) + "up" + ")" * (MAX_DEPTH - 1)
    long_chain = " + ".join(["up"] * MAX_OPERATORS)
    mixed = " + ".join(["up > 1"] * (MAX_UNBALANCED_OPERATORS // 2))
    assert _messages(deep, V242) == []
    assert _messages(long_chain, V242) == []
    assert _messages(mixed, V242) == []
    assert _messages('up{a="' + "x" * (MAX_LENGTH - 10) + '"}', V242) == []


LONG = MAX_UNBALANCED_OPERATORS + 100

#: Long chains of one operator are regrouped before parsing; the verdict must
#: be the one of the left-nested chain Go parses.
CHAINS: list[tuple[str, str | None]] = [
    (" or ".join(f'up{{job="j{i}"}}' for i in range(LONG)), None),
    (" OR ".join(f'absent(up{{job="j{i}"}})' for i in range(LONG)), None),
    (" or ".join(["up"] * 300 + ["up[5m]"] + ["up"] * 300), "binary expression must contain"),
    (" or ".join(["up"] * 300 + ["1"] + ["up"] * 300), "set operator"),
    (" unless ".join(["up"] * LONG), None),
    (" - ".join(["-up", "1"] * (LONG // 2)), None),  # signs are not chain operators
    (" + ".join(["up offset -5m # c"] * LONG), None),  # comments cannot eat the regrouping
    (" * ".join(["rate(up[5m])"] * LONG), None),
    (" * ".join(["up"] * 300 + ['"a"'] + ["up"] * 300), "binary expression must contain"),
    (" + ".join(["up"] * 300 + ["limitk(1, up)"] + ["up"] * 300), 'aggregation "limitk"'),
    (" or ".join(["up"] * 300 + ["sum("] + ["up"] * 300), "parse error"),
]


@pytest.mark.parametrize(("expr", "expected"), CHAINS, ids=[str(i) for i in range(len(CHAINS))])
def test_long_chains_of_one_operator(expr: str, expected: str | None) -> None:
    messages = _messages(expr, V242)
    if expected is None:
        assert messages == []
    else:
        assert any(expected in m for m in messages), messages


def test_long_chain_ast_is_kept_only_when_regrouping_keeps_the_meaning() -> None:
    ast, errors = parse_expr(" or ".join(["up"] * LONG), V242)
    assert errors == [] and isinstance(ast, pp.BinaryExpr)
    ast, errors = parse_expr(" - ".join(["up"] * LONG), V242)
    assert errors == [] and ast is None  # (a - b) - c is not a - (b - c)


#: Inputs on which promql-parser raises pyo3's PanicException (a BaseException).
PANICS = [
    "x offset 1e308",
    "rate(x[1e300])",
    "x[5m:1e309]",
    "x offset Inf",
    "x offset -NaN",
    "x offset 99999999999999999999",
    "x offset -1e300",
]


@pytest.mark.parametrize("expr", PANICS)
@pytest.mark.parametrize("version", [(2, 42), (3, 0), (3, 5)])
def test_promql_parser_panics_become_errors(expr: str, version: tuple[int, int]) -> None:
    messages = _messages(expr, version)
    assert messages and all(isinstance(m, str) for m in messages)


def test_never_raises_on_random_input() -> None:
    rng = random.Random(7)
    pieces = [
        "up",
        "rate(",
        "sum",
        " by ",
        "(",
        ")",
        "[5m]",
        "{",
        "}",
        'a="b"',
        "=~",
        '"(a"',
        ",",
        " + ",
        " and ",
        "offset",
        " 5m",
        "@",
        "1",
        "`x`",
        ":",
        "[",
        "]",
        "-",
        "+",
        " 1e308",
        "Inf",
        "0e0",
        "#c\n",
        "1h",
    ]
    for _ in range(500):
        expr = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        assert all(isinstance(e, PromQLError) for e in check_expr(expr, V242))


# -- function tables ------------------------------------------------------------


def test_every_listed_name_is_usable_or_explained_on_a_recent_target() -> None:
    for name in FUNCTIONS:
        assert (
            function_allowed(name, (3, 99)) is None
            or "experimental" in (function_allowed(name, (3, 99)) or "")
            or name == "holt_winters"
        )
    assert (
        function_allowed("nonexistent", V242)
        == 'unknown function "nonexistent" (not in Prometheus 2.42)'
    )
    assert aggregation_allowed("sum", (2, 0)) is None
    assert set(AGGREGATIONS) >= {"sum", "avg", "count", "group", "topk", "quantile", "limitk"}


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        ("rate", (2, 0), None),
        ("holt_winters", (2, 55), None),
        ("holt_winters", (3, 0), "removed in Prometheus 3.0; use double_exponential_smoothing"),
        ("present_over_time", (2, 28), "added in Prometheus 2.29, target is 2.28"),
        ("limitk", (3, 0), "experimental"),
    ],
)
def test_function_allowed(name: str, version: tuple[int, int], expected: str | None) -> None:
    reason = (
        function_allowed(name, version) if name in FUNCTIONS else aggregation_allowed(name, version)
    )
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason


# -- oracle ---------------------------------------------------------------------


def _corpus() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = yaml.safe_load(CORPUS.read_text())["expressions"]
    return entries


def _promtool_verdicts(run_promtool: Any, tmp_path: Path, exprs: list[str]) -> dict[str, str]:
    """promtool's verdict per expression; one invocation over one file per expression."""
    files: dict[Path, str] = {}
    for i, expr in enumerate(exprs):
        path = tmp_path / f"expr_{i:03d}.yaml"
        rule = {"record": "test:expr", "expr": expr}
        path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [rule]}]}))
        files[path] = expr
    result = run_promtool("check", "rules", "--lint=none", *files)
    failed = {
        Path(m.group(1))
        for m in re.finditer(r"^(\S+\.yaml): ", result.stdout + result.stderr, re.MULTILINE)
    }
    checked = re.findall(r"^Checking (\S+)$", result.stdout + result.stderr, re.MULTILINE)
    assert len(checked) == len(files), result.stdout + result.stderr
    return {expr: "invalid" if path in failed else "valid" for path, expr in files.items()}


def test_corpus_shape() -> None:
    entries = _corpus()
    verdicts = [e["verdict"] for e in entries]
    assert len(entries) >= 60
    assert verdicts.count("invalid") >= 25 and verdicts.count("valid") >= 25
    assert len({e["name"] for e in entries}) == len(entries)


def test_corpus_agrees_with_promtool_and_check_expr(run_promtool: Any, tmp_path: Path) -> None:
    entries = _corpus()
    promtool = _promtool_verdicts(run_promtool, tmp_path, [e["expr"] for e in entries])
    disagreements = []
    for entry in entries:
        ours = "invalid" if check_expr(entry["expr"], V242) else "valid"
        theirs = promtool[entry["expr"]]
        if entry["name"] in KNOWN_DIFFERENCES:
            assert theirs == entry["verdict"] != ours, entry["name"]
            continue
        if not entry["verdict"] == theirs == ours:
            disagreements.append((entry["name"], entry["verdict"], theirs, ours))
    assert disagreements == [], "(name, corpus, promtool, check_expr)"


def test_a_rust_panic_in_the_parser_is_a_parse_error() -> None:
    """The stand-ins keep known panics away; the catch-all is the safety net."""
    from paladin_obs.validate.promql_worker import parse as _parse

    ast, error = _parse("x offset 1e308")  # raw promql-parser panics on this
    assert ast is None and error is not None and error.startswith("parse error: ")
