"""The build cache: a hit gives exactly what a build gives, and anything the
build read that changes makes it a miss.

Every test runs the real CLI in a subprocess with its own cache directory;
whether an entry was used is seen from the outside (the entry's file is
read, the pipeline is not imported: ``-X importtime`` names it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SPEC = """\
version: 1
defaults:
  templates: [ops/templates]
  runbook_url: "https://runbooks.example.com/{alert_lower}"
environments:
  production:
    labels: {env: production}
services:
  shop:
    selector: {job: shop}
    metrics:
      http_requests_total: {type: counter, help: Requests, labels: [code]}
    signals:
      requests: http_requests_total
      errors: {metric: http_requests_total, match: {code: "=~5.."}}
    alerts:
      ShopErrors:
        template: local_ratio
        threshold: 0.05
        for: 10m
        severity: critical
"""

TEMPLATE = """\
about: Errors over requests above a threshold.
signals: [requests, errors]
params:
  threshold: {type: ratio, required: true, description: "Ratio that fires."}
expr: |
  sum(rate(${ signals.errors }[5m])) / sum(rate(${ signals.requests }[5m])) > ${ threshold }
summary: Error ratio of ${ scope } is above ${ threshold | percent }.
description: "{{ $value | humanizePercentage }} of ${ scope } requests failed."
"""


def run(cwd: Path, cache: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PALADIN_OBS_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "paladin_obs", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )


def built(proc: subprocess.CompletedProcess[str]) -> bool:
    """Whether the run imported the pipeline (a miss) or not (a hit)."""
    return "paladin_obs.pipeline" in proc.stderr


def output(proc: subprocess.CompletedProcess[str]) -> str:
    """stderr without the import timings."""
    return "".join(line for line in proc.stderr.splitlines(True) if not line.startswith("import time:"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    (work / "ops/templates/alerts").mkdir(parents=True)
    (work / "paladin-obs.yaml").write_text(SPEC)
    (work / "ops/templates/alerts/local_ratio.yaml").write_text(TEMPLATE)
    return work


def test_template_is_valid(project: Path, tmp_path: Path) -> None:
    """The fixture itself generates (else every test below proves nothing)."""
    proc = run(project, "", "generate")
    assert proc.returncode == 0, output(proc)
    assert any(project.joinpath("rules").rglob("*.yaml"))


@pytest.mark.parametrize("spec", ["paladin-obs.yaml", "examples/grafanalib/paladin-obs.yaml"])
def test_hit_writes_the_same_bytes_and_findings_as_a_build(spec: str, tmp_path: Path) -> None:
    """Cold and warm runs of the same spec: same files, same report, same exit."""
    src = REPO / spec
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    shutil.copytree(src.parent, cold, ignore=shutil.ignore_patterns("rules", "dashboards", "loki"))
    if (src.parent / "dashboards" / "src").exists():
        shutil.copytree(src.parent / "dashboards" / "src", cold / "dashboards" / "src")
    shutil.copytree(cold, warm)
    cache = tmp_path / "cache"
    first = run(cold, cache, "generate", "-f", src.name, "-o", "out")
    assert first.returncode == 0, output(first)
    again = run(warm, "", "generate", "-f", src.name, "-o", "out")
    assert again.returncode == 0
    files = sorted(p.relative_to(cold / "out") for p in (cold / "out").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(warm / "out") for p in (warm / "out").rglob("*") if p.is_file())
    for rel in files:
        assert (cold / "out" / rel).read_bytes() == (warm / "out" / rel).read_bytes(), rel
    # Now from the cache: identical plan and findings, on a fresh output directory.
    shutil.rmtree(warm / "out")
    cached = run(cold, cache, "generate", "-f", src.name, "-o", "out2")
    fresh = run(cold, "", "generate", "-f", src.name, "-o", "out3")
    assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout.replace("out3", "out2"))


def test_second_run_is_a_hit_and_reports_the_same(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(project, cache, "check")
    second = run(project, cache, "check")
    assert built(first) and not built(second)
    assert (first.returncode, first.stdout, output(first)) == (
        second.returncode, second.stdout, output(second)
    )
    assert len(list(cache.glob("*.entry"))) == 1


@pytest.mark.parametrize(
    "change",
    [
        "edit the spec",
        "edit a template the spec uses",
        "add a template to a template directory",
        "remove the template directory",
    ],
)
def test_anything_the_build_read_that_changes_is_a_miss(
    change: str, project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert run(project, cache, "generate").returncode == 0
    assert not built(run(project, cache, "check"))
    template = project / "ops/templates/alerts/local_ratio.yaml"
    if change == "edit the spec":
        project.joinpath("paladin-obs.yaml").write_text(SPEC.replace("0.05", "0.07"))
    elif change == "edit a template the spec uses":
        template.write_text(TEMPLATE.replace("Error ratio of", "Share of errors of"))
    elif change == "add a template to a template directory":
        # Same name as a built-in: it now wins, so the output may change.
        template.with_name("error_ratio.yaml").write_text(TEMPLATE)
    else:
        shutil.rmtree(project / "ops")
    proc = run(project, cache, "check")
    assert built(proc), change
    if change in ("edit the spec", "edit a template the spec uses"):
        assert proc.returncode == 1 and "stale" in proc.stdout, output(proc)
    if change == "remove the template directory":
        assert proc.returncode == 2, output(proc)


def test_a_broken_or_foreign_entry_is_a_miss_not_an_error(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(project, cache, "generate").returncode == 0
    (entry,) = cache.glob("*.entry")
    good = entry.read_bytes()
    broken = [
        b"{not json",
        json.dumps({"format": 999}).encode(),
        json.dumps({"format": 2}).encode(),
        good[:-10],  # cut short
        good + b"more",  # longer than its files
    ]
    for data in broken:
        entry.write_bytes(data)
        proc = run(project, cache, "check")
        assert proc.returncode == 0, output(proc)
        assert built(proc)
        entry.write_bytes(data)
    entry.write_bytes(good)
    assert not built(run(project, cache, "check"))


def test_no_cache_and_empty_directory_turn_it_off(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(project, cache, "generate", "--no-cache").returncode == 0
    assert not list(cache.glob("*.entry"))
    off = tmp_path / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "check"],
        cwd=project, capture_output=True, text=True, check=False,
        env={**os.environ, "PALADIN_OBS_CACHE_DIR": "", "HOME": str(off), "XDG_CACHE_HOME": str(off)},
    )
    assert proc.returncode == 0, proc.stderr
    assert not off.exists()  # nothing written anywhere
    assert built(run(project, cache, "check", "--no-cache"))


def test_input_errors_are_never_cached(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    project.joinpath("paladin-obs.yaml").write_text(SPEC.replace("local_ratio", "local_ratoi"))
    for _ in range(2):
        proc = run(project, cache, "check")
        assert proc.returncode == 2 and "local_ratio" in output(proc)
        assert built(proc)
    assert not list(cache.glob("*.entry"))


def test_a_spec_with_python_dashboards_is_never_cached(tmp_path: Path) -> None:
    """grafanalib files are code: what they import cannot be tracked."""
    pytest.importorskip("grafanalib")
    src = REPO / "examples/grafanalib"
    work = tmp_path / "work"
    shutil.copytree(src, work)
    cache = tmp_path / "cache"
    first = run(work, cache, "check")
    assert first.returncode == 0, output(first)
    assert not list(cache.glob("*.entry"))
    assert built(run(work, cache, "check"))


def test_entries_are_kept_by_output_directory_and_environment(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for args in ((), ("-o", "elsewhere"), ("--env", "production")):
        run(project, cache, "generate", *args)
    assert len(list(cache.glob("*.entry"))) == 3


def test_compiled_templates_are_kept_and_a_broken_one_is_recompiled(
    project: Path, tmp_path: Path
) -> None:
    """Jinja's code for each template of the user's own is kept (the built-in
    ones ship compiled, ``templates_code``); unreadable code is a miss."""
    cache = tmp_path / "cache"
    first = run(project, cache, "generate", "--no-cache", "-o", "one")
    assert first.returncode == 0, output(first)
    kept = sorted((cache / "jinja").glob("*.code"))
    assert kept  # --no-cache skips the build cache, not the compiled templates
    for path in kept:
        path.write_bytes(b"\x00not marshal")
    second = run(project, cache, "generate", "--no-cache", "-o", "two")
    assert second.returncode == 0, output(second)
    for path in (project / "one").rglob("*.yaml"):
        assert path.read_bytes() == (project / "two" / path.relative_to(project / "one")).read_bytes()


@pytest.mark.parametrize("change", ["point the link elsewhere", "remove an empty directory"])
def test_template_directories_are_kept_as_the_spec_names_them(
    change: str, project: Path, tmp_path: Path
) -> None:
    """A template directory behind a symbolic link, or an empty one, is part of
    the input even where no file or listing of it changes."""
    spec = project / "paladin-obs.yaml"
    if change == "point the link elsewhere":
        (project / "ops").rename(project / "v1")
        shutil.copytree(project / "v1", project / "v2")
        (project / "v2/templates/alerts/local_ratio.yaml").write_text(
            TEMPLATE.replace("Error ratio of", "Share of errors of")
        )
        (project / "ops").symlink_to("v1")
    else:
        spec.write_text(SPEC.replace("[ops/templates]", "[ops/templates, extra]"))
        (project / "extra").mkdir()
    cache = tmp_path / "cache"
    assert run(project, cache, "generate").returncode == 0
    assert not built(run(project, cache, "check"))
    if change == "point the link elsewhere":
        (project / "ops").unlink()
        (project / "ops").symlink_to("v2")
    else:
        (project / "extra").rmdir()
    proc = run(project, cache, "check")
    assert built(proc), change
    fresh = run(project, "", "check")
    assert (proc.returncode, proc.stdout) == (fresh.returncode, fresh.stdout)
    assert proc.returncode != 0


def test_a_spec_read_from_a_pipe_is_read_once(project: Path, tmp_path: Path) -> None:
    """The cache needs the spec's bytes before the build: a pipe can be read
    only once, so a spec that is no regular file is built without the cache."""
    text = SPEC.replace("  templates: [ops/templates]\n", "").replace("local_ratio", "error_ratio")
    env = {**os.environ, "PALADIN_OBS_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "paladin_obs", "generate", "-f", "/dev/stdin", "-o", "out"],
        cwd=project, env=env, input=text, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert any((project / "out/rules").rglob("*.yaml"))


def test_compiled_templates_are_kept_per_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja folds constants through the environment's finalize: the PromQL and
    the text environment must not share compiled code for the same text."""
    from paladin_obs import templates

    monkeypatch.setenv("PALADIN_OBS_CACHE_DIR", str(tmp_path / "cache"))
    text = '${ "{{ $labels.job }}" | quote }'
    for first, second in ((templates._PROMQL_ENV, templates._TEXT_ENV), (templates._TEXT_ENV, templates._PROMQL_ENV)):
        templates.compiled(first, text).render()
        assert templates.compiled(second, text).render() == second.from_string(text).render()
    assert templates.compiled(templates._TEXT_ENV, '${ "x" }').render() == "x"
    with pytest.raises(Exception, match="unescaped"):
        templates.compiled(templates._PROMQL_ENV, '${ "x" }').render()
