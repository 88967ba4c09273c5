from __future__ import annotations

import pytest

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, prometheus_rules


def source(name: str, text: str) -> Source:
    doc = load_text(text, name, text_scalars=True)
    return Source(name, doc.data, lambda p, k: doc.where(p, key=k))


def check_rule_sources(sources: list[Source], version: tuple[int, int]) -> list[Diagnostic]:
    checked = prometheus_rules.check(sources, Settings(prometheus_version=version))
    return checked.errors + checked.findings


GOOD = (
    "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 5m\n"
    "    labels: {severity: critical}\n"
    "    annotations: {summary: A target is down., description: '{{ $labels.instance }} is down.'}\n"
)


def test_clean_files() -> None:
    assert check_rule_sources([source("a.yaml", GOOD)], (2, 53)) == []


def test_shape_content_and_lint_problems_together() -> None:
    broken = (
        "groups:\n- name: g\n  rules:\n  - alert: B\n    expr: rate(x[5m]\n"
        "  - alert: C\n    expr: rate(x[5m])\n    annotations: {d: '{{ $x }}'}\n    bogus: 1\n"
    )
    found = [
        d.render()
        for d in check_rule_sources(
            [source("a.yaml", GOOD), source("b.yaml", broken), source("c.yaml", GOOD)], (2, 53)
        )
    ]
    assert any(
        m.startswith("b.yaml:5:11: record") or m.startswith("b.yaml:5:11: alert 'B'") for m in found
    ), found
    assert any(m.startswith("b.yaml:9:5: unknown field 'bogus'") for m in found), found
    assert any(
        "b.yaml:8:22: alert 'C': annotation 'd' is not a valid template" in m
        and "undefined variable" in m
        for m in found
    ), found
    assert any(
        m.startswith("c.yaml:4:5: alert 'A' with the same labels and expression is already defined at a.yaml:4:5")
        for m in found
    ), found
    # A rule that does not parse is not linted: no comparison finding for B.
    assert not any("'B' has no comparison" in m for m in found)


def test_a_repeated_expression_is_parsed_once_whatever_the_slices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rules are sliced by distinct expressions, each text's rules together: a
    # text repeated far apart in the file is parsed once, and the findings are
    # those of slices of any size (every check sees every rule, only the slice
    # parsed).
    from paladin_obs.validate import rule_content

    texts = ["up == 0", "rate(x_total[5m]) > 1", 'sum by (job) (y{job="a"}) > 2']
    rules = "".join(
        f"  - alert: A{i}\n    expr: '{texts[i % 3]}'\n    labels: {{severity: warning}}\n"
        f"    annotations: {{summary: '{{{{ $labels.instance }}}} fails', description: x}}\n"
        for i in range(30)
    )
    text = "groups:\n- name: g\n  rules:\n" + rules
    parsed: list[str] = []
    real = rule_content.parse_expr

    def counting(expr: str, version: tuple[int, int]) -> object:
        parsed.append(expr)
        return real(expr, version)

    monkeypatch.setattr(rule_content, "parse_expr", counting)
    by_size = {}
    for size in (1, 2, 500):
        parsed.clear()
        monkeypatch.setattr(prometheus_rules, "SLICE", size)
        found = check_rule_sources([source("a.yaml", text)], (2, 53))
        by_size[size] = sorted(d.render() for d in found)
        assert sorted(parsed) == sorted(texts), size
    assert by_size[1] == by_size[2] == by_size[500]
    assert any("alerts/template-labels" in line for line in by_size[500])


@pytest.mark.parametrize(
    ("exprs", "size", "expected"),
    [
        ("abcabc", 1, ["aa", "bb", "cc"]),
        ("abcabc", 2, ["aabb", "cc"]),
        ("abcabc", 3, ["aabbcc"]),
        ("aaaab", 1, ["aaaa", "b"]),  # a run is never cut, however long
        ("cba", 5, ["abc"]),
        ("", 4, []),
    ],
)
def test_slices_hold_at_most_size_texts_and_whole_runs(exprs: str, size: int, expected: list[str]) -> None:
    from paladin_obs.validate.rulefile import RuleRef

    rules = [RuleRef(("groups", 0, "rules", i), f"R{i}", True, e, {}, {}, None, "g") for i, e in enumerate(exprs)]
    slices = prometheus_rules._slices(rules, size)
    assert ["".join(r.expr for r in part) for part in slices] == expected
    assert sorted(r.name for part in slices for r in part) == sorted(r.name for r in rules)
