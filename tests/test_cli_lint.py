"""``paladin-obs lint`` and ``explain`` as real processes: severities decide the exit
code, findings are located in the spec or the rule file, suppressions need a reason
and are reported when unused, and a hand-written file duplicating a spec's alert is
caught when both are linted together."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CliRun

SPEC = """\
version: 1
defaults:
  runbook_url: "https://runbooks.example.com/{alert}"
  dashboards: {enabled: false}
environments:
  production:
    labels: {env: production}
services:
  checkout:
    selector: {job: checkout}
    metrics:
      http_requests_in_flight: {type: gauge}
      http_requests_total: {type: counter, labels: [code]}
    alerts:
      CheckoutBusy:
        expr: rate(http_requests_in_flight[5m]) > 10
        for: 10m
        severity: warning
        summary: Checkout is busy.
        description: "{{ $labels.instance }} is busy."
SUPPRESS
"""


def _spec(tmp_path: Path, suppress: str = "", expr: str = "") -> Path:
    text = SPEC.replace("SUPPRESS", suppress)
    if expr:
        text = text.replace("rate(http_requests_in_flight[5m]) > 10", expr)
    path = tmp_path / "paladin-obs.yaml"
    path.write_text(text)
    return path


def test_rate_on_a_gauge_in_a_spec_is_located_and_fails(run_cli: CliRun, tmp_path: Path) -> None:
    """Acceptance: the check id and the spec's line, exit 1."""
    _spec(tmp_path)
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(x for x in done.stdout.splitlines() if "[promql/rate-on-gauge]" in x)
    assert line.startswith("paladin-obs.yaml:16:15: ")
    assert "http_requests_in_flight" in line


