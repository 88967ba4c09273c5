"""Every check is one module with a stable id, a severity, a docstring that
``explain`` can print, and tests of its own; suppressions and explain know every id."""

from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs import lint
from paladin_obs.diagnostics import SEVERITIES
from paladin_obs.lint.registry import checks

TESTS = Path(__file__).parent


@pytest.mark.parametrize("check_id", sorted(lint.all_checks()))
def test_rule_check_module_shape(check_id: str) -> None:
    module = lint.all_checks()[check_id]
    name = module.__name__.rsplit(".", 1)[1]  # type: ignore[attr-defined]
    assert name == check_id.replace("/", "_").replace("-", "_")
    assert module.SEVERITY in SEVERITIES
    doc = module.__doc__ or ""  # type: ignore[attr-defined]
    assert doc.startswith(check_id + ": "), "docstring's first line is 'ID: what it finds'"
    assert len(doc.splitlines()) > 4, "the docstring says why and how to fix"
    assert (TESTS / f"test_{name}.py").is_file()


def test_explain_knows_every_id_once() -> None:
    known = checks()
    assert set(lint.all_checks()) <= set(known)
    assert {"lint/suppression", "lint/unused-suppression", "dashboard/migrated"} <= set(known)
    for info in known.values():
        assert info.summary and info.doc, info.id


def test_known_ids_are_every_check_without_importing_the_dashboard_ones() -> None:
    # Suppressions are judged against known_ids(), which reads dashboard
    # check ids off module names (no import of the dashboard model).
    from paladin_obs.lint.registry import known_ids

    assert known_ids() == set(checks())


def test_readme_lists_every_check() -> None:
    readme = (TESTS.parent.parent / "README.md").read_text()
    for info in checks().values():
        assert f"| `{info.id}` | {info.severity} |" in readme, info.id


#: Alerts with something for each per-rule check to find, and one with nothing.
_PER_RULE_FILE = """\
groups:
- name: g
  rules:
  - alert: high_errors
    expr: rate(errors_total[5m]) > 1
    labels: {severity: page, value: '{{ $value }}'}
    annotations: {summary: errors are high}
  - alert: HighErrors
    expr: rate(errors_total[5m]) > 1
    labels: {severity: warning}
    annotations: {summary: 'Errors on {{ $labels.job }}', description: static}
  - alert: Fine
    expr: up == 0
    labels: {severity: critical}
    annotations: {summary: A target is down., description: '{{ $labels.instance }} is down.'}
  - record: job:errors:rate5m
    expr: sum by (job) (rate(errors_total[5m]))
"""


@pytest.mark.parametrize(
    "check_id", sorted(i for i, m in lint.all_checks().items() if lint.per_rule(m))
)
def test_per_rule_checks_read_one_rule(check_id: str) -> None:
    # ``PER_RULE`` lets a file cut in two run the check on each part's rules:
    # its findings on every rule must be the same with no other rule present.
    from paladin_obs.loader import load_text
    from paladin_obs.validate.rulefile import check_file

    doc = load_text(_PER_RULE_FILE, "r.yaml", text_scalars=True)

    def locate(path, key):  # type: ignore[no-untyped-def]
        return doc.where(path, key=key)

    _, rules, groups = check_file(doc.data, locate, (3, 0))
    check = [lint.all_checks()[check_id]]
    whole = lint.collect(
        lint.LintContext([lint.FileRules("r.yaml", rules, locate, {}, groups)]), check
    )
    alone = [
        d
        for rule in rules
        for d in lint.collect(
            lint.LintContext([lint.FileRules("r.yaml", [rule], locate, {}, groups)]), check
        )
    ]
    assert whole, "the file has nothing for this check to find: the test proves nothing"
    assert sorted(alone) == sorted(whole)
