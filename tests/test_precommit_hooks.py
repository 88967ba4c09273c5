"""The hooks of ``.pre-commit-hooks.yaml`` run for real, by pre-commit, in
temporary git repositories: pre-commit clones this project, pip-installs it into
its own environment (from PyPI, as for any user) and runs the hooks there.

The project is copied into a fresh repository and committed first: pre-commit
installs a repository's committed tree, and this checkout's HEAD may lack the
work in progress (``try-repo`` adds uncommitted changes of tracked files only,
never new files such as the manifest itself).

``try-repo`` keeps its hook environment in a temporary directory of its own
(it ignores ``PRE_COMMIT_HOME``), so each run installs anew: it is used for the
two check runs it was made for. The validate runs go through a
``.pre-commit-config.yaml``, as users run hooks, with one ``PRE_COMMIT_HOME``
for the session, so their environment is installed once.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.conftest import REPO, CliRun

#: What pre-commit needs of this project to install it: the package, its
#: templates, the build metadata and the hook manifest.
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
PROJECT_DIRS = ("generator/paladin_obs", "templates")
_GIT = ("git", "-c", "user.name=paladin-obs tests", "-c", "user.email=tests@example.invalid",
        "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")


def _require_pre_commit() -> None:
    missing = [name for name, found in (
        ("pre-commit", importlib.util.find_spec("pre_commit") is not None),
        ("git", shutil.which("git") is not None),
    ) if not found]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} required under CI=true but not installed")
        pytest.skip(f"{', '.join(missing)} not installed (pip install -e '.[test]')")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run([*_GIT, *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _commit_all(cwd: Path) -> str:
    _git(cwd, "add", "-A")
    _git(cwd, "commit", "-q", "-m", "test fixture")
    return _git(cwd, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree as a committed repository, and its commit."""
    _require_pre_commit()
    root = tmp_path_factory.mktemp("hook-repo")
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    _git(root, "init", "-q")
    return root, _commit_all(root)


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit store for the session: hook environments install once."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    for name in ("PALADIN_OBS_DEBUG", "PRE_COMMIT", "SKIP", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900,
    )


def _paladin_repo(path: Path, run_cli: CliRun) -> Path:
    """A git repository holding Paladin's spec and what it generates."""
    path.mkdir()
    _git(path, "init", "-q")
    shutil.copy2(REPO / "paladin-obs.yaml", path / "paladin-obs.yaml")
    done = run_cli("generate", cwd=path)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def _drift(repo: Path) -> None:
    """The spec changed without generating, and a generated file edited by hand."""
    spec = repo / "paladin-obs.yaml"
    text = spec.read_text()
    assert "threshold: 0.05\n" in text
    spec.write_text(text.replace("threshold: 0.05\n", "threshold: 0.07\n", 1))
    with (repo / "rules/staging/paladin.slo.rules.yaml").open("a") as stream:
        stream.write("# tuned by hand\n")


CHECK_CASES = [
    ("up to date", None, 0, ["Passed"]),
    ("drifted", _drift, 1, ["Failed", "rules/production/paladin.rules.yaml: stale",
                            "rules/staging/paladin.slo.rules.yaml: edited by hand"]),
]


@pytest.mark.parametrize(("change", "code", "expected"), [c[1:] for c in CHECK_CASES],
                         ids=[c[0] for c in CHECK_CASES])
def test_try_repo_check(
    hook_repo: tuple[Path, str], pre_commit_env: dict[str, str], run_cli: CliRun,
    tmp_path: Path, change: object, code: int, expected: list[str],
) -> None:
    repo = _paladin_repo(tmp_path / "user", run_cli)
    if callable(change):
        change(repo)
    _git(repo, "add", "-A")  # --all-files runs on the files git tracks
    done = _pre_commit(repo, pre_commit_env, "try-repo", str(hook_repo[0]),
                       "paladin-obs-check", "--all-files")
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "paladin-obs check (generated files match the spec)" in output
    for text in expected:
        assert text in output