def test_generate_refuses_the_same_error(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(tmp_path)
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 2
    assert "[promql/rate-on-gauge]" in done.stdout + done.stderr
    assert not (tmp_path / "rules").exists()


def test_a_spec_suppression_with_reason_silences_it(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(
        tmp_path, "        suppress: {promql/rate-on-gauge: the gauge is a monotonic odometer here}"
    )
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rate-on-gauge" not in done.stdout


def test_a_spec_suppression_without_reason_is_refused(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(tmp_path, '        suppress: {promql/rate-on-gauge: " "}')
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 1
    assert "paladin-obs.yaml:21:" in done.stdout + done.stderr
    assert "must say why" in done.stdout + done.stderr


def test_an_unused_spec_suppression_is_a_warning(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(
        tmp_path,
        "        suppress: {promql/rate-on-gauge: was needed once}",
        expr="deriv(http_requests_in_flight[5m]) > 10",
    )
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = [x for x in done.stdout.splitlines() if "[lint/unused-suppression]" in x]
    assert line.startswith("paladin-obs.yaml:21:20: warning: ")
    strict = run_cli("lint", "--strict", cwd=tmp_path)
    assert strict.returncode == 1


RULES = """\
groups:
  - name: checkout
    rules:
      # paladin-obs disable alerts/comparison: the Watchdog of this team, fires always
      - alert: CheckoutWatchdog
        expr: up{job="checkout"}
        for: 1m
        labels: {severity: info}
        annotations:
          summary: Always firing.
          description: "{{ $labels.instance }} is scraped."
      - alert: CheckoutBusy
        expr: rate(http_requests_in_flight[5m]) > 10  # paladin-obs disable promql/rate-on-gauge
        for: 10m
        labels: {severity: warning}
        annotations:
          summary: Checkout is busy.
          description: "{{ $labels.instance }} is busy."
"""


def test_rule_file_with_spec_catalog(run_cli: CliRun, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    (tmp_path / "hand.yaml").write_text(RULES)
    done = run_cli("lint", "--spec", str(spec), "hand.yaml", cwd=tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    # The comment without a reason is refused, so the finding is not suppressed.
    assert "hand.yaml:13:55: suppression of promql/rate-on-gauge has no reason" in out
    assert "hand.yaml:13:15: " in out and "[promql/rate-on-gauge]" in out
    # The suppression with a reason works.
    assert "alerts/comparison" not in out.replace("disable alerts/comparison", "")
    # Without the spec, the type-aware check has nothing to go on.
    plain = run_cli("lint", "hand.yaml", cwd=tmp_path)
    assert "[promql/rate-on-gauge]" not in plain.stdout


def test_validate_prints_lint_as_warnings_and_exits_0(run_cli: CliRun, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    (tmp_path / "hand.yaml").write_text(
        RULES.replace("  # paladin-obs disable promql/rate-on-gauge", "")
    )
    done = run_cli("validate", "--spec", str(spec), "hand.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: " in done.stdout and "[promql/rate-on-gauge]" in done.stdout
    assert (
        run_cli(
            "validate", "--lint-fatal", "--spec", str(spec), "hand.yaml", cwd=tmp_path
        ).returncode
        == 1
    )


def test_hand_written_copy_of_a_spec_alert_is_a_duplicate(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(tmp_path, expr="deriv(http_requests_in_flight[5m]) > 10")
    (tmp_path / "out").mkdir()
    assert run_cli("generate", "-o", "out", cwd=tmp_path).returncode == 0
    generated = (tmp_path / "out" / "rules" / "production" / "checkout.rules.yaml").read_text()
    (tmp_path / "hand.yaml").write_text(generated)
    done = run_cli("lint", "paladin-obs.yaml", "hand.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    (line,) = [x for x in done.stdout.splitlines() if "[rules/duplicate]" in x]
    assert line.startswith("hand.yaml:")
    assert "already defined at paladin-obs.yaml:15:7" in line


@pytest.mark.parametrize(
    "check_id", ["promql/rate-on-gauge", "alerts/comparison", "lint/unused-suppression"]
)
def test_explain(run_cli: CliRun, tmp_path: Path, check_id: str) -> None:
    done = run_cli("explain", check_id, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(check_id + " (")
    assert len(done.stdout.splitlines()) > 5


def test_explain_lists_and_refuses_typos(run_cli: CliRun, tmp_path: Path) -> None:
    listing = run_cli("explain", cwd=tmp_path)
    assert listing.returncode == 0 and "promql/rate-on-gauge" in listing.stdout
    typo = run_cli("explain", "promql/rate-on-gage", cwd=tmp_path)
    assert typo.returncode == 2
    assert "did you mean 'promql/rate-on-gauge'?" in typo.stdout + typo.stderr


def test_a_duplicate_suppressed_in_the_hand_written_file(run_cli: CliRun, tmp_path: Path) -> None:
    _spec(tmp_path, expr="deriv(http_requests_in_flight[5m]) > 10")
    (tmp_path / "out").mkdir()
    assert run_cli("generate", "-o", "out", cwd=tmp_path).returncode == 0
    generated = (tmp_path / "out" / "rules" / "production" / "checkout.rules.yaml").read_text()
    marked = generated.replace(
        "  - alert: CheckoutBusy",
        "  # paladin-obs disable rules/duplicate: loaded by another Prometheus\n  - alert: CheckoutBusy",
    )
    assert marked != generated
    (tmp_path / "hand.yaml").write_text(marked)
    done = run_cli("lint", "paladin-obs.yaml", "hand.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rules/duplicate" not in done.stdout.replace("disable rules/duplicate", "")


GROUPS = """\
groups:
  - name: g1
    rules:
      - alert: AlertA
        expr: up == 0
        for: 5m
        labels: {severity: critical}
        annotations: {summary: Down., description: no template}
      - alert: AlertB
        expr: up == 0
        for: 5m
        labels: {severity: critical}
        annotations: {summary: Down., description: no template}
  # paladin-obs disable alerts/annotations: meant for g2
  - name: g2  # paladin-obs disable alerts/annotations: on a group header
    rules:
      - alert: AlertC
        expr: up == 0
        for: 5m
        labels: {severity: critical}
        annotations: {summary: Down., description: no template}
# paladin-obs disable alerts/annotations: at the end of the file
"""


def test_directives_on_no_rule_suppress_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(GROUPS)
    done = run_cli("lint", "r.yaml", cwd=tmp_path)
    found = {(x.split(":")[1], x.rsplit("[", 1)[-1]) for x in done.stdout.splitlines() if "[" in x}
    assert {line for line, check in found if check == "alerts/annotations]"} == {"8", "13", "21"}
    assert {line for line, check in found if check == "lint/unused-suppression]"} == {"14", "15", "22"}
