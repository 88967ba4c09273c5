"""``export openslo``: valid OpenSLO v1, deterministic, careful with files, and
export → import → generate gives the rules generate gives from the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from paladin_obs import pipeline
from paladin_obs.commands.export_openslo import run
from paladin_obs.formats.yaml_text import dump_yaml
from paladin_obs.importers.openslo import load_openslo
from paladin_obs.importers.openslo_common import schema_messages

ROOT = Path(__file__).parents[2]
SPEC = Path(__file__).parent / "fixtures" / "export.spec.yaml"
EXPORTED = sorted(
    f"{env}/{path}"
    for env in ("production", "staging")
    for path in ("api/availability.yaml", "api/latency.yaml", "batch_jobs/jobs.success.yaml")
)


def _export(spec: Path, out: Path) -> dict[str, str]:
    report = run(str(spec), str(out))
    assert report.exit_code == 0, report
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*.yaml"))}


def _slo_groups(spec: Path, env: str, service: str, slo_id: str, tmp: Path) -> list[Any]:
    out = pipeline.build(str(spec), str(tmp))
    path = "/".join(["rules", *([env] if env else []), f"{service}.slo.rules.yaml"])
    groups = yaml.safe_load(out.files[path].content.decode())["groups"]
    # Every rule, sloth_slo_info's provenance labels included. Not the link to
    # the dashboard panel: OpenSLO has no place for Grafana's URL.
    for group in groups:
        for rule in group["rules"]:
            rule.get("annotations", {}).pop("dashboard_url", None)
    return [g for g in groups if g["name"].endswith("-" + slo_id)]


def test_layout_and_every_document_valid(tmp_path: Path) -> None:
    files = _export(SPEC, tmp_path / "openslo")
    assert sorted(files) == EXPORTED
    for text in files.values():
        assert text.startswith("# Exported by paladin-obs from spec export-test")
        for doc in yaml.safe_load_all(text):
            assert schema_messages(doc) == [], doc


def test_deterministic_and_idempotent(tmp_path: Path) -> None:
    first = _export(SPEC, tmp_path / "a")
    assert _export(SPEC, tmp_path / "b") == first
    report = run(str(SPEC), str(tmp_path / "a"))
    assert "6 unchanged" in report.summary


@pytest.mark.parametrize(
    ("spec", "files"),
    [
        (SPEC, EXPORTED),
        (ROOT / "paladin-obs.yaml", None),
        # Every SLI kind in guarded mode: events, classic and native latency, raw.
        (ROOT / "tests" / "golden" / "slo" / "guarded" / "spec.yaml", None),
        (ROOT / "tests" / "golden" / "slo" / "sloth" / "spec.yaml", None),
    ],
)
def test_round_trip_gives_the_same_slo_rules(tmp_path: Path, spec: Path, files: list[str] | None) -> None:
    exported = _export(spec, tmp_path / "openslo")
    if files is not None:
        assert sorted(exported) == files
    for rel in exported:
        *env_dir, service, _ = rel.split("/")
        data = load_openslo(str(tmp_path / "openslo" / rel))
        (name,) = data["services"][service]["slos"]
        imported = tmp_path / "imported.yaml"
        imported.write_text(dump_yaml(data))
        want = _slo_groups(spec, env_dir[0] if env_dir else "", service, f"{service}-{name}", tmp_path / "o1")
        got = _slo_groups(imported, "", service, f"{service}-{name}", tmp_path / "o2")
        assert len(want) in (2, 3)
        assert got == want, rel


def test_refuses_files_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "openslo"
    target = out / "production" / "api" / "availability.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("hand: written\n")
    report = run(str(SPEC), str(out))
    assert report.exit_code == 2
    assert "no paladin-obs ownership record" in report.problems[0].message
    assert target.read_text() == "hand: written\n"
    assert not (out / "staging").exists()


def test_removes_exports_of_slos_that_are_gone(tmp_path: Path) -> None:
    out = tmp_path / "openslo"
    _export(SPEC, out)
    smaller = tmp_path / "spec.yaml"
    smaller.write_text(SPEC.read_text().split("  batch_jobs:")[0])
    report = run(str(smaller), str(out))
    assert report.exit_code == 0, report
    assert "2 removed" in report.summary
    assert not (out / "production" / "batch_jobs" / "jobs.success.yaml").exists()


def test_bad_spec_is_a_located_report(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nservices:\n  api:\n    slos:\n      a: {objective: 99}\n")
    report = run(str(spec), str(tmp_path / "out"))
    assert report.exit_code == 2
    assert str(report.problems[0].location).startswith(f"{spec}:5:")
    assert not (tmp_path / "out").exists()


def test_cli_round_trip(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from paladin_obs.cli import cli

    runner = CliRunner()
    out = tmp_path / "openslo"
    result = runner.invoke(cli, ["export", "openslo", "-f", str(SPEC), "-o", str(out)])
    assert result.exit_code == 0, result.output
    spec = tmp_path / "imported.yaml"
    source = out / "production" / "api" / "availability.yaml"
    result = runner.invoke(cli, ["import", "openslo", str(source), "-o", str(spec)])
    assert result.exit_code == 0, result.output
    assert "availability" in yaml.safe_load(spec.read_text())["services"]["api"]["slos"]


def test_values_are_exported_as_written_not_escaped(tmp_path: Path) -> None:
    # Guarded mode escapes "{" in literal alert text for Go templates; OpenSLO is
    # not a template, so the export carries the spec's own text, and the round
    # trip escapes it again.
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nid: braces\ndefaults: {runbook_url: 'https://r/{alert}'}\n"
        "services:\n  api:\n    metrics:\n      reqs_total: {type: counter, labels: [code]}\n"
        "    signals: {requests: reqs_total, errors: {metric: reqs_total, match: {code: '=~5..'}}}\n"
        "    slos:\n      a:\n        objective: 99\n        sli: {events: {errors: errors, total: requests}}\n"
        "        alerting: {labels: {team: '{core}'}, summary: 'Budget {burn}.'}\n"
    )
    (text,) = _export(spec, tmp_path / "openslo").values()
    assert "team: '{core}'" in text and "summary: Budget {burn}." in text
    assert '{{"{"}}' not in text
    rules = yaml.safe_load(pipeline.build(str(spec), str(tmp_path)).files["rules/api.slo.rules.yaml"].content)
    page = next(r for g in rules["groups"] for r in g["rules"] if r.get("alert"))
    assert page["labels"]["team"] == '{{"{"}}core}'
    data = load_openslo(str(tmp_path / "openslo" / "api" / "a.yaml"))
    imported = tmp_path / "imported.yaml"
    imported.write_text(dump_yaml(data))
    assert _slo_groups(imported, "", "api", "api-a", tmp_path / "o2") == _slo_groups(spec, "", "api", "api-a", tmp_path / "o1")
