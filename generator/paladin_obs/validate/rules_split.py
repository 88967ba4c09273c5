"""One big rule file checked by two processes: each loads, checks and lints half.

A 10,000-rule file takes seconds of Python (YAML, PromQL, templates, lint),
all of it holding the GIL, so a second core only helps from a second
process. The file's text is cut between two top-level groups; a forked child
reads the part after the cut (the lines before it blanked, so every line
number and data path is the one the whole file has), this process the part
before. Each checks the shape of its groups (this process then runs the
lint checks that read one rule at a time on its own rules, while the child
still reads its longer part), then (having swapped the rules found, which
lint of expressions may read across the file) the content of its rules and
the lint that reads expressions, a slice at a time. The child writes the
positions of its nodes to a temporary file, read here after this part's
slices rather than while the two wait for each other; with them this
process runs, while the child finishes its slices (the child's share is
the longer one), the one-rule checks on the child's rules and the checks
that read several rules and no expression on every rule; at the end it
adds what needs the whole file: group names repeated across the cut,
suppressions.

Only a file the fast reader (``yaml_fast``) is sure of is cut, and only when
it reads both parts: anything else, a failed fork and ``PALADIN_OBS_JOBS=1``
leave the whole file to one process (``None``). Both parts read by the fast
reader are exactly what it reads of the whole file: a line starting with the
groups' dash at their indentation is always the start of a group to it (no
block scalar, nested list or key can sit there), and the root holds nothing
but ``groups:``. A child that fails or dies is an error (``RuntimeError``:
the CLI's internal error, exit 70), never a wait: every read of its pipe
ends when it exits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import IO, Any, NoReturn

from paladin_obs import lint, parallel
from paladin_obs.diagnostics import Diagnostic, Location, Path, from_rows, to_rows
from paladin_obs.directives import parse_comments
from paladin_obs.document import Document
from paladin_obs.limits import MAX_NODES
from paladin_obs.text_input import checked, read_text
from paladin_obs.validate.base import Checked, Locate, Settings, Source
from paladin_obs.validate.prometheus_rules import check_slices
from paladin_obs.validate.rulefile import GroupRef, RuleRef, check_file
from paladin_obs.yaml_fast import line_based, load_block_part
from paladin_obs.yaml_positions import COLUMN, SHIFT

__all__ = ["MIN_RULES_ENV", "Plan", "check_split", "plan", "read_checked_text"]

#: Fewer rules than this (estimated) are checked in one process: a fork and
#: the hand-over cost more than half the work of a small file.
MIN_RULES = 3000
MIN_RULES_ENV = "PALADIN_OBS_SPLIT_MIN_RULES"
#: Share of the text the child takes: this process has the work on the whole
#: file left after the halves (lint once, suppressions, the report).
CHILD_SHARE = 0.58
#: Distinct expressions parsed and linted together (``prometheus_rules.SLICE``):
#: two processes hold a slice's trees each, so a slice is smaller.
SLICE = 64

#: Lines of code at the root, but a list item (\n-prefixed patterns: the
#: regex engine then searches for the line break, fast).
_CODE_AT_ROOT = re.compile(r"\n(?!- )[^ #\n][^\n]*")
_ROOT = re.compile(r"groups:(?: *| +#.*)")
_FIRST_ITEM = re.compile(r"( *)- ")
_NO_CODE = re.compile(r"(?: *(?:#[^\n]*)?\n)*")


@dataclass(frozen=True)
class Plan:
    """Where a file is cut: the ``groups:`` line, the first line of the child's
    part and the index of the group it starts with."""

    head: int
    head_text: str
    cut: int
    offset: int
    first_item: int

    def parts(self, text: str) -> tuple[str, str]:
        """The text before the cut, and the child's: same lines, earlier ones blank."""
        child = (
            "\n" * self.head + self.head_text + "\n" * (self.cut - self.head) + text[self.offset :]
        )
        return text[: self.offset], child


def read_checked_text(path: str | FsPath) -> str:
    """A file's text as ``loader.load_file`` reads it before loading (decoded,
    without BOM, refused when too large or not printable: InputError)."""
    name = str(path)
    return checked(read_text(path, name), name)


def min_rules() -> int:
    text = os.environ.get(MIN_RULES_ENV, "")
    return int(text) if text.isdigit() else MIN_RULES


