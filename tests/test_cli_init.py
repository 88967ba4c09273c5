"""``paladin-obs init`` as a real process: every starter it writes generates,
validates and lints without a finding; it never overwrites a spec unasked; bad
flags are refused before anything is written; flag values cannot change the
spec's structure."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.conftest import CliRun

from paladin_obs.escape import promql_string
from paladin_obs.starter import alert_prefix, scalar

#: Flag combinations a new service might start with, and what each must produce.
STARTERS: list[tuple[str, tuple[str, ...], dict[str, object]]] = [
    ("defaults", (), {"envs": ["production", "staging"], "slo": True, "logs": False}),
    (
        "service, job, team, one environment",
        ("--service", "checkout", "--job", "checkout-api", "--env", "production", "--team", "payments"),
        {"envs": ["production"], "slo": True, "logs": False},
    ),
    (
        "logs in logfmt, three environments",
        ("--service", "search_api", "--env", "prod", "--env", "stage", "--env", "dev",
         "--logs", "/var/log/search/*.log", "--log-format", "logfmt"),
        {"envs": ["prod", "stage", "dev"], "slo": True, "logs": True},
    ),
    (
        "no SLOs, a long name, JSON logs",
        ("--service", "order-fulfilment-notification-dispatcher", "--no-slo",
         "--logs", "/app/logs/dispatcher.log", "-o", "monitoring.yaml"),
        {"envs": ["production", "staging"], "slo": False, "logs": True},
    ),
    (
        "names YAML 1.1 reads as booleans and null",
        ("--service", "yes", "--env", "on", "--env", "null", "--team", "no"),
        {"envs": ["on", "null"], "slo": True, "logs": False},
    ),
]


@pytest.mark.parametrize(("flags", "expect"), [c[1:] for c in STARTERS], ids=[c[0] for c in STARTERS])
def test_starter_generates_validates_and_lints_clean(
    run_cli: CliRun, tmp_path: Path, flags: tuple[str, ...], expect: dict[str, object]
) -> None:
    done = run_cli("init", *flags, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    spec = "monitoring.yaml" if "-o" in flags else "paladin-obs.yaml"
    assert f"wrote {spec}" in done.stdout and "Next steps:" in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == [spec]

    generated = run_cli("generate", "-f", spec, cwd=tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    trees = ["rules", "dashboards"] + (["loki"] if expect["logs"] else [])
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted(trees)
    envs = expect["envs"]
    assert isinstance(envs, list)
    assert sorted(p.name for p in (tmp_path / "rules").iterdir()) == sorted(envs)
    slo_files = list((tmp_path / "rules").glob("*/*.slo.rules.yaml"))
    assert len(slo_files) == (len(envs) if expect["slo"] else 0)

    for command in (("validate", spec, *trees), ("lint", "--strict", spec), ("lint", "--strict", *trees)):
        ran = run_cli(*command, cwd=tmp_path)
        assert ran.returncode == 0, (command, ran.stdout + ran.stderr)
        assert ran.stdout + ran.stderr == "", command  # not one finding, not even an info
    checked = run_cli("check", "-f", spec, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_refuses_to_overwrite_unless_forced(run_cli: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "paladin-obs.yaml"
    target.write_text("# my edits\n")
    refused = run_cli("init", "--service", "checkout", cwd=tmp_path)
    assert refused.returncode == 2
    assert "paladin-obs.yaml: already exists; use --force to replace it" in refused.stderr
    assert target.read_text() == "# my edits\n"
    forced = run_cli("init", "--service", "checkout", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "checkout:" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paladin-obs.yaml"]  # no staged leftovers


BAD_FLAGS = [
    (("--service", "Checkout"), "--service: 'Checkout' must be a lowercase name"),
    (("--service", "9lives"), "--service: '9lives' must be a lowercase name"),
    (("--service", "check out"), "--service: 'check out' must be a lowercase name"),
    (("--service", ""), "--service: '' must be a lowercase name"),
    (("--service", "a" * 64), "at most 63"),
    (("--env", "Prod"), "--env: 'Prod' must be a lowercase name"),
    (("--env", "prod", "--env", "prod"), "--env: 'prod' is given twice"),
    (("--logs", "logs/app.log"), "--logs: 'logs/app.log' must be an absolute path"),
    (("--job", ""), "--job: must not be empty"),
    (("--team", ""), "--team: must not be empty"),
    (("--team", "caf\udce9"), "--team: is not valid UTF-8 text"),  # argv bytes b"caf\xe9"
    # Exact matches only: a regex would select other jobs' series.
    (("--job", "api|web"), '--job: job: "api|web" is an exact match (=) but its value is written as a regex'),
]


@pytest.mark.parametrize(("flags", "message"), BAD_FLAGS, ids=[ascii(" ".join(f[0])) for f in BAD_FLAGS])
def test_bad_flag_is_refused_and_nothing_written(
    run_cli: CliRun, tmp_path: Path, flags: tuple[str, ...], message: str
) -> None:
    done = run_cli("init", *flags, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_several_bad_flags_are_reported_at_once(run_cli: CliRun, tmp_path: Path) -> None:
    done = run_cli("init", "--service", "Bad", "--env", "Worse", "--job", "", cwd=tmp_path)
    assert done.returncode == 2
    assert [line.split(":")[0] for line in done.stderr.splitlines()[:3]] == ["--service", "--env", "--job"]


#: Values meant to break out of a YAML scalar, a PromQL string or a Go template.
HOSTILE_TEAM = 'pay: ments # not a comment\n- "quoted" \'single\' {{ $value }} \\ é \u2028 end'
HOSTILE_JOB = '=~pay"ments} or vector(1) # x: y \\ {{ $labels.job }}'


def test_hostile_team_and_job_round_trip(run_cli: CliRun, tmp_path: Path) -> None:
    done = run_cli("init", "--service", "checkout", "--team", HOSTILE_TEAM, "--job", HOSTILE_JOB, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((tmp_path / "paladin-obs.yaml").read_text())
    assert data["defaults"]["alert_labels"] == {"team": HOSTILE_TEAM}
    # The job is an exact match: its leading '=~' must not make it a regex.
    assert data["services"]["checkout"]["selector"] == {"job": "=" + HOSTILE_JOB}
    generated = run_cli("generate", cwd=tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    rules = yaml.safe_load((tmp_path / "rules/production/checkout.rules.yaml").read_text())
    alert = next(r for g in rules["groups"] for r in g["rules"] if r.get("alert") == "CheckoutHighErrorRate")
    assert f"job={promql_string(HOSTILE_JOB)}" in alert["expr"]
    assert run_cli("lint", "--strict", cwd=tmp_path).returncode == 0


def test_same_flags_same_bytes(run_cli: CliRun, tmp_path: Path) -> None:
    flags = ("--service", "checkout", "--logs", "/var/log/c.log", "--team", "payments")
    for name in ("a.yaml", "b.yaml"):
        assert run_cli("init", *flags, "-o", name, cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


SCALARS = ["checkout", "yes", "No", "null", "~", "1.0", "0x1f", "2026-01-02", "a: b", "#x", "- x",
           "*alias", "&anchor", "!tag", "%dir", "@at", "`tick", "", " lead", "trail ", "'", '"',
           "line\nbreak", "tab\tx", "é", "\U0001f600", "\x85", "\u2028", "\ufeffbom", "x\x00y"]


@pytest.mark.parametrize("value", SCALARS, ids=[repr(v) for v in SCALARS])
def test_scalar_loads_back_as_the_same_string(value: str) -> None:
    text = scalar(value)
    assert "\n" not in text
    assert yaml.safe_load(f"key: {text}\n") == {"key": value}
    assert yaml.safe_load(f"{{k: {text}}}") == {"k": value}  # inside a flow mapping too


@pytest.mark.parametrize(
    ("service", "prefix"),
    [("checkout", "Checkout"), ("search_api", "SearchApi"), ("x2-y", "X2Y"),
     ("order-fulfilment-notification-dispatcher", "OrderFulfilment"),
     ("abcdefghijklmnopqrstuvwxyz", "Abcdefghijklmnopqr")],
)
def test_alert_prefix_leaves_room_for_every_alert_name(service: str, prefix: str) -> None:
    assert alert_prefix(service) == prefix
    assert len(prefix + "AvailabilityBudgetBurn") <= 40
