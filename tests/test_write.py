from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paladin_obs import write
from paladin_obs.conventions import GENERATED_MARKER
from paladin_obs.diagnostics import InputError

OURS = f"{GENERATED_MARKER} from s.yaml, environment prod. DO NOT EDIT.\n".encode()
OTHER_SPEC = f"{GENERATED_MARKER} from other.yaml. DO NOT EDIT.\n".encode()
SIMILAR_NAME = f"{GENERATED_MARKER} from s.yaml.bak. DO NOT EDIT.\n".encode()


def test_plan_and_apply(tmp_path: Path) -> None:
    (tmp_path / "rules" / "old").mkdir(parents=True)
    (tmp_path / "rules" / "same.yaml").write_bytes(OURS + b"a\n")
    (tmp_path / "rules" / "old" / "gone.yaml").write_bytes(OURS + b"old\n")
    (tmp_path / "rules" / "hand.yaml").write_bytes(b"groups: []\n")
    (tmp_path / "rules" / "theirs.yaml").write_bytes(OTHER_SPEC)
    (tmp_path / "rules" / "similar.yaml").write_bytes(SIMILAR_NAME)
    (tmp_path / "elsewhere.yaml").write_bytes(OURS)
    files = {"rules/same.yaml": OURS + b"a\n", "rules/new/x.yaml": OURS + b"x\n"}
    plan = write.plan(tmp_path, files, ("rules",), "s.yaml")
    assert plan.create == ["rules/new/x.yaml"]
    assert plan.unchanged == ["rules/same.yaml"]
    # Only this spec's files, inside the scope, are pruned.
    assert plan.delete == ["rules/old/gone.yaml"]
    assert plan.conflicts == []
    write.apply(tmp_path, files, plan)
    assert (tmp_path / "rules" / "new" / "x.yaml").read_bytes() == OURS + b"x\n"
    assert not (tmp_path / "rules" / "old").exists()  # emptied directories go too
    for kept in ("rules/hand.yaml", "rules/theirs.yaml", "rules/similar.yaml", "elsewhere.yaml"):
        assert (tmp_path / kept).exists(), kept
    assert not list(tmp_path.rglob("*.tmp"))
    assert write.plan(tmp_path, files, ("rules",), "s.yaml").clean


@pytest.mark.parametrize("existing", [b"groups: []\n", OTHER_SPEC])
def test_files_we_did_not_generate_are_conflicts(tmp_path: Path, existing: bytes) -> None:
    (tmp_path / "f.yaml").write_bytes(existing)
    plan = write.plan(tmp_path, {"f.yaml": OURS}, (), "s.yaml")
    assert plan.conflicts == ["f.yaml"]
    assert not plan.clean


def test_update_detects_hand_edits(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_bytes(OURS + b"edited\n")
    plan = write.plan(tmp_path, {"f.yaml": OURS + b"fresh\n"}, (), "s.yaml")
    assert plan.update == ["f.yaml"]


def test_a_failed_write_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(OURS + b"old\n")
    (tmp_path / "blocked").write_bytes(b"a file where a directory must go\n")
    files = {"a.yaml": OURS + b"new\n", "blocked/b.yaml": OURS, "c/d/e.yaml": OURS}
    plan = write.plan(tmp_path, files, (), "s.yaml")
    with pytest.raises(OSError):
        write.apply(tmp_path, files, plan)
    assert (tmp_path / "a.yaml").read_bytes() == OURS + b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "blocked"]


def test_modes_follow_the_existing_file_or_the_umask(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(OURS)
    os.chmod(tmp_path / "a.yaml", 0o640)
    files = {"a.yaml": OURS + b"x\n", "b.yaml": OURS}
    old = os.umask(0o027)
    try:
        write.apply(tmp_path, files, write.plan(tmp_path, files, (), "s.yaml"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b.yaml").stat().st_mode) == 0o640


def test_unreadable_paths_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "rules" / "x.yaml").mkdir(parents=True)
    plan = write.plan(tmp_path, {"rules/x.yaml": OURS}, ("rules",), "s.yaml")
    assert plan.conflicts == ["rules/x.yaml"]
    (tmp_path / "rules" / "y.yaml").mkdir()
    os.symlink(tmp_path / "missing", tmp_path / "rules" / "z.yaml")
    with pytest.raises(InputError):
        write.plan(tmp_path, {"rules/z.yaml": OURS}, ("rules",), "s.yaml")
