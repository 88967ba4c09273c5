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


def test_readme_lists_every_check() -> None:
    readme = (TESTS.parent.parent / "README.md").read_text()
    for info in checks().values():
        assert f"| `{info.id}` | {info.severity} |" in readme, info.id
