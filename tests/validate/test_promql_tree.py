"""Our walk of a parsed expression visits what ``pp.walk`` visits, in its order.

Lint checks read the node list; a node missed here would silence a check, so
the walk is compared with the parser's own on tricky shapes and on every
expression of the public rule corpus and of our own generated rules.
"""

from __future__ import annotations

from pathlib import Path

import promql_parser as pp
import pytest
import yaml

from paladin_obs.validate.promql_tree import _walked, nodes
from paladin_obs.validate.promql_worker import parse

ROOT = Path(__file__).resolve().parents[2]

TRICKY = [
    "up",
    "42",
    '"text"',
    "time()",
    "-vector(1) and on (a) (y offset 5m @ 100)",
    "topk(3, -(max_over_time(rate(foo[5m])[10m:1m] offset 1m) > 0))",
    'quantile_over_time(0.9, (bar{a="b"})[1h:]) + on (a) group_left (b) count_values("v", x)',
    'label_replace(x, "a", "b", "c", "d")',
    "absent_over_time(x[5m]) unless sum without (a) (y)",
    "quantile(0.5, x) > bool 1",
    "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))",
    "((((up))))",
    "sum(rate(a[5m])) / sum(rate(b[5m])) * 100 > 5 or vector(0)",
    'count_values without (instance) ("version", build_info)',
    "clamp_max(predict_linear(disk[1h], 4 * 3600), 0) < 0",
    "sort_desc(sum by (job) (up == 0))",
]


def _types(found: list[pp.Expr]) -> list[tuple[str, str]]:
    return [(type(n).__name__, str(n)) for n in found]


@pytest.mark.parametrize("text", TRICKY)
def test_walk_matches_the_parser_on_tricky_shapes(text: str) -> None:
    expr = pp.parse(text)
    assert _types(nodes(expr)) == _types(_walked(expr))


def test_nodes_are_the_parsers_own_objects() -> None:
    # Checks compare nodes by identity with attributes they read (e.g. a call's
    # argument): a copy would break that.
    expr = pp.parse("sum(rate(x[5m]))")
    found = nodes(expr)
    assert found[0] is expr
    assert found[1] is expr.expr
    assert found[2] is expr.expr.args[0]


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000
    text = "(" * depth + "up" + ")" * depth
    expr = pp.parse(text)  # promql-parser recurses; fine at this depth on the main thread
    found = nodes(expr)
    assert len(found) == depth + 1
    assert isinstance(found[-1], pp.VectorSelector)


def _corpus_expressions() -> list[str]:
    files = sorted((ROOT / "tests" / "corpus" / "rules_public").rglob("*.y*ml"))
    files += sorted((ROOT / "rules").rglob("*.yaml"))
    found: list[str] = []
    for path in files:
        try:
            docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except yaml.YAMLError:
            continue
        for doc in docs:
            groups = doc.get("groups") if isinstance(doc, dict) else None
            for group in groups if isinstance(groups, list) else []:
                rules = group.get("rules") if isinstance(group, dict) else None
                for rule in rules if isinstance(rules, list) else []:
                    if isinstance(rule, dict) and isinstance(rule.get("expr"), str):
                        found.append(rule["expr"])
    return found


def test_walk_matches_the_parser_on_every_corpus_expression() -> None:
    texts = _corpus_expressions()
    assert len(texts) > 1000  # the corpus is there: a vacuous pass is no pass
    compared = 0
    for text in texts:
        expr, _ = parse(text)
        if expr is None:  # broken corpus entries have no tree to walk
            continue
        assert _types(nodes(expr)) == _types(_walked(expr)), text
        compared += 1
    assert compared > 1000
