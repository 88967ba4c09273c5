"""Real promtool as the oracle for everything we generate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from paladin_obs.pipeline import build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def write_output(spec: Path, out: Path) -> list[Path]:
    files = []
    for rel, generated in build(str(spec)).files.items():
        if not rel.startswith("rules/"):
            continue  # dashboards: promtool reads rule files only
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(generated.content)
        files.append(path)
    return files


def test_committed_rule_files_pass_promtool(run_promtool) -> None:  # type: ignore[no-untyped-def]
    files = sorted((REPO / "rules").rglob("*.yaml"))
    assert files
    result = run_promtool("check", "rules", *files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("spec", ["small.yaml", "hostile.yaml"])
def test_generated_fixture_rules_pass_promtool(spec: str, tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    files = write_output(FIXTURES / spec, tmp_path)
    result = run_promtool("check", "rules", *files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test_file", sorted((Path(__file__).parent / "promtool").glob("*.test.yaml")), ids=lambda p: p.name)
def test_alerts_fire_and_stay_quiet(test_file: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    result = run_promtool("test", "rules", test_file)
    assert result.returncode == 0, result.stdout + result.stderr


TEMPLATE_TESTS = Path(__file__).parent / "promtool" / "templates"


def test_alert_templates_page_correctly(tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    """crash_looping's threshold, latency_quantile's traffic guard, saturation against a
    capacity metric and gauge_threshold's wording, proved by Prometheus's own evaluation."""
    files = write_output(TEMPLATE_TESTS / "templates.spec.yaml", tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["rules/production/api.rules.yaml"]
    test_file = tmp_path / "templates.test.yaml"
    shutil.copyfile(TEMPLATE_TESTS / "templates.test.yaml", test_file)
    result = run_promtool("test", "rules", test_file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hostile_values_arrive_verbatim(tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    """Escaping is right when Prometheus itself reads back exactly what the spec said."""
    (rules,) = write_output(FIXTURES / "hostile.yaml", tmp_path)
    test = {
        "rule_files": [str(rules)],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "1m",
            "input_series": [
                # The escaped selector must match exactly this series and nothing else:
                # job a"b\c, instance x"} or vector(1) or up{a="<newline>.
                {"series": 'up{job="a\\"b\\\\c", instance="x\\"} or vector(1) or up{a=\\"\\n"}', "values": "0x5"},
                {"series": 'up{job="other", instance="i"}', "values": "0x5"},
            ],
            "alert_rule_test": [{
                "eval_time": "2m",
                "alertname": "ApiDown",
                "exp_alerts": [{
                    "exp_labels": {
                        "severity": "critical",
                        "owner": "{{ .Evil }}",
                        "quote": 'it\'s "quoted" \\ here',
                        "note": "line1\nline2 {{ }}",
                        "job": 'a"b\\c',  # kept by max by (job)
                    },
                    "exp_annotations": {
                        "summary": "up of api is below 1.",
                        "description": 'up is 0 (max), below the threshold 1 for job=a"b\\c.',
                        "runbook_url": "https://runbooks.test/ApiDown?q=api",
                    },
                }],
            }],
        }],
    }
    path = tmp_path / "hostile.test.yaml"
    path.write_text(yaml.safe_dump(test, sort_keys=False))
    result = run_promtool("test", "rules", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_raw_expression_alert_ignores_other_environments(tmp_path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    """A hand-written ``expr`` gets the environment's selector: production's alert stays
    quiet on staging's series (issue #9), proved by Prometheus's own evaluation."""
    here = Path(__file__).parent / "promtool" / "raw_scope"
    files = write_output(here / "raw_scope.spec.yaml", tmp_path)
    assert "rules/production/checkout.rules.yaml" in [f.relative_to(tmp_path).as_posix() for f in files]
    test_file = tmp_path / "raw_scope.test.yaml"
    shutil.copyfile(here / "raw_scope.test.yaml", test_file)
    result = run_promtool("test", "rules", test_file)
    assert result.returncode == 0, result.stdout + result.stderr