def plan(text: str, least: int | None = None) -> Plan | None:
    """Where to cut ``text`` (a checked rule file's), or None to keep it whole."""
    if not line_based(text):
        return None
    # Rules, roughly: this only decides whether cutting pays.
    if text.count("alert:") + text.count("record:") < (min_rules() if least is None else least):
        return None
    roots = _CODE_AT_ROOT.finditer("\n" + text)
    root = next(roots, None)
    if root is None or next(roots, None) is not None:
        return None
    start, end = root.start(), root.end() - 1  # in ``text``
    if not _ROOT.fullmatch(text, start, end):
        return None
    gap = _NO_CODE.match(text, end + 1)
    first = _FIRST_ITEM.match(text, gap.end() if gap else end + 1)
    if first is None:
        return None
    dash = "\n" + first.group(1) + "- "
    items = [first.start()]
    found = text.find(dash, first.start())
    while found >= 0:
        items.append(found + 1)
        found = text.find(dash, found + 1)
    if len(items) < 2:
        return None
    target = len(text) * (1 - CHILD_SHARE)
    index = min(range(1, len(items)), key=lambda i: abs(items[i] - target))
    offset = items[index]
    return Plan(
        head=text.count("\n", 0, start),
        head_text=text[start:end],
        cut=text.count("\n", 0, offset),
        offset=offset,
        first_item=index,
    )


def check_split(text: str, file: str, settings: Settings) -> tuple[Checked, Source] | None:
    """The rule file ``text`` checked as ``prometheus_rules.check`` checks it
    (errors and findings as sets: they are sorted for the report), or None
    when it is not cut (see the module docstring)."""
    if parallel.workers(2) < 2:
        return None
    cut = plan(text)
    if cut is None:
        return None
    with contextlib.ExitStack() as stack:
        try:
            spill = stack.enter_context(tempfile.TemporaryFile())
        except OSError:  # no writable temporary directory
            return None
        up_r, up_w = os.pipe()
        down_r, down_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (up_r, up_w, down_r, down_w):
                os.close(fd)
            return None
        if pid == 0:
            os.close(up_r)
            os.close(down_w)
            _child(up_w, down_r, spill, cut.parts(text)[1], cut.first_item, file, settings)
        os.close(up_w)
        os.close(down_r)
        result = None
        up, down = os.fdopen(up_r, "rb"), os.fdopen(down_w, "wb")
        try:
            result = _parent(up, down, spill, text, cut.parts(text)[0], file, settings)
        finally:
            if result is None:  # given up, or failed: the child may still be at work
                os.kill(pid, signal.SIGKILL)  # first: a thread may be reading its pipe
            up.close()
            with contextlib.suppress(OSError):  # unsent bytes to a child that is gone
                down.close()
            os.waitpid(pid, 0)
        return result


def _receive(up: IO[bytes], file: str) -> tuple[Any, ...]:
    message = _read(up)
    if message[0] == "crash":
        raise RuntimeError(f"the worker checking half of {file} failed: {message[1]}")
    return message


def _read(up: IO[bytes]) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = pickle.load(up)
    except Exception:  # empty or cut short: the child died (killed, out of memory)
        message = ("crash", "it exited without a whole result")
    return message


def _read_later(up: IO[bytes]) -> Callable[[str], tuple[Any, ...]]:
    """Read the child's next message on a thread, so that the child can go on
    (or exit and free its memory) while this process still works; the
    function returned waits for it, as ``_receive``."""
    box: list[tuple[Any, ...]] = []
    thread = threading.Thread(target=lambda: box.append(_read(up)), daemon=True)
    thread.start()

    def wait(file: str) -> tuple[Any, ...]:
        thread.join()
        if box[0][0] == "crash":
            raise RuntimeError(f"the worker checking half of {file} failed: {box[0][1]}")
        return box[0]

    return wait


