"""``paladin-obs templates`` as a real process: the library listed, one template shown,
an unknown name refused with a suggestion."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliRun

REPO = Path(__file__).resolve().parent.parent


def test_lists_every_kind(run_cli: CliRun) -> None:
    done = run_cli("templates", cwd=REPO)
    assert done.returncode == 0, done.stderr
    for kind, name in (("alerts", "error_ratio"), ("records", "signal_rate"), ("logs", "no_logs")):
        assert f"{kind}:" in done.stdout and name in done.stdout


def test_one_template_and_a_typo(run_cli: CliRun, tmp_path: Path) -> None:
    done = run_cli("templates", "saturation", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "capacity_on" in done.stdout
    typo = run_cli("templates", "log_rat", cwd=tmp_path)
    assert typo.returncode == 2
    assert "did you mean 'log_rate'?" in typo.stdout + typo.stderr
