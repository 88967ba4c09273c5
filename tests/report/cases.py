"""Real runs every machine format is checked on: each command, each exit code,
findings with and without check ids, problems, plan lines, drift with diffs,
and a file name full of characters that need escaping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.report.runner import BROKEN, REPO, SPEC, run

#: A case makes its input under a temporary directory and returns where to run
#: and the arguments (without ``--format``).
Case = Callable[[Path], tuple[Path, list[str]]]

_BAD_PROMQL = """\
groups:
  - name: checkout
    rules:
      - alert: CheckoutDown
        expr: up{job="checkout"} == 0 and
        for: 5m
"""


def _repo(tmp: Path) -> Path:
    root = tmp / "repo"
    (root / ".git").mkdir(parents=True)
    return root


def _corpus(_tmp: Path) -> tuple[Path, list[str]]:
    return REPO, ["validate", str(BROKEN.relative_to(REPO)), "--spec", str(BROKEN / "spec.yaml")]


def _lint_strict(_tmp: Path) -> tuple[Path, list[str]]:
    return BROKEN, ["lint", "alerts_for.yaml", "rules_duplicate.yaml", "--spec", "spec.yaml", "--strict"]


def _invalid(tmp: Path) -> tuple[Path, list[str]]:
    root = _repo(tmp)
    (root / "rules").mkdir()
    (root / "rules" / "a%b,c:d e.yaml").write_text(_BAD_PROMQL)
    return root / "rules", ["validate", "a%b,c:d e.yaml"]


def _unusable(tmp: Path) -> tuple[Path, list[str]]:
    root = _repo(tmp)
    (root / "broken.yaml").write_text("groups:\n  - name: [unclosed\n")
    return root, ["validate", "broken.yaml", "missing.yaml"]


def _spec(tmp: Path) -> Path:
    svc = _repo(tmp) / "svc"
    svc.mkdir()
    (svc / "paladin-obs.yaml").write_text(SPEC)
    return svc


def _generated(tmp: Path) -> Path:
    svc = _spec(tmp)
    done = run("generate", cwd=svc)
    assert done.returncode == 0, done.stderr
    return svc


def _drift(tmp: Path) -> Path:
    """One stale file (the spec changed) and one edited by hand, both with diffs."""
    svc = _generated(tmp)
    (svc / "paladin-obs.yaml").write_text(SPEC.replace("for: 10m", "for: 15m"))
    edited = svc / "rules" / "staging" / "checkout.rules.yaml"
    edited.write_text(edited.read_text().replace("severity: warning", "severity: critical"))
    return svc


def _check_clean(tmp: Path) -> tuple[Path, list[str]]:
    return _generated(tmp), ["check"]


def _check_drift(tmp: Path) -> tuple[Path, list[str]]:
    return _drift(tmp), ["check"]


def _check_missing_full_diff(tmp: Path) -> tuple[Path, list[str]]:
    """A deleted generated file, with --diff: its diff has no old file to point into."""
    svc = _generated(tmp)
    (svc / "rules" / "staging" / "checkout.rules.yaml").unlink()
    return svc, ["check", "--diff"]


def _dry_run(tmp: Path) -> tuple[Path, list[str]]:
    return _drift(tmp), ["generate", "--dry-run"]


def _refused(tmp: Path) -> tuple[Path, list[str]]:
    return _drift(tmp), ["generate"]


def _generate_fresh(tmp: Path) -> tuple[Path, list[str]]:
    return _spec(tmp), ["generate"]


CASES: dict[str, Case] = {
    "validate-corpus": _corpus,
    "lint-strict": _lint_strict,
    "validate-invalid-odd-name": _invalid,
    "validate-unusable": _unusable,
    "check-clean": _check_clean,
    "check-drift": _check_drift,
    "check-missing-diff": _check_missing_full_diff,
    "generate-dry-run": _dry_run,
    "generate-refused": _refused,
    "generate-fresh": _generate_fresh,
}

#: The exit code each case must end with, so every case tests what it claims.
EXIT = {
    "validate-corpus": 0,
    "lint-strict": 1,
    "validate-invalid-odd-name": 1,
    "validate-unusable": 2,
    "check-clean": 0,
    "check-drift": 1,
    "check-missing-diff": 1,
    "generate-dry-run": 1,
    "generate-refused": 2,
    "generate-fresh": 0,
}
