"""``paladin-obs import`` and ``export`` as users run them: real processes, exit codes, files."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
#: conftest.run_cli: paladin-obs as a real process.
CliRun = Callable[..., subprocess.CompletedProcess[str]]
SLOTH = REPO / "tests" / "conformance" / "sloth"
BASE = SLOTH / "in-base.yaml"


def test_without_out_the_spec_is_printed_and_nothing_else(tmp_path: Path, run_cli: CliRun) -> None:
    result = run_cli("import", "sloth", BASE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# Imported by paladin-obs import sloth from {BASE}.\n")
    spec = yaml.safe_load(result.stdout)
    assert list(spec["services"]["svc01"]["slos"]) == ["slo1", "slo02"]
    assert list(tmp_path.iterdir()) == []


def test_written_spec_generates_and_validates(tmp_path: Path, run_cli: CliRun) -> None:
    imported = run_cli("import", "sloth", BASE, "-o", "spec.yaml", "--disable-recordings", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "wrote spec.yaml: 2 SLO(s) of 1 service(s)" in imported.stdout
    text = (tmp_path / "spec.yaml").read_text()
    assert text.splitlines()[1] == "# Options: --disable-recordings"
    assert run_cli("validate", "spec.yaml", cwd=tmp_path).returncode == 0
    generated = run_cli("generate", "-f", "spec.yaml", "-o", "out", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    rules = yaml.safe_load((tmp_path / "out" / "rules" / "svc01.slo.rules.yaml").read_text())
    assert [g["name"] for g in rules["groups"]] == ["sloth-slo-alerts-svc01-slo1"]


def test_an_existing_spec_is_replaced_only_with_force(tmp_path: Path, run_cli: CliRun) -> None:
    target = tmp_path / "spec.yaml"
    target.write_text("mine\n")
    refused = run_cli("import", "sloth", BASE, "-o", target, cwd=tmp_path)
    assert refused.returncode == 2
    assert f"{target}: already exists; use --force to replace it" in refused.stderr
    assert target.read_text() == "mine\n"
    forced = run_cli("import", "sloth", BASE, "-o", target, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert target.read_text().startswith("# Imported by paladin-obs import sloth")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]  # no staged file left


REFUSALS = [
    # (source text or None for BASE, extra arguments, stderr fragment)
    ('version: "prometheus/v9"\n', (), "in.yaml:1:10: unsupported Sloth spec version"),
    ("version: [\n", (), "in.yaml:2:1: YAML syntax error"),
    (None, ("--default-slo-period", "12h"), "--default-slo-period: '12h': an SLO period must be"),
    (
        None,
        ("--slo-period-windows-path", "nowhere"),
        "nowhere: --slo-period-windows-path: not a directory",
    ),
    (None, ("-l", "novalue"), "'novalue': use key=value"),
    (None, ("-l", "sloth_slo=x"), "--extra-labels: 'sloth_slo' is a label the SLO rules set"),
]


@pytest.mark.parametrize(("text", "args", "fragment"), REFUSALS)
def test_bad_input_exits_2_located_and_writes_nothing(
    tmp_path: Path, text: str | None, args: tuple[str, ...], fragment: str, run_cli: CliRun
) -> None:
    source = BASE
    if text is not None:
        source = tmp_path / "in.yaml"
        source.write_text(text)
    result = run_cli("import", "sloth", source, "-o", "spec.yaml", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "spec.yaml").exists()


def test_windows_directory_and_period(tmp_path: Path, run_cli: CliRun) -> None:
    result = run_cli(
        "import", "sloth", BASE, "--default-slo-period", "7d",
        "--slo-period-windows-path", SLOTH / "windows", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    slos = yaml.safe_load(result.stdout)["defaults"]["slos"]
    assert slos["period"] == "7d"
    assert slos["windows"]["7d"]["ticket"]["slow"] == {
        "error_budget_percent": 42,
        "short_window": "6h",
        "long_window": "3d",
    }


def test_output_into_a_directory_is_refused(tmp_path: Path, run_cli: CliRun) -> None:
    result = run_cli("import", "sloth", BASE, "-o", tmp_path, cwd=tmp_path)
    assert result.returncode == 2
    assert "is a directory" in result.stderr


def test_import_openslo_missing_file_is_located(tmp_path: Path, run_cli: CliRun) -> None:
    result = run_cli("import", "openslo", "absent.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "absent.yaml: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_openslo_round_trip(tmp_path: Path, run_cli: CliRun) -> None:
    assert run_cli("import", "sloth", BASE, "-o", "spec.yaml", cwd=tmp_path).returncode == 0
    exported = run_cli("export", "openslo", "-f", "spec.yaml", "-o", "openslo", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    files = sorted(
        p.relative_to(tmp_path).as_posix() for p in (tmp_path / "openslo").rglob("*.yaml")
    )
    assert files == ["openslo/svc01/slo02.yaml", "openslo/svc01/slo1.yaml"]
    again = run_cli("import", "openslo", "openslo/svc01/slo1.yaml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("# Imported by paladin-obs import openslo from")


def test_export_openslo_missing_spec_exits_2(tmp_path: Path, run_cli: CliRun) -> None:
    result = run_cli("export", "openslo", "-f", "absent.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "absent.yaml: file not found" in result.stderr
