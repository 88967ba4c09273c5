"""The LogQL corpus (tests/corpus/logql/) against two parsers.

* @grafana/lezer-logql, Grafana's lezer grammar for LogQL, run by node (the
  external oracle, tests/logql_oracle/): it accepts every valid query, refuses
  every `kind: syntax` invalid one and accepts every `kind: semantic` one (lezer
  checks syntax only), except the justified LEZER_DIFFERENCES below.
* paladin_obs.validate.logql.check_logql, our validator: no error on a valid
  query; at least one on an invalid one, a message containing `expect` and, where
  the corpus gives `offset`, the first error there; log queries (metric_only.yaml
  and the `type: log` valid ones) refused as rule expressions (metric=True).

The corpus verdicts are Loki's (syntax.ParseExpr and the parsers it builds), as
reasoned from Loki's source; each file's header says how.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.logql_oracle import LezerVerdict, lezer_results

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "logql"

#: Queries where lezer-logql's verdict differs from Loki's, with the reason. Each is
#: checked to still differ, so a lezer upgrade that closes a gap shows up here.
LEZER_DIFFERENCES: dict[str, str] = {
    # valid.yaml: Loki accepts, lezer refuses.
    '{app="orders"} | logfmt | level="info" caller="main.go"':
        "Loki's grammar has `labelFilter labelFilter` (whitespace as and); "
        "lezer's LabelFilter only knows `and`, `,` and `or`",
    'sum_over_time({app="orders"} | logfmt | unwrap sent_bytes [5m] offset 1d)':
        "Loki's grammar has `selector pipelineExpr unwrapExpr RANGE offsetExpr`; "
        "lezer's LogRangeExpr lacks the offset after an unwrapped pipeline range",
    # invalid.yaml, kind: syntax: Loki refuses, lezer accepts.
    '{app:name="orders"}':
        "Loki's lexer (Go text/scanner) ends an identifier at ':'; lezer's Identifier "
        "token allows ':' anywhere (PromQL metric-name style)",
    'rate({app="orders"}[1.5m])':
        "Loki parses a range with Prometheus' model.ParseDuration (integers only); "
        "lezer's Duration token takes fractional numbers",
    'sum(rate({app="orders"}[1m])) / on (pod,) sum(rate({app="billing"}[1m]))':
        "Loki's on()/ignoring() take `labels` (no trailing comma); lezer's "
        "GroupingLabels allow one",
    # invalid.yaml, kind: semantic: Loki's grammar accepts, lezer refuses.
    "{}":
        "Loki's grammar has `OPEN_BRACE CLOSE_BRACE` (refused later by validation: "
        "no selective matcher); lezer's Selector requires at least one matcher",
}


def _load(name: str) -> list[dict[str, Any]]:
    entries = yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["queries"]
    assert isinstance(entries, list)
    return entries


VALID = _load("valid")
INVALID = _load("invalid")
METRIC_ONLY = _load("metric_only")


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [f"{i:03d}-" + re.sub(r"[^a-z0-9]+", "-", e["note"].lower()).strip("-")[:60]
            for i, e in enumerate(entries)]


def _params(entries: list[dict[str, Any]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("entry", entries, ids=_ids(entries))


# --- the corpus itself ---------------------------------------------------------------


def test_corpus_shape() -> None:
    assert len(VALID) >= 100
    assert len(INVALID) >= 50
    assert sum(e["kind"] == "syntax" for e in INVALID) >= 20
    assert sum(e["kind"] == "semantic" for e in INVALID) >= 20
    assert len(METRIC_ONLY) >= 5
    queries = [e["query"] for e in VALID + INVALID + METRIC_ONLY]
    assert len(queries) == len(set(queries)), "a query is listed twice"
    for e in VALID:
        assert set(e) == {"query", "note", "type"} and e["type"] in {"log", "metric"}, e
    for e in INVALID:
        assert {"query", "note", "kind", "expect"} <= set(e) <= {"query", "note", "kind", "expect", "offset"}, e
        assert e["kind"] in {"syntax", "semantic"}, e
        assert e["expect"] == e["expect"].lower().strip() != "", e
        if "offset" in e:
            assert e["kind"] == "syntax" and 0 <= e["offset"] <= len(e["query"]), e
    for e in METRIC_ONLY:
        assert set(e) == {"query", "note", "expect"} and e["expect"] == e["expect"].lower(), e
    known = set(queries)
    assert [q for q in LEZER_DIFFERENCES if q not in known] == []


#: Each construct valid.yaml must show at least once (regexes over the queries).
CONSTRUCTS = [
    r"\|= ", r"!= \"", r"\|~ ", r"!~ \"", r"\|> ", r"!> ", r"\|= \"[^\"]*\" or ", r"\|~ \"[^\"]*\" or ",
    r"\|> \"[^\"]*\" or ", r"ip\(\"", r"`", r"\n", r"#",
    r"\| json$", r"\| json \w", r"\| logfmt --strict", r"--keep-empty", r"\| logfmt \w",
    r"\| pattern ", r"\| regexp ", r"\| unpack",
    r"\| line_format ", r"\| label_format \w+=\w", r"\| label_format \w+=\"", r"\| keep ", r"\| drop ",
    r"\| decolorize", r"> \d+ms", r"\d+KB", r"MiB", r" and ", r"__error__",
    r"\| unwrap \w+ ", r"unwrap duration\(", r"unwrap bytes\(", r"unwrap duration_seconds\(",
    r"\] offset ", r"\[\d+m\] \|",
    *[rf"\b{f}\(" for f in (
        "rate", "rate_counter", "count_over_time", "bytes_rate", "bytes_over_time", "sum_over_time",
        "avg_over_time", "min_over_time", "max_over_time", "stddev_over_time", "stdvar_over_time",
        "quantile_over_time", "first_over_time", "last_over_time", "absent_over_time",
        "topk", "bottomk", "sort", "sort_desc", "vector", "label_replace")],
    *[rf"\b{op} (by|without) \(" for op in ("sum", "avg", "min", "count", "stddev", "stdvar")],
    r"\) by \(", r"\) without \(", r"_over_time\([^\n]*\) by \(",
    *[rf"\) {re.escape(op)} " for op in ("+", "-", "*", "/", "%", "^", "==", "!=", ">", ">=", "<", "<=")],
    r" and sum", r" or sum", r" unless sum", r"bool", r"on \(", r"ignoring \(", r"group_left", r"group_right",
    r"\* -1",
]


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_valid_corpus_covers(construct: str) -> None:
    assert any(re.search(construct, e["query"], re.MULTILINE) for e in VALID), construct


def test_invalid_corpus_covers_every_semantic_rule() -> None:
    expects = {e["expect"] for e in INVALID if e["kind"] == "semantic"}
    rules = {"empty", "unwrap", "grouping", "parameter", "regex", "capture", "duplicate", "binary", "literal", "number"}
    assert rules <= expects


# --- lezer-logql: syntax only ---------------------------------------------------------


@pytest.fixture(scope="module")
def lezer() -> dict[str, LezerVerdict]:
    """lezer's verdict on every corpus query, from one node process."""
    queries = [e["query"] for e in VALID + INVALID + METRIC_ONLY]
    return dict(zip(queries, lezer_results(queries), strict=True))


