"""Drift findings located by their diff: the first changed line of the old file,
mapped back past the ownership record the diff leaves out; and paths from the
repository root."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from paladin_obs.ownership import stamp
from paladin_obs.report.paths import Repository, repository_root
from paladin_obs.report.where import first_changed_line, on_disk


def _diff(old: list[str], new: list[str]) -> str:
    return "".join(difflib.unified_diff(old, new, "a/f", "b/f"))


_TEN = [f"line {i}\n" for i in range(1, 11)]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (_TEN, [*_TEN[:6], "changed\n", *_TEN[7:]], 7),  # a change: the old line
        (_TEN, _TEN[:4] + _TEN[5:], 5),  # a removal: the removed line
        (_TEN, [*_TEN[:3], "new\n", *_TEN[3:]], 3),  # an insertion: the line it follows
        (_TEN, ["new\n", *_TEN], 1),  # an insertion at the start
        (_TEN, [*_TEN, "new\n"], 10),  # an insertion at the end
        ([], ["new\n"], 1),  # a new file
        (_TEN, [], 1),  # everything removed
        (_TEN, ["x\n", *_TEN[1:9], "y\n"], 1),  # two hunks: the first
    ],
)
def test_first_changed_line(old: list[str], new: list[str], line: int) -> None:
    assert first_changed_line(_diff(old, new)) == line


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no diff here\n",
        "--- a/f\n+++ b/f\n",
        # A missing file: nothing on disk to point into.
        "".join(difflib.unified_diff([], ["new\n"], "/dev/null", "b/f")),
    ],
)
def test_no_hunk_no_line(text: str) -> None:
    assert first_changed_line(text) is None


@pytest.mark.parametrize(
    ("fmt", "body", "line", "expect"),
    [
        # YAML: two header comment lines, then the record line, then the body.
        ("yaml", "groups:\n- name: a\n  rules: []\n", 1, 1),
        ("yaml", "groups:\n- name: a\n  rules: []\n", 2, 2),
        ("yaml", "groups:\n- name: a\n  rules: []\n", 3, 4),
        ("yaml", "groups:\n- name: a\n  rules: []\n", 5, 6),
        # JSON: the record is the object's first member, on line 2.
        ("json", '{\n  "a": 1,\n  "b": 2\n}\n', 1, 1),
        ("json", '{\n  "a": 1,\n  "b": 2\n}\n', 2, 3),
    ],
)
def test_lines_map_past_the_ownership_record(fmt: str, body: str, line: int, expect: int) -> None:
    text = stamp(fmt, body, "spec.yaml", "production", "f")  # type: ignore[arg-type]
    assert on_disk(text.decode(), line) == expect


def test_a_file_without_record_keeps_its_numbering() -> None:
    assert on_disk("a\nb\nc\n", 2) == 2


@pytest.mark.parametrize(
    ("markers", "workspace", "cwd", "root"),
    [
        (["r/.git"], None, "r/a/b", "r"),
        (["r/.git", "r/a/.git"], None, "r/a/b", "r/a"),  # the nearest wins (a submodule)
        (["r/.git"], "w", "r/a", "w"),  # GITHUB_WORKSPACE wins
        ([], None, "r/a", "r/a"),  # no repository: the current directory
        (["r/a/.git!file"], None, "r/a", "r/a"),  # .git as a file (worktrees)
    ],
)
def test_repository_root(
    markers: list[str], workspace: str | None, cwd: str, root: str, tmp_path: Path
) -> None:
    (tmp_path / cwd).mkdir(parents=True)
    (tmp_path / "w").mkdir()
    for marker in markers:
        if marker.endswith("!file"):
            (tmp_path / marker.removesuffix("!file")).write_text("gitdir: elsewhere\n")
        else:
            (tmp_path / marker).mkdir(parents=True)
    env = {"GITHUB_WORKSPACE": str(tmp_path / workspace)} if workspace else {}
    assert repository_root(tmp_path / cwd, env) == (tmp_path / root).resolve()


@pytest.mark.parametrize(
    ("file", "shown", "relative"),
    [
        ("x.yaml", "sub/x.yaml", "sub/x.yaml"),
        ("../y.yaml", "y.yaml", "y.yaml"),
        ("./a/../x.yaml", "sub/x.yaml", "sub/x.yaml"),
        ("../../outside.yaml", "../../outside.yaml", None),
        ("--extra-labels", "sub/--extra-labels", "sub/--extra-labels"),
    ],
)
def test_paths_from_the_root(file: str, shown: str, relative: str | None, tmp_path: Path) -> None:
    root = (tmp_path / "repo").resolve()
    (root / "sub").mkdir(parents=True)
    repository = Repository(root, root / "sub")
    assert repository.shown(file) == shown
    assert repository.relative(file) == relative
    absolute = str(root / "sub" / file)
    assert repository.shown(absolute) == (shown if relative else absolute)
