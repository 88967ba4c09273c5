"""The garbage collector is set for a command only in the console script's own
process, and stages freeze what they built there. Each case runs in a fresh
interpreter: the collector's settings are process-wide."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RULES = """\
groups:
  - name: example
    rules:
      - alert: Down
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: The target is down.
"""


REPO = Path(__file__).resolve().parents[1]


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_library_use_leaves_the_collector_alone(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    out = _python(
        f"""
        import gc
        before = gc.get_threshold()
        from paladin_obs import heap, loader
        heap.settled()
        loader.load_file({str(path)!r})
        print(gc.get_freeze_count(), gc.get_threshold() == before, heap.owned())
        """
    )
    assert out == "0 True False"


def test_command_process_freezes_and_raises_the_thresholds() -> None:
    out = _python(
        """
        import gc
        from paladin_obs import heap
        heap.command_process()
        print(gc.get_freeze_count() > 0, gc.get_threshold() == heap.THRESHOLDS, heap.owned())
        """
    )
    assert out == "True True True"


@pytest.mark.parametrize(
    "load",
    [
        "loader.load_file(path)",
        "loader.load_file_documents(path)",
        "yaml_fast.load_block_part(open(path).read(), path)",
    ],
)
def test_a_loaded_document_is_frozen_in_a_command(tmp_path: Path, load: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    out = _python(
        f"""
        import gc
        from paladin_obs import heap, loader, yaml_fast
        heap.command_process()
        path = {str(path)!r}
        before = gc.get_freeze_count()
        kept = {load}
        print(gc.get_freeze_count() > before, gc.isenabled())
        """
    )
    assert out == "True True"


def test_the_console_script_sets_the_collector(tmp_path: Path) -> None:
    """``cli.run`` (what the console script and ``python -m`` call) sets it up;
    ``cli.main`` (what in-process callers such as the tests use) does not."""
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    script = f"""
        import gc, os, sys
        from paladin_obs import cli
        sys.argv = ["paladin-obs", "validate", {str(path)!r}]
        real_exit = os._exit
        def leave(code):
            sys.stdout.flush()
            print(gc.get_threshold() == cli.heap.THRESHOLDS, gc.get_freeze_count() > 0, flush=True)
            real_exit(code)
        os._exit = leave
        try:
            cli.%s()
        except SystemExit:
            leave(0)
        """
    assert _python(script % "run").splitlines()[-1] == "True True"
    assert _python(script % "main").splitlines()[-1] == "False False"


def test_what_stages_freeze_leaves_no_garbage_in_cycles() -> None:
    """A frozen object is only ever freed by refcount: the resolved spec and an
    environment's model, once dropped, must not need the cycle collector."""
    out = _python(
        """
        import gc
        from paladin_obs import pipeline
        from paladin_obs.resolve import environment_model, prepare
        doc = pipeline.load_file("paladin-obs.yaml")
        gc.collect()
        prepared = prepare(doc, None)
        found = [gc.collect()]
        for name in prepared.names:
            model = environment_model(prepared, name)
            del model
            found.append(gc.collect())
        del prepared
        found.append(gc.collect())
        print(found)
        """
    )
    assert out == "[0, 0, 0, 0]"


def test_a_failed_load_leaves_the_collector_on_and_freezes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("groups:\n  - name: [unclosed\n")
    out = _python(
        f"""
        import gc
        from paladin_obs import heap, loader
        from paladin_obs.diagnostics import InputError
        heap.command_process()
        before = gc.get_freeze_count()
        try:
            loader.load_file({str(path)!r})
        except InputError:
            pass
        print(gc.get_freeze_count() == before, gc.isenabled())
        """
    )
    assert out == "True True"