@_params(VALID)
def test_lezer_accepts_valid(entry: dict[str, Any], lezer: dict[str, LezerVerdict]) -> None:
    verdict = lezer[entry["query"]]
    if entry["query"] in LEZER_DIFFERENCES:
        assert not verdict.accepted, "lezer now accepts it: drop it from LEZER_DIFFERENCES"
        return
    assert verdict.accepted, f"lezer refuses it at offset {verdict.offset}"
    assert verdict.kind == entry["type"]


@_params(INVALID)
def test_lezer_on_invalid(entry: dict[str, Any], lezer: dict[str, LezerVerdict]) -> None:
    # lezer is a grammar: it refuses syntax errors and accepts what only Loki's validation refuses.
    verdict = lezer[entry["query"]]
    expected = entry["kind"] == "semantic"
    if entry["query"] in LEZER_DIFFERENCES:
        expected = not expected
    assert verdict.accepted == expected, (
        f"{entry['kind']} query, lezer {'accepts' if verdict.accepted else f'refuses at {verdict.offset}'}"
    )


@_params(METRIC_ONLY)
def test_lezer_accepts_metric_only_as_log_queries(entry: dict[str, Any], lezer: dict[str, LezerVerdict]) -> None:
    verdict = lezer[entry["query"]]
    assert verdict.accepted and verdict.kind == "log"


# --- paladin_obs.validate.logql ------------------------------------------------------------


def _check(query: str, *, metric: bool = False) -> list[Any]:
    from paladin_obs.validate.logql import check_logql  # imported here: lezer tests run without it

    return list(check_logql(query, metric=metric))


def _show(errors: list[Any]) -> str:
    return "; ".join(f"{e.offset}: {e.message}" for e in errors)


@_params(VALID)
def test_validator_accepts_valid(entry: dict[str, Any]) -> None:
    errors = _check(entry["query"])
    assert errors == [], _show(errors)


@_params(VALID)
def test_validator_metric_mode_on_valid(entry: dict[str, Any]) -> None:
    errors = _check(entry["query"], metric=True)
    if entry["type"] == "metric":
        assert errors == [], _show(errors)
    else:
        assert errors, "a log query passed as a rule expression"


@_params(INVALID)
def test_validator_refuses_invalid(entry: dict[str, Any]) -> None:
    errors = _check(entry["query"])
    assert errors, "no error reported"
    assert any(entry["expect"] in e.message.lower() for e in errors), (
        f"no message contains {entry['expect']!r}: {_show(errors)}"
    )
    if "offset" in entry:
        assert errors[0].offset == entry["offset"], _show(errors)


@_params(METRIC_ONLY)
def test_validator_metric_only(entry: dict[str, Any]) -> None:
    assert _check(entry["query"]) == []
    errors = _check(entry["query"], metric=True)
    assert errors, "a log query passed as a rule expression"
    assert any(entry["expect"] in e.message.lower() for e in errors), _show(errors)
