"""Hostile input: every command survives it, with a clear message, in bounded time and memory.

Each input is generated here (no big committed fixtures) and run through each
command in a real process under resource limits (2 GiB of address space, 60 s
of CPU). The limits are the bound: a process that exceeds them dies by a signal
and fails the test, so there is no wall-clock assertion. Expected: exit 2
(input unusable) or 1 (findings in a readable file), or 0 for valid files that
merely carry a BOM or CRLF line breaks; a message; and never a traceback,
exit 70 (internal error) or death by a signal (a segfault in a recursive C
composer, SIGXCPU, SIGKILL, an abort on a failed allocation).
"""

from __future__ import annotations

import gc
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import yaml

from paladin_obs import loader, text_input, yaml_build, yaml_nodes
from paladin_obs.diagnostics import InputError, Location
from paladin_obs.loader import MAX_DEPTH, load_file, load_text

REPO = Path(__file__).resolve().parent.parent
ADDRESS_SPACE = 2 * 1024**3
CPU_SECONDS = 60
PARALLEL = max(1, min(4, os.cpu_count() or 1))
N = 100_000  # "100,000-level nesting"
CHAIN = 20_000  # anchors and merge keys each nesting the one before: 20x Python's recursion limit
TEN_MB = 10_000_000

SPEC = """\
# A valid spec with one raw alert, the base of the hostile specs.
version: 1
defaults:
  runbook_url: "https://runbooks.test/{alert}"
services:
  api:
    selector: {job: api}
    metrics:
      up: {type: gauge}
    alerts:
      ApiDown:
        expr: 'up{job="api"} == 0'
        for: 1m
        severity: critical
        summary: An api target is down.
        description: '{{ $labels.instance }} is down.'
"""
SPEC_EXPR = """expr: 'up{job="api"} == 0'"""

RULES = """\
groups:
- name: api
  interval: 30s
  rules:
  - record: api:up:sum
    expr: sum by (job) (up{job="api"})
  - alert: ApiDown
    expr: |-
      sum by (job) (up{job="api"})
      == 0
    for: 1m
    labels:
      severity: critical
    annotations:
      summary: An api target is down.
      description: '{{ $labels.job }} is down.'
"""
RULES_EXPR = 'expr: sum by (job) (up{job="api"})'


def spec_with_expr(expr: str) -> str:
    return SPEC.replace(SPEC_EXPR, f"expr: '{expr}'")


def rules_with_expr(expr: str) -> str:
    return RULES.replace(RULES_EXPR, f"expr: '{expr}'")


def billion_laughs() -> str:
    text = "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        text += f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]\n"
    return text


def nested_label(levels: int) -> str:
    """A rule file ``levels`` collections deep: six down to a rule's labels
    (document, groups, group, rules, rule, labels), then one label's value."""
    inner = "{a: " * (levels - 6) + "x" + "}" * (levels - 6)
    return RULES.replace("severity: critical", f"severity: critical\n      deep: {inner}")


def nested_flow(levels: int) -> str:
    return "groups: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"


def write_50mb(path: Path) -> None:
    """Valid rule groups, 50 MiB of them, written a chunk at a time."""
    group = RULES.removeprefix("groups:\n")
    chunk = "".join(group.replace("name: api", f"name: api-{i}") for i in range(2000)).encode()
    with path.open("wb") as out:
        out.write(b"groups:\n")
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            out.write(chunk)


ALL = ("generate", "check", "validate")
UNUSABLE = frozenset({2})
FINDINGS = frozenset({1, 2})
VALID = frozenset({0})


@dataclass(frozen=True)
class Case:
    name: str
    #: The file's content (made when the file is written: some are 10 MB).
    content: Callable[[], str | bytes] | None
    expect: frozenset[int] = UNUSABLE
    #: A regular expression the report must contain; ``{file}`` is the input's path.
    message: str = ""
    commands: tuple[str, ...] = ALL
    #: Instead of ``content``: writes the file itself (the big one, a chunk at a time).
    writer: Callable[[Path], None] | None = None

    def write(self, root: Path) -> Path:
        path = root / f"{self.name}.yaml"
        if self.writer is not None:
            self.writer(path)
        else:
            assert self.content is not None
            data = self.content()
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path


LOCATED = r"{file}:\d+:\d+: "
TOO_DEEP = LOCATED + r".*(nested deeper than|exceeded maximum nesting depth)"

