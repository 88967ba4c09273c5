"""Colour in text output: on a terminal only, per stream, never with NO_COLOR,
forced by FORCE_COLOR; and only ever escape codes around the same text, so the
uncoloured bytes stay exactly what scripts and the other tests read.

Terminals are real: a pseudo-terminal from ``pty`` stands for the stream under
test, the other is a pipe.
"""

from __future__ import annotations

import errno
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.report.runner import BROKEN, environment, run_process

from paladin_obs.diagnostics import Diagnostic, Location
from paladin_obs.report import Report
from paladin_obs.report.text import render

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


_ARGS = ["validate", "alerts_for.yaml", "broken.yaml"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Where a run has findings on standard output and a problem on standard
    error, and that run's uncoloured output."""
    cwd = tmp_path_factory.mktemp("colour")
    shutil.copy(BROKEN / "alerts_for.yaml", cwd)
    (cwd / "broken.yaml").write_text("groups: [unclosed\n")
    plain = run_process(*_ARGS, cwd=cwd)
    assert plain.returncode == 2 and plain.stdout and plain.stderr
    return cwd, plain.stdout, plain.stderr


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError as exc:  # EIO: the other side is closed
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    # A terminal turns "\n" into "\r\n"; the program wrote "\n".
    return b"".join(chunks).decode().replace("\r\n", "\n")


def _run(tty: str, env: dict[str, str], cwd: Path, args: list[str]) -> tuple[str, str]:
    """Standard output and error of a run where ``tty`` (out, err or none) is a terminal."""
    if tty == "none":
        done = run_process(*args, cwd=cwd, env=environment(**env))
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "paladin_obs", *args],
            cwd=cwd, env=environment(**env), stdin=subprocess.DEVNULL,
            stdout=slave if tty == "out" else subprocess.PIPE,
            stderr=slave if tty == "err" else subprocess.PIPE,
        )
        os.close(slave)
        piped_out, piped_err = process.communicate(timeout=120)
        on_tty = _read_all(master)
    finally:
        os.close(master)
    if tty == "out":
        return on_tty, piped_err.decode()
    return piped_out.decode(), on_tty


@pytest.mark.parametrize(
    ("tty", "env", "out_coloured", "err_coloured"),
    [
        ("none", {}, False, False),
        ("out", {}, True, False),
        ("err", {}, False, True),
        ("out", {"NO_COLOR": "1"}, False, False),
        ("err", {"NO_COLOR": "yes"}, False, False),
        ("out", {"NO_COLOR": ""}, True, False),  # empty: not set, as no-color.org says
        ("none", {"FORCE_COLOR": "1"}, True, True),
        ("none", {"FORCE_COLOR": ""}, False, False),
        ("none", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
        ("out", {"TERM": "dumb"}, False, False),
    ],
)
def test_colour_follows_terminal_and_environment(
    tty: str,
    env: dict[str, str],
    out_coloured: bool,
    err_coloured: bool,
    inputs: tuple[Path, str, str],
) -> None:
    cwd, plain_out, plain_err = inputs
    out, err = _run(tty, env, cwd, _ARGS)
    assert (_ANSI.search(out) is not None, _ANSI.search(err) is not None) == (
        out_coloured,
        err_coloured,
    )
    # Colour only adds codes: without them, the bytes of an uncoloured run.
    assert (_ANSI.sub("", out), _ANSI.sub("", err)) == (plain_out, plain_err)


_DIFF = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old\n+new\n same\n"


@pytest.mark.parametrize(
    "diagnostic",
    [
        Diagnostic(Location("a.yaml", 3, 5), "bad thing"),
        Diagnostic(Location("a.yaml"), "whole file"),
        Diagnostic(Location("a.yaml", 3, 5), "lint", ("groups", 0, "rules", 1), "alerts/for", "warning"),
        Diagnostic(Location("a.yaml", 1, 1), "fyi", (), "groups/size", "info"),
        Diagnostic(Location("rules/x.yaml"), "stale", (), "drift/stale", "error", _DIFF),
        Diagnostic(Location("rules/x.yaml"), "no newline", (), "drift/stale", "error", "-a\n+b"),
    ],
)
def test_coloured_text_is_the_plain_text_plus_codes(diagnostic: Diagnostic) -> None:
    for report in (
        Report(findings=(diagnostic,), summary="done."),
        Report(problems=(diagnostic,), summary="stopped.", exit_code=2),
    ):
        plain = render(report)
        coloured = render(report, True, True)
        assert coloured != plain
        assert _ANSI.sub("", coloured.out) == plain.out
        assert _ANSI.sub("", coloured.err) == plain.err
        line = (coloured.out + coloured.err).splitlines()[0]
        assert line.startswith("\x1b[1")  # the location
        if diagnostic.check:
            assert f"\x1b[36m[{diagnostic.check}]\x1b[0m" in line
        if diagnostic.severity != "error":
            assert f"{diagnostic.severity}:\x1b[0m" in line


def test_text_format_imports_no_machine_renderer(inputs: tuple[Path, str, str]) -> None:
    """Start-up time: a text run loads none of the machine formats' modules."""
    cwd = inputs[0]
    code = (
        "import sys\nfrom paladin_obs.cli import cli\n"
        f"try:\n    cli({_ARGS!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('paladin_obs.report')), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=environment(), capture_output=True,
        text=True, check=False,
    )
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded == str(["paladin_obs.report", "paladin_obs.report.colour", "paladin_obs.report.text"])
