"""``paladin-obs validate`` on Loki files, and ``generate`` refusing a cardinality
mistake in Paladin's own spec: real processes, real exit codes and messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.conftest import CliRun

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "logql"


def _rule_file(tmp: Path, exprs: list[str], folder: str = "loki/production/rules/fake") -> Path:
    path = tmp / folder / "rules.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    rules = [{"record": f"test:logql:q{i}", "expr": e} for i, e in enumerate(exprs)]
    path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": rules}]}, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ('{app=~".*"}', "empty"),
        ('count_over_time({app=~".*"}[5m])', "empty"),
        ('sum_over_time({app="x"}[5m])', "unwrap"),
        ('{app="x"} |= "error"', "metric"),
    ],
)
def test_loki_rule_errors_exit_1(tmp_path: Path, run_cli: CliRun, expr: str, fragment: str) -> None:
    path = _rule_file(tmp_path, [expr])
    done = run_cli("validate", path, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "rules.yaml:" in out and fragment in out.lower(), out
    # The line of the rule's expr, and the column inside the expression.
    expr_line = next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if "expr:" in line
    )
    assert f"rules.yaml:{expr_line}:" in out, out
    assert "LogQL at column" in out, out


def test_the_loki_folder_or_the_option_selects_logql(tmp_path: Path, run_cli: CliRun) -> None:
    logql = 'sum(count_over_time({app="x"} |= "timeout" [5m])) > 3'
    outside = _rule_file(tmp_path, [logql], folder="rules")
    as_promql = run_cli("validate", outside, cwd=tmp_path)
    assert as_promql.returncode == 1  # not PromQL
    as_logql = run_cli("validate", "--loki", outside, cwd=tmp_path)
    assert as_logql.returncode == 0, as_logql.stdout + as_logql.stderr
    inside = _rule_file(tmp_path, [logql])
    assert run_cli("validate", inside, cwd=tmp_path).returncode == 0


def test_every_valid_metric_query_of_the_corpus_is_accepted(
    tmp_path: Path, run_cli: CliRun
) -> None:
    valid = yaml.safe_load((CORPUS / "valid.yaml").read_text())["queries"]
    metric = [e["query"] for e in valid if e["type"] == "metric"]
    assert len(metric) >= 40
    path = _rule_file(tmp_path, metric)
    done = run_cli("validate", path, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_committed_loki_tree_validates(run_cli: CliRun) -> None:
    done = run_cli("validate", "loki", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_broken_promtail_config_is_reported(tmp_path: Path, run_cli: CliRun) -> None:
    data = yaml.safe_load((REPO / "loki/production/promtail/paladin.yaml").read_text())
    data["scrape_configs"][0]["pipeline_stages"].append({"drop": {"expresion": "x"}})
    data["scrape_configs"][0]["pipeline_stages"].append({"regex": {"expression": "a(b"}})
    path = tmp_path / "promtail.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    done = run_cli("validate", path, cwd=tmp_path)
    assert done.returncode == 1
    assert "expresion" in done.stdout + done.stderr


def test_paladin_id_as_a_label_is_refused_with_its_line(tmp_path: Path, run_cli: CliRun) -> None:
    spec = (REPO / "paladin-obs.yaml").read_text()
    old = "span.paladin_id: {role: structured_metadata}"
    assert old in spec
    (tmp_path / "paladin-obs.yaml").write_text(spec.replace(old, "span.paladin_id: {role: label}"))
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 2
    line = next(i for i, text in enumerate(spec.splitlines(), 1) if old in text)
    out = done.stdout + done.stderr
    assert f"paladin-obs.yaml:{line}:" in out and "'span.paladin_id'" in out, out
    assert "structured_metadata" in out
    assert not (tmp_path / "loki").exists() and not (tmp_path / "rules").exists()


BAD_SPECS = [
    # (what, text in Paladin's spec, replacement, text of the reported line, fragment)
    (
        "unknown role",
        "fields.error: {role: line}",
        "fields.error: {role: lable}",
        "fields.error: {role: lable}",
        '"lable" is not allowed',
    ),
    (
        "bad regex",
        "- {contains: /health/ready, reason: health_check}",
        "- {regex: '/health/(ready', reason: health_check}",
        "/health/(ready",
        "not a valid RE2 regex",
    ),
    (
        "alert on an undeclared field",
        "template: log_rate\n          levels: [error, fatal]",
        "template: log_rate\n          match: {route: /v1/run}\n          levels: [error, fatal]",
        "match: {route: /v1/run}",
        "'route' is not a declared log field",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line_text", "fragment"), [b[1:] for b in BAD_SPECS], ids=[b[0] for b in BAD_SPECS]
)
def test_bad_log_specs_exit_2_located(
    tmp_path: Path, run_cli: CliRun, old: str, new: str, line_text: str, fragment: str
) -> None:
    spec = (REPO / "paladin-obs.yaml").read_text()
    assert old in spec
    bad = spec.replace(old, new)
    (tmp_path / "paladin-obs.yaml").write_text(bad)
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 2
    out = done.stdout + done.stderr
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if line_text in text)
    assert re.search(rf"paladin-obs\.yaml:{line}:\d+: .*{re.escape(fragment)}", out), out
    assert "Traceback" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paladin-obs.yaml"]  # nothing written