GOOD_RULES = """\
groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels: {severity: critical}
        annotations:
          summary: The API is down.
          description: "{{ $labels.instance }} has been down for 5 minutes."
"""
BROKEN_RULES = GOOD_RULES.replace('up{job="api"} == 0', 'sum(rate(up{job="api"}[5m]) == 0')

VALIDATE_CASES = [
    # A broken YAML file outside the hook's folders is never passed to it.
    ("good rule file", GOOD_RULES, 0, ["Passed"], ["notes/draft.yaml"]),
    ("broken rule file", BROKEN_RULES, 1,
     ["Failed", "rules/hand/api.rules.yaml:5:47: alert 'ApiDown': 1:33: parse error"], ["notes/draft.yaml"]),
]


@pytest.mark.parametrize(("rules", "code", "expected", "absent"), [c[1:] for c in VALIDATE_CASES],
                         ids=[c[0] for c in VALIDATE_CASES])
def test_validate_hook_from_a_config(
    hook_repo: tuple[Path, str], pre_commit_env: dict[str, str], run_cli: CliRun, tmp_path: Path,
    rules: str, code: int, expected: list[str], absent: list[str],
) -> None:
    repo = _paladin_repo(tmp_path / "user", run_cli)
    (repo / "rules/hand").mkdir()
    (repo / "rules/hand/api.rules.yaml").write_text(rules)
    (repo / "notes").mkdir()
    (repo / "notes/draft.yaml").write_text("key: [unclosed\n")
    config = {"repos": [{"repo": str(hook_repo[0]), "rev": hook_repo[1],
                         "hooks": [{"id": "paladin-obs-validate"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(repo, "add", "-A")
    done = _pre_commit(repo, pre_commit_env, "run", "--all-files")
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "paladin-obs validate (rule files and dashboards)" in output
    for text in expected:
        assert text in output
    for text in absent:
        assert text not in output


def _manifest() -> dict[str, dict[str, object]]:
    return {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}


#: Which committed paths make each hook run (pre-commit matches ``files`` with
#: re.search on the path relative to the repository root).
TRIGGERS = [
    ("paladin-obs-check", "paladin-obs.yaml", True),
    ("paladin-obs-check", "team-a/paladin-obs.yml", True),
    ("paladin-obs-check", "rules/production/paladin.rules.yaml", True),
    ("paladin-obs-check", "dashboards/staging/paladin/overview.json", True),
    ("paladin-obs-check", "loki/production/paladin.alloy", True),
    ("paladin-obs-check", "ops/templates/alerts/queue.yaml", True),
    ("paladin-obs-check", "dashboards/src/runtime.dashboard.py", True),
    ("paladin-obs-check", "src/main.rs", False),
    ("paladin-obs-check", "docs/rules.md", False),
    ("paladin-obs-check", "my-paladin-obs.yaml", False),
    ("paladin-obs-validate", "rules/production/paladin.rules.yaml", True),
    ("paladin-obs-validate", "prometheus/rules/hand.yml", True),
    ("paladin-obs-validate", "dashboards/staging/paladin/overview.json", True),
    ("paladin-obs-validate", "loki/production/rules/paladin/paladin.yaml", True),
    ("paladin-obs-validate", "paladin-obs.yaml", False),
    ("paladin-obs-validate", "notes/rules.yaml", False),
    ("paladin-obs-validate", "rulesets/x.yaml", False),
]


@pytest.mark.parametrize(("hook", "path", "runs"), TRIGGERS, ids=[f"{h} {p}" for h, p, _ in TRIGGERS])
def test_files_pattern(hook: str, path: str, runs: bool) -> None:
    pattern = _manifest()[hook]["files"]
    assert isinstance(pattern, str)
    assert (re.search(pattern, path) is not None) is runs


def test_check_reads_the_spec_itself_and_validate_gets_all_files_at_once() -> None:
    hooks = _manifest()
    assert hooks["paladin-obs-check"]["pass_filenames"] is False
    assert hooks["paladin-obs-validate"]["require_serial"] is True
    assert {h["language"] for h in hooks.values()} == {"python"}
