from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paladin_obs.lock import LOCK_NAME, LockTimeout, tree_lock


def test_one_holder_at_a_time_and_the_file_goes_away(tmp_path: Path) -> None:
    with tree_lock(tmp_path, 0):
        assert (tmp_path / LOCK_NAME).read_text() == f"pid {os.getpid()}\n"
        # flock locks belong to the open file: a second open in this process is refused too.
        started = time.monotonic()
        with pytest.raises(LockTimeout) as info, tree_lock(tmp_path, 0.2):
            pass
        assert time.monotonic() - started >= 0.2
        assert info.value.holder == f"pid {os.getpid()}"
    assert not (tmp_path / LOCK_NAME).exists()
    with tree_lock(tmp_path, 0):
        pass


def test_a_lock_file_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("pid 999999\n")
    with tree_lock(tmp_path, 0):
        assert (tmp_path / LOCK_NAME).read_text() == f"pid {os.getpid()}\n"


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]);"
        "from pathlib import Path; from paladin_obs.lock import tree_lock\n"
        "with tree_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)"
    )
    generator = str(Path(__file__).resolve().parent.parent / "generator")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path), generator], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    with pytest.raises(LockTimeout), tree_lock(tmp_path, 0.1):
        pass
    proc.kill()
    proc.wait()
    assert (tmp_path / LOCK_NAME).exists()  # SIGKILL gave it no chance to clean up
    with tree_lock(tmp_path, 0):
        pass


def test_a_symlink_is_never_followed_as_the_lock(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_text("precious\n")
    (tmp_path / LOCK_NAME).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError), tree_lock(tmp_path, 0):
        pass
    assert (tmp_path / "elsewhere").read_text() == "precious\n"
