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


def test_a_repeated_expression_is_parsed_once_per_run_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rules are sliced in the order of their expressions: a text repeated far
    # apart in the file is parsed once per slice its run reaches, and the findings are those of slices
    # of any size (every check sees every rule, only the slice parsed).
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
    for size in (1, 4, 7, 500):
        parsed.clear()
        monkeypatch.setattr(prometheus_rules, "SLICE", size)
        monkeypatch.setattr(prometheus_rules.check_slices, "__defaults__", (size,))
        found = check_rule_sources([source("a.yaml", text)], (2, 53))
        by_size[size] = sorted(d.render() for d in found)
        # A run of one text is cut only where a slice ends.
        assert set(parsed) == set(texts)
        assert len(parsed) <= len(texts) + -(-30 // size) - 1, (size, parsed)
    assert by_size[1] == by_size[4] == by_size[7] == by_size[500]
    assert any("alerts/template-labels" in line for line in by_size[500])
