from __future__ import annotations

from pathlib import Path

from paladin_obs import write
from paladin_obs.conventions import GENERATED_MARKER

OURS = f"{GENERATED_MARKER} from s.yaml.\n".encode()


def test_plan_and_apply(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "same.yaml").write_bytes(OURS + b"a\n")
    (tmp_path / "rules" / "old.yaml").write_bytes(OURS + b"old\n")
    (tmp_path / "rules" / "hand.yaml").write_bytes(b"groups: []\n")
    (tmp_path / "elsewhere.yaml").write_bytes(OURS)
    files = {"rules/same.yaml": OURS + b"a\n", "rules/new/x.yaml": OURS + b"x\n"}
    plan = write.plan(tmp_path, files, ("rules",))
    assert plan.create == ["rules/new/x.yaml"]
    assert plan.unchanged == ["rules/same.yaml"]
    # Only files carrying our marker, inside our scope, are pruned.
    assert plan.delete == ["rules/old.yaml"]
    write.apply(tmp_path, files, plan)
    assert (tmp_path / "rules" / "new" / "x.yaml").read_bytes() == OURS + b"x\n"
    assert not (tmp_path / "rules" / "old.yaml").exists()
    assert (tmp_path / "rules" / "hand.yaml").exists()
    assert (tmp_path / "elsewhere.yaml").exists()
    assert not list(tmp_path.rglob("*.tmp"))
    assert write.plan(tmp_path, files, ("rules",)).clean


def test_update_detects_hand_edits(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_bytes(OURS + b"edited\n")
    plan = write.plan(tmp_path, {"f.yaml": OURS + b"fresh\n"}, ())
    assert plan.update == ["f.yaml"]
    assert not plan.clean