CASES = [
    Case(
        "alias_bomb",
        billion_laughs,
        message=LOCATED + r"document expands to more than [\d,]+ nodes through aliases",
    ),
    Case("flow_sequences_100k", lambda: "a: " + "[" * N + "]" * N + "\n", message=TOO_DEEP),
    Case("flow_mappings_100k", lambda: "{a: " * N + "x" + "}" * N + "\n", message=TOO_DEEP),
    Case("flow_unclosed_100k", lambda: "[" * N, message=TOO_DEEP),
    Case("block_sequences_100k", lambda: "- " * N + "x\n", message=TOO_DEEP),
    Case("block_complex_keys_100k", lambda: "? " * N + "x\n", message=TOO_DEEP),
    Case(
        "block_indented_3000",
        lambda: "".join(" " * i + f"k{i}:\n" for i in range(3000)),
        message=TOO_DEEP,
    ),
    Case(
        "anchors_nested_20k",
        lambda: "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, CHAIN)),
        message=LOCATED + "nested deeper than 100 levels through aliases",
    ),
    Case(
        "merge_keys_nested_20k",
        lambda: (
            "m0: &m0 {k0: 0}\n"
            + "".join(f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: {i}}}\n" for i in range(1, CHAIN))
        ),
        message=LOCATED + r"nested deeper than 100 levels",
    ),
    Case(
        "merge_key_bomb",
        lambda: (
            "m0: &m0 {k: 0}\n"
            + "".join(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}\n" for i in range(1, 64))
        ),
        message="expands to more than",
    ),
    Case(
        "merge_key_recursive",
        lambda: "a: &a {<<: *a}\n",
        message=LOCATED + r"a merge key \(<<\) needs",
    ),
    Case("alias_recursive", lambda: "a: &a [*a]\n", message=LOCATED + "recursive alias"),
    Case(
        "binary_garbage",
        lambda: random.Random(0).randbytes(1 << 16),
        message=r"{file}:1:1: not UTF-8 text",
    ),
    Case(
        "invalid_utf8",
        lambda: SPEC.encode().replace(b"An api target", b"An \xff\xfe target"),
        message=r"{file}:15:21: not UTF-8 text \(invalid byte 0xff\)",
    ),
    Case(
        "utf8_encoded_surrogate",
        lambda: SPEC.encode().replace(b"An api target", b"An \xed\xa0\x80 target"),
        message=r"{file}:15:21: not UTF-8 text",
    ),
    Case(
        "nul_bytes",
        lambda: SPEC.replace("An api target", "An \0 target"),
        message=r"{file}:15:21: YAML error: control characters are not allowed \(U\+0000\)",
    ),
    Case(
        "surrogate_escape_spec",
        lambda: SPEC.replace("summary: An api target is down.", r'summary: "\ud800"'),
        message=LOCATED + "YAML syntax error: .*invalid Unicode character escape",
    ),
    Case(
        "surrogate_escape_rules",
        lambda: RULES.replace("summary: An api target is down.", r'summary: "\ud800\udc00"'),
        message=LOCATED + "YAML syntax error: .*invalid Unicode character escape",
    ),
    Case(
        "long_key_10mb",
        lambda: "version: 1\n" + "k" * TEN_MB + ": 1\n",
        message=LOCATED + "YAML syntax error",
    ),
    Case("long_value_10mb", lambda: SPEC.replace("An api target is down.", "x" * TEN_MB), FINDINGS),
    Case("long_comment_10mb", lambda: "# " + "x" * TEN_MB + "\n" + SPEC, VALID),
    Case(
        "expr_10mb_flat_spec", lambda: spec_with_expr(" + ".join(["up"] * (TEN_MB // 5))), FINDINGS
    ),
    Case(
        "expr_10mb_nested_spec",
        lambda: spec_with_expr("(" * (TEN_MB // 2) + "up" + ")" * (TEN_MB // 2)),
        FINDINGS,
    ),
    Case(
        "expr_10mb_flat_rules",
        lambda: rules_with_expr(" + ".join(["up"] * (TEN_MB // 5))),
        FINDINGS,
    ),
    Case(
        "expr_10mb_nested_rules",
        lambda: rules_with_expr("(" * (TEN_MB // 2) + "up" + ")" * (TEN_MB // 2)),
        FINDINGS,
    ),
    Case("file_50mb", None, message=r"{file}: file is larger than 16 MiB", writer=write_50mb),
    # Nesting around the limits: ours (MAX_DEPTH) and libyaml's own (1,000), in
    # the single-document path (specs) and the first-document path (rule files).
    Case(
        "nested_at_limit_rules", lambda: nested_label(MAX_DEPTH), FINDINGS, commands=("validate",)
    ),
    Case("nested_over_limit_rules", lambda: nested_label(MAX_DEPTH + 1), message=TOO_DEEP),
    Case("nested_999_rules", lambda: nested_flow(999), message=TOO_DEEP),
    Case("nested_999_multidoc", lambda: nested_flow(999) + "---\nx: [\n", message=TOO_DEEP),
    Case(
        "nested_at_limit_spec",
        lambda: SPEC.replace(
            "{type: gauge}",
            "{type: gauge, x: " + "[" * (MAX_DEPTH - 5) + "]" * (MAX_DEPTH - 5) + "}",
        ),
        FINDINGS,
    ),
    # Scalars Python cannot turn into numbers, or not print once it has.
    Case(
        "integer_5000_digits",
        lambda: SPEC.replace("version: 1", "version: " + "9" * 5000),
        FINDINGS,
        message=LOCATED,
    ),
    Case(
        "integer_binary_100k",
        lambda: SPEC.replace("version: 1", "version: 0b" + "1" * 100_000),
        FINDINGS,
        message=LOCATED,
    ),
    Case(
        "integer_sexagesimal",
        lambda: SPEC.replace("version: 1", "version: 1" + ":59" * 3000),
        FINDINGS,
        message=LOCATED,
    ),
    Case(
        "explicit_int_tag_on_text",
        lambda: SPEC.replace("version: 1", "version: !!int abc"),
        FINDINGS,
        message=LOCATED,
    ),
    Case(
        "explicit_int_tag_on_nothing",
        lambda: SPEC.replace("version: 1", 'version: !!int ""'),
        FINDINGS,
        message=LOCATED,
    ),
    Case(
        "explicit_float_tag_on_text",
        lambda: SPEC.replace("version: 1", "version: !!float abc"),
        FINDINGS,
        message=LOCATED,
    ),
    # Valid files in other clothes: they must simply work.
    Case("bom_spec", lambda: "\ufeff" + SPEC, VALID),
    Case("crlf_spec", lambda: SPEC.replace("\n", "\r\n"), VALID),
    Case("bom_crlf_spec", lambda: "\ufeff" + SPEC.replace("\n", "\r\n"), VALID),
    Case("utf16_spec", lambda: b"\xff\xfe" + SPEC.encode("utf-16-le"), VALID),
    Case("bom_rules", lambda: "\ufeff" + RULES, VALID, commands=("validate",)),
    Case("crlf_rules", lambda: RULES.replace("\n", "\r\n"), VALID, commands=("validate",)),
    Case(
        "bom_crlf_rules",
        lambda: "\ufeff" + RULES.replace("\n", "\r\n"),
        VALID,
        commands=("validate",),
    ),
    Case("cr_rules", lambda: RULES.replace("\n", "\r"), VALID, commands=("validate",)),
    Case(
        "utf16_rules",
        lambda: b"\xfe\xff" + RULES.encode("utf-16-be"),
        VALID,
        commands=("validate",),
    ),
]
ORACLE_CASES = [
    c
    for c in CASES
    if c.name in ("bom_rules", "crlf_rules", "bom_crlf_rules", "cr_rules", "utf16_rules")
]


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: int

    def __str__(self) -> str:
        tail = (self.stderr or self.stdout)[-1500:]
        return (
            f"paladin-obs {' '.join(self.args)}: exit {self.returncode} after {self.seconds:.1f}s, "
            f"peak {self.peak_mb} MB\n{tail}"
        )


def _limits() -> None:
    # Runs in the child between fork and exec: nothing but two system calls.
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_all(jobs: list[tuple[str, ...]], cwd: Path) -> list[Outcome]:
    """Run the CLI once per job, PARALLEL at a time, each under the limits.
    No threads: ``preexec_fn`` is only safe in a single-threaded parent."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    env.pop("PALADIN_OBS_DEBUG", None)
    results: dict[int, Outcome] = {}
    queue = list(enumerate(jobs))
    running: list[tuple[int, subprocess.Popen[bytes], IO[bytes], IO[bytes], float]] = []
    with ExitStack() as files:
        while queue or running:
            while queue and len(running) < PARALLEL:
                index, args = queue.pop(0)
                out: IO[bytes] = files.enter_context(tempfile.TemporaryFile())
                err: IO[bytes] = files.enter_context(tempfile.TemporaryFile())
                process = subprocess.Popen(
                    [sys.executable, "-m", "paladin_obs", *args],
                    stdout=out,
                    stderr=err,
                    cwd=cwd,
                    env=env,
                    preexec_fn=_limits,
                )
                running.append((index, process, out, err, time.monotonic()))
            for entry in list(running):
                index, process, out, err, started = entry
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid == 0:
                    continue
                process.returncode = os.waitstatus_to_exitcode(status)
                running.remove(entry)
                out.seek(0)
                err.seek(0)
                results[index] = Outcome(
                    jobs[index],
                    process.returncode,
                    out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"),
                    time.monotonic() - started,
                    usage.ru_maxrss // 1024,
                )
            time.sleep(0.02)
    return [results[i] for i in range(len(jobs))]


def _args(command: str, path: Path, out: Path) -> tuple[str, ...]:
    if command == "validate":
        return ("validate", str(path))
    return (command, "-f", str(path), "-o", str(out))


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    return {case.name: case.write(root) for case in CASES}


@pytest.fixture(scope="module")
def outcomes(hostile_files: dict[str, Path]) -> Iterator[dict[tuple[str, str], Outcome]]:
    """Every case through every command, in parallel; ``check`` runs after
    ``generate`` so that a valid spec is checked against its own output."""
    root = next(iter(hostile_files.values())).parent
    results: dict[tuple[str, str], Outcome] = {}
    for phase in (("generate", "validate"), ("check",)):
        jobs = [
            (case.name, command) for case in CASES for command in case.commands if command in phase
        ]
        ran = run_all([_args(c, hostile_files[n], root / f"out-{n}") for n, c in jobs], cwd=root)
        results.update(zip(jobs, ran, strict=True))
    yield results


@pytest.mark.parametrize(
    ("case", "command"),
    [
        pytest.param(case, command, id=f"{case.name}-{command}")
        for case in CASES
        for command in case.commands
    ],
)
def test_every_command_survives(
    case: Case,
    command: str,
    outcomes: dict[tuple[str, str], Outcome],
    hostile_files: dict[str, Path],
) -> None:
    outcome = outcomes[case.name, command]
    report = outcome.stdout + outcome.stderr
    assert outcome.returncode >= 0, f"killed by signal {-outcome.returncode}: {outcome}"
    assert outcome.returncode != 70, f"internal error: {outcome}"
    assert "Traceback" not in report, str(outcome)
    assert outcome.returncode in case.expect, str(outcome)
    if outcome.returncode:
        assert report.strip(), f"no message: {outcome}"
    if case.message:
        pattern = case.message.replace("{file}", re.escape(str(hostile_files[case.name])))
        assert re.search(pattern, report), f"expected /{pattern}/ in: {outcome}"


@pytest.mark.parametrize("case", ORACLE_CASES, ids=[c.name for c in ORACLE_CASES])
def test_rule_file_encodings_as_promtool_reads_them(
    case: Case,
    hostile_files: dict[str, Path],
    run_promtool: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    result = run_promtool("check", "rules", hostile_files[case.name])
    assert result.returncode == 0, result.stdout + result.stderr
    assert 0 in case.expect  # and test_every_command_survives holds us to it


# In process: the loader's limits and encodings, each without a subprocess.


def test_a_10000_alert_rule_file_fits_the_limits() -> None:
    group = RULES.removeprefix("groups:\n")
    text = "groups:\n" + "".join(group.replace("name: api", f"name: api-{i}") for i in range(5000))
    assert text.count("- alert:") + text.count("- record:") == 10_000
    assert len(text.encode()) * 2 < loader.MAX_BYTES
    doc = load_text(text, "big.yaml", text_scalars=True, first_document=True)
    assert len(doc.data["groups"]) == 5000
    assert len(doc.positions) * 4 < loader.MAX_NODES


MIXED = """\
b: &b {x: 1, y: 2}
c: &c {y: 3, z: [on, 0x1F, 1.5, ~, '', "\\t"]}
d:
  <<: [*b, *c]
  x: 0
e: !!str 12
f: |
  block
"""


@pytest.mark.parametrize("text", [RULES, SPEC, MIXED], ids=["rules", "spec", "mixed"])
@pytest.mark.parametrize("text_scalars", [False, True])
def test_python_parser_composes_as_libyaml_does(
    text: str, text_scalars: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_text(text, "f.yaml", text_scalars=text_scalars)
    monkeypatch.setattr(yaml_nodes, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_nodes, "_C_PARSER", False)
    slow = load_text(text, "f.yaml", text_scalars=text_scalars)
    for attribute in ("data", "positions", "key_positions", "yaml11_bools", "block_scalars"):
        assert getattr(slow, attribute) == getattr(fast, attribute), attribute


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "[" * N + "]" * N, "f.yaml:1:103: nested deeper than 100 levels"),
        ("- " * N + "x", "f.yaml:1:201: nested deeper than 100 levels"),
        (
            'a: "\\ud800"',
            "f.yaml:1:4: YAML syntax error: while parsing a quoted scalar, found invalid Unicode",
        ),
    ],
)
def test_python_parser_refuses_hostile_input(
    text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libyaml (no C parser, no nesting limit of its own) too."""
    monkeypatch.setattr(yaml_nodes, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_nodes, "_C_PARSER", False)
    with pytest.raises(InputError) as info:
        load_text(text, "f.yaml", first_document=True)
    assert str(info.value).startswith(message)


def test_composing_stops_at_the_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_nodes, "MAX_NODES", 1000)
    monkeypatch.setattr(yaml_build, "MAX_NODES", 1000)
    with pytest.raises(InputError, match=r"^f.yaml:1:2000: document has more than 1,000 nodes"):
        load_text("[" + "1," * 100_000 + "1]", "f.yaml")


def test_merge_keys_count_against_the_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_nodes, "MAX_NODES", 1000)
    monkeypatch.setattr(yaml_build, "MAX_NODES", 1000)
    bomb = "m0: &m0 {k: 0}\n" + "".join(
        f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}\n" for i in range(1, 30)
    )
    with pytest.raises(InputError, match="expands to more than 1,000 nodes"):
        load_text(bomb, "f.yaml")


def test_the_size_limit_reads_no_further(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_input, "MAX_BYTES", 64)
    path = tmp_path / "f.yaml"
    path.write_text("a: " + "x" * 61)
    assert load_file(path).data == {"a": "x" * 61}
    path.write_text("a: " + "x" * 62)
    with pytest.raises(InputError, match=r"f.yaml: file is larger than 0 MiB \(64 bytes\)"):
        load_file(path)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode(),
        lambda t: b"\xef\xbb\xbf" + t.encode(),
        lambda t: t.replace("\n", "\r\n").encode(),
        lambda t: t.replace("\n", "\r").encode(),
        lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
        lambda t: b"\xfe\xff" + t.replace("\n", "\r\n").encode("utf-16-be"),
    ],
    ids=["lf", "bom", "crlf", "cr", "utf16le", "utf16be-crlf"],
)
def test_boms_and_line_breaks_keep_data_and_positions(
    encode: Callable[[str], bytes], tmp_path: Path
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(encode("a: 1\nb:\n  c: [x, y]\n"))
    doc = load_file(path, display="f.yaml")
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert doc.where(("b", "c", 1)) == Location("f.yaml", 3, 10)
    path.write_bytes(encode("a: 1\nb:\n  c: [x, *y]\n"))
    with pytest.raises(InputError, match=r"^f.yaml:3:10: YAML syntax error: found undefined alias"):
        load_file(path, display="f.yaml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a: 1\nb: caf\xc3\xa9 \xff\n", "f.yaml:2:9: not UTF-8 text (invalid byte 0xff)"),
        (
            b"\x7fELF\x02\x01\x01\x00\x00\x00\xb0",
            "f.yaml:1:11: not UTF-8 text (invalid byte 0xb0); a binary file?",
        ),
        (b"\xff\xfea\x00:\x00 \x00\x00\xdc", "f.yaml:1:4: not UTF-16 text (invalid bytes 0x00dc)"),
        (
            b"a: 1\r\nb: \x1b[31m\n",
            "f.yaml:2:4: YAML error: control characters are not allowed (U+001B)",
        ),
    ],
)
def test_unreadable_text_is_located(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_file(path, display="f.yaml")
    assert str(info.value) == message


def test_loading_leaves_the_garbage_collector_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(InputError):
        load_text("a: [", "f.yaml")
    load_text("a: 1", "f.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        load_text("a: 1", "f.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_numbers_beyond_64_bits_stay_text() -> None:
    doc = load_text(
        "a: 0x10\nb: -9223372036854775808\nc: 18446744073709551615\nd: 18446744073709551616\n"
        f"e: {'9' * 5000}\nf: !!int abc\ng: !!float ''\nh: 1.0e+99999\n",
        "f.yaml",
    )
    assert doc.data == {
        "a": 16,
        "b": -(2**63),
        "c": 2**64 - 1,
        "d": "18446744073709551616",
        "e": "9" * 5000,
        "f": "abc",
        "g": "",
        "h": float("inf"),
    }


def test_a_flood_of_problems_is_counted_not_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_build, "MAX_ERRORS", 3)
    with pytest.raises(InputError) as info:
        load_text("".join(f"a: {i}\n" for i in range(10)), "f.yaml")
    assert [str(d.location) for d in info.value.diagnostics] == [
        "f.yaml:2:1",
        "f.yaml:3:1",
        "f.yaml:4:1",
        "f.yaml:5:1",
    ]
    assert info.value.diagnostics[-1].message == (
        "and 6 more problems from here on (only the first 3 are shown)"
    )
