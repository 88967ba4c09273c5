"""`paladin-obs validate` gives promtool's verdict on real-world rule files (issue #9).

tests/corpus/rules_public/ holds public rule files as their projects publish them
(awesome-prometheus-alerts, rendered monitoring mixins, kube-prometheus, Thanos, and
Prometheus's own test data, some of it deliberately broken); SOURCES.md says where each
comes from and why promtool rejects the ones it rejects.

For every file: promtool exits 0 exactly when we exit 0, and where promtool exits 1 we
exit 1 (invalid) or 2 (unusable input). The validator is run in-process with
``--prometheus-version 2.42`` semantics, the promtool Debian ships and the one this test
runs, so a feature added after 2.42 is judged by the same dialect as the oracle. Any
exception, or an exit code other than 0, 1 or 2 (70 is a crash), fails the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paladin_obs.commands.validate import run

CORPUS = Path(__file__).parent / "corpus" / "rules_public"
FILES = sorted(CORPUS.glob("*.yaml"))
ORACLE_VERSION = "2.42"


def test_corpus_is_present_and_documented() -> None:
    assert 60 <= len(FILES) <= 120, len(FILES)
    listed = set(re.findall(r"^\| `([^`]+\.yaml)` \|", (CORPUS / "SOURCES.md").read_text(), re.M))
    assert listed == {f.name for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_verdict_agrees_with_promtool(path: Path, run_promtool) -> None:  # type: ignore[no-untyped-def]
    oracle = run_promtool("check", "rules", path)
    assert oracle.returncode in (0, 1), oracle.stdout + oracle.stderr
    try:
        report = run((str(path),), ORACLE_VERSION)
    except Exception as exc:  # a crash is a failure whatever promtool says
        pytest.fail(f"validate crashed on {path.name}: {exc!r}")
    assert report.exit_code in (0, 1, 2), f"validate exited {report.exit_code} (crash?)"
    ours = "\n".join(f"{d.location}: {d.message}" for d in (*report.problems, *report.findings) if d.severity == "error")
    if oracle.returncode == 0:
        assert report.exit_code == 0, f"promtool accepts {path.name}, we reject it:\n{ours}"
    else:
        assert report.exit_code in (1, 2), (
            f"promtool rejects {path.name}, we accept it; promtool says:\n{oracle.stdout}{oracle.stderr}"
        )
