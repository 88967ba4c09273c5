"""Realistic broken rule files that promtool accepts, each with the check ids lint
must report on it (first line ``# expect: id, id``), linted with the catalog of
``tests/corpus/rules_broken/spec.yaml`` as ``paladin-obs lint --spec`` would."""

from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.commands.lint import run

CORPUS = Path(__file__).parent / "corpus" / "rules_broken"
SPEC = CORPUS / "spec.yaml"
FILES = sorted(p for p in CORPUS.glob("*.yaml") if p != SPEC)


def _expected(path: Path) -> set[str]:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: <ids>'"
    return {x.strip() for x in first.removeprefix("# expect:").split(",") if x.strip()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_promtool_accepts_it(path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    result = run_promtool("check", "rules", path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_lint_names_the_mistake(path: Path) -> None:
    report = run((str(path),), None, spec=str(SPEC))
    found = {f.check for f in report.findings if f.check}
    assert found == _expected(path), [f.render() for f in report.findings]
    assert all(f.location.file == str(path) and f.location.line > 0 for f in report.findings)
    errors = any(f.severity == "error" for f in report.findings)
    assert report.exit_code == (1 if errors else 0)


def test_every_rule_check_has_a_broken_file() -> None:
    from paladin_obs.lint import all_checks

    covered = set().union(*(_expected(p) for p in FILES))
    missing = sorted(set(all_checks()) - covered)
    assert not missing, f"no file in {CORPUS} shows {missing}"