def _send(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _parent(
    up: IO[bytes],
    down: IO[bytes],
    spill: IO[bytes],
    text: str,
    before: str,
    file: str,
    settings: Settings,
) -> tuple[Checked, Source] | None:
    mine = load_block_part(before, file)
    if mine is None:
        return None
    doc, nodes = mine
    locate = _locator(doc)
    # While the child reads its longer part: what needs only this one.
    errors, rules, groups = check_file(doc.data, locate, settings.prometheus_version)
    directives = parse_comments(text, file)
    chosen = list(lint.all_checks().values())
    found = _per_rule(file, rules, groups, locate, settings)
    # Memory: from here on only value positions are read (lint, suppressions).
    doc.key_positions.clear()
    doc.text = ""
    shaped = _receive(up, file)
    if shaped[0] == "unsure" or nodes + shaped[1] - 3 > MAX_NODES:
        return None  # the root mapping, its key and the groups list are in both parts
    _, _, their_rules, their_groups = shaped
    del shaped
    with contextlib.suppress(OSError):  # the child is gone: what it said is the error
        _send(down, ("go", rules, groups))
    # The child's positions (only the lint below locates the child's nodes)
    # follow in ``spill``: not in the pipe, where the child would wait for
    # this process to read them while it checks its own slices.
    later = _read_later(up)
    all_rules: list[RuleRef] = [*rules, *their_rules]
    all_groups: list[GroupRef] = [*groups, *their_groups]
    files = [lint.FileRules(file, all_rules, locate, {}, all_groups, directives)]
    problems, sliced = check_slices(files, 0, rules, settings, SLICE)
    found += sliced
    # Where over both parts: this part's nodes (the root and the groups list
    # too: the child left out its own), and the child's, as stored.
    later(file)  # the child has written them
    spill.seek(0)
    dict.update(doc.positions, pickle.load(spill))
    last = _read_later(up)
    # While the child finishes its slices (the longer part of the work left):
    # the checks that read one rule on the child's rules, now located here,
    # and those that read no expression and more than one rule.
    found += _per_rule(file, their_rules, their_groups, locate, settings)
    ctx = lint.context(files, settings.catalog, settings.scrape_interval)
    found += lint.collect(
        ctx, [m for m in chosen if not lint.reads_asts(m) and not lint.per_rule(m)]
    )
    _, their_errors, their_sliced = last(file)
    their_errors, their_found = from_rows(their_errors), from_rows(their_sliced)
    del their_sliced
    result = Checked()
    result.errors += errors + problems + their_errors
    result.errors += _repeated_groups(groups, their_groups, locate)
    result.findings += lint.finish(ctx, found + their_found, chosen)
    # Only the groups before the cut, and keys located at their values: nothing
    # reads a rule file's source after ``validate`` but checks across a spec's
    # files (``commands.lint``), and a file is only cut when there is no spec.
    return result, Source(file, doc.data, locate, directives)


def _child(
    up_w: int,
    down_r: int,
    spill: IO[bytes],
    text: str,
    first_item: int,
    file: str,
    settings: Settings,
) -> NoReturn:
    """The part after the cut; never returns, never runs the parent's cleanup."""
    code = 0
    with os.fdopen(up_w, "wb") as up, os.fdopen(down_r, "rb") as down:
        try:
            part = load_block_part(text, file, first_item)
            if part is None:
                _send(up, ("unsure", 0))
                os._exit(0)
            doc, nodes = part
            locate = _locator(doc)
            errors, rules, groups = check_file(doc.data, locate, settings.prometheus_version)
            _send(up, ("shaped", nodes, rules, groups))
            _, their_rules, their_groups = pickle.load(down)
            # As stored (no Location made), but the root and its list: the
            # parent has those where the whole file has them.
            packed = dict(dict.items(doc.positions))
            for path in [p for p in packed if len(p) < 2]:
                del packed[path]
            pickle.dump(packed, spill, protocol=pickle.HIGHEST_PROTOCOL)
            del packed
            spill.flush()
            _send(up, ("spilled",))
            # Only rules and value positions are read from here on.
            del text
            doc.data, doc.text = None, ""
            doc.key_positions.clear()
            every = [*their_rules, *rules]
            files = [lint.FileRules(file, every, locate, {}, [*their_groups, *groups], ())]
            problems, found = check_slices(files, 0, rules, settings, SLICE)
            _send(up, ("done", to_rows(errors + problems), to_rows(found)))
        except BaseException as exc:  # reported by the parent as an internal error
            code = 1
            with contextlib.suppress(BaseException):  # the parent is gone
                _send(up, ("crash", f"{type(exc).__name__}: {exc}"))
        finally:
            os._exit(code)


def _per_rule(
    file: str, rules: list[RuleRef], groups: list[GroupRef], locate: Locate, settings: Settings
) -> list[Diagnostic]:
    """Findings of the checks that read one rule at a time and no expression,
    on one part's rules: this part's while the child still reads its longer
    part, the child's while the child checks its slices (measured: the child
    was the longer of the two, and this process idle 0.2-0.3 s at the end)."""
    checks = [m for m in lint.all_checks().values() if lint.per_rule(m) and not lint.reads_asts(m)]
    ctx = lint.context(
        [lint.FileRules(file, rules, locate, {}, groups)],
        settings.catalog,
        settings.scrape_interval,
    )
    return lint.collect(ctx, checks)


def _locator(doc: Document) -> Locate:
    """``doc.where``, reading a value's own position first: lint locates tens of
    thousands of findings, nearly all at a node that exists."""
    file = doc.file

    def locate(path: Path, key: bool) -> Location:
        if not key:
            packed: Any = dict.get(doc.positions, path)  # ``Positions``, read as stored
            if packed is not None:
                return Location(file, packed >> SHIFT, packed & COLUMN)
        return doc.where(path, key=key)

    return locate


def _repeated_groups(
    mine: list[GroupRef], theirs: list[GroupRef], locate: Locate
) -> list[Diagnostic]:
    """The error ``check_file`` gives a group named as one before it, for the
    child's groups named as one of this part (the child saw only its own)."""
    seen = {g.name for g in mine if g.name}
    out: list[Diagnostic] = []
    for group in theirs:
        if group.name in seen:
            seen.discard(group.name)  # later ones the child reported itself
            path = (*group.path, "name")
            message = f"group name {group.name!r} is repeated in the same file"
            out.append(Diagnostic(locate(path, False), message, path))
    return out
