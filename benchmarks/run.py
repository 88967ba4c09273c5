"""The benchmark: paladin-obs against promtool, whole processes, one command.

    python benchmarks/run.py [--quick] [--sizes 1,50,500] [--runs 10]
                             [--alerts 10000] [--json-out benchmarks/results.json]
                             [--only paladin,big,fleet] [--keep DIR]

Every figure is a ratio to something measured in the same run on the same
machine, because a busy CI runner moves absolute times by tens of percent
while both sides of a ratio move together. Wall time comes from hyperfine
(``-N``: no shell in the way, warm-up runs, its JSON export), peak memory
from ``benchmarks/treemem.py`` (the summed PSS of the whole process tree, so
paladin-obs's forked workers count) with GNU time's ``%M`` (the largest single
process) beside it: whole processes, interpreter start-up included, which is
what a pre-commit hook waits for. Memory targets use the whole tree.

Fixtures are built into a temporary directory first: Paladin's spec (from the
repository root) and the rule files it generates, fleet specs of each size
(``benchmarks/fleet.py``) generated once, and the two big rule files
(``benchmarks/bigrules.py``). Then, side by side with ``promtool check rules``
on the very rule files paladin-obs generated or validates:

- ``generate`` and ``check`` on Paladin's spec against promtool on its rule files;
- ``validate`` on each big rule file against promtool on it (wall and memory);
- ``generate`` and ``check`` on each fleet, and promtool on the fleet's rule files;
- growth of fleet ``generate`` from one size to the next.

``generate`` and ``check`` are measured twice: with paladin-obs's cache
emptied before every run (*cold*: a CI runner's first run, or a changed
spec) and with it filled (*warm*: a pre-commit hook on an unchanged spec).
The cache is the benchmark's own (``PALADIN_OBS_CACHE_DIR`` in its
temporary directory), so the user's never decides a figure.

The table prints each figure with its target and PASS or FAIL, and the JSON
report holds every sample. Exit 0 whatever the verdicts (the report says what
failed); 1 when a measured command itself fails (its stderr is printed); 2 for
bad arguments or a missing tool. ``--quick`` (N = 1, two runs, 200-alert files)
is the smoke mode the test suite runs.

paladin-obs runs as installed: its modules are compiled to bytecode once, into
a fresh cache (``PYTHONPYCACHEPREFIX``), by the first run that checks each
command works, so no figure includes compiling paladin-obs itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
GNU_TIME = "/usr/bin/time"
SCHEMA = "paladin-obs-benchmark/1"
# A command slower than this (its checking run) gets at most SLOW_RUNS timed runs:
# ten runs of a 150-second generate would tell little more than three.
SLOW_SECONDS = 20.0
SLOW_RUNS = 3
# Linux's limit on one argument (MAX_ARG_STRLEN): hyperfine -N takes a command as one.
MAX_ARG = 128 * 1024


class BenchError(Exception):
    """A measured command or a fixture step failed: the run cannot give figures."""


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    runs: int
    warmup: int
    rss_runs: int
    alerts: int
    quick: bool
    parts: tuple[str, ...] = ("paladin", "big", "fleet")


@dataclass
class Measurement:
    """One command, timed by hyperfine, its memory taken by GNU time and treemem."""

    name: str
    description: str
    command: list[str]
    cwd: Path | None = None
    samples_s: list[float] = field(default_factory=list)
    rss_samples_kb: list[int] = field(default_factory=list)
    #: Peak PSS of the whole process tree (benchmarks/treemem.py), forked workers included.
    tree_samples_kb: list[int] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples_s)

    @property
    def peak_rss_kb(self) -> int:
        """The largest single process's peak (GNU time): a forked worker is not added."""
        return max(self.rss_samples_kb)

    @property
    def peak_tree_kb(self) -> int:
        """The whole tree's peak: what the machine had to hold. Targets use this."""
        return max(self.tree_samples_kb)

    def as_json(self) -> dict[str, Any]:
        samples = self.samples_s
        return {
            "description": self.description,
            "command": self.command,
            "cwd": None if self.cwd is None else str(self.cwd),
            "runs": len(samples),
            "samples_s": [round(s, 6) for s in samples],
            "median_s": round(self.median_s, 6),
            "mean_s": round(statistics.fmean(samples), 6),
            "stddev_s": round(statistics.stdev(samples), 6) if len(samples) > 1 else None,
            "min_s": round(min(samples), 6),
            "max_s": round(max(samples), 6),
            "rss_samples_kb": self.rss_samples_kb,
            "peak_rss_kb": self.peak_rss_kb,
            "tree_pss_samples_kb": self.tree_samples_kb,
            "peak_tree_pss_kb": self.peak_tree_kb,
        }


@dataclass(frozen=True)
class Figure:
    """One line of the table: a value, the target it is held to, and the verdict.

    ``limit`` is None for figures shown for information (no target in issue #10).
    """

    name: str
    value: float
    unit: str
    limit: float | None
    measurements: tuple[str, ...]
    note: str = ""

    @property
    def rounded(self) -> float:
        """The value as reported; the verdict is taken on it, so the report agrees with itself."""
        return round(self.value, 4)

    @property
    def passed(self) -> bool | None:
        return None if self.limit is None else self.rounded <= self.limit

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.rounded,
            "unit": self.unit,
            "target": None if self.limit is None else f"<= {self.limit:g}{self.unit_suffix}",
            "limit": self.limit,
            "pass": self.passed,
            "measurements": list(self.measurements),
            "note": self.note,
        }

    @property
    def unit_suffix(self) -> str:
        return "x" if self.unit == "ratio" else f" {self.unit}"


class Runner:
    """Runs commands in the benchmark's environment and measures them."""

    def __init__(self, work: Path, settings: Settings) -> None:
        self.work = work
        self.settings = settings
        self.env = dict(os.environ)
        # Bytecode compiled once, as an installed package has it (see the module docstring).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        # paladin-obs's own cache: the benchmark's, never the user's (see Builds).
        self.cache = work / "cache"
        #: Where emptied directories go until the end of the run (``set_aside.py``).
        self.trash = work / "trash"
        self.env["PALADIN_OBS_CACHE_DIR"] = str(self.cache)
        self.env["NO_COLOR"] = "1"
        self.count = 0

    def run_checked(self, command: list[str], cwd: Path | None = None) -> float:
        """Run once; fail with the command's stderr unless it exits 0; wall seconds."""
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            shown = command[command.index(GNU_TIME) + 5:] if GNU_TIME in command else command
            raise BenchError(
                f"command failed (exit {result.returncode}): {' '.join(shown)}\n"
                f"{result.stderr.strip() or result.stdout.strip()}")
        return elapsed

    def measure(self, name: str, description: str, command: list[str],
                prepare: list[str] | None = None, cwd: Path | None = None) -> Measurement:
        """Check the command works (that run also gives its peak memory), then time it with hyperfine.

        A slow command (its first run over SLOW_SECONDS) gets at most SLOW_RUNS
        timed runs, no warm-up and no extra memory run.
        """
        measurement = Measurement(name, description, command, cwd)
        first = self.peak_rss(measurement, prepare)
        slow = first > SLOW_SECONDS
        runs = min(self.settings.runs, SLOW_RUNS) if slow else self.settings.runs
        warmup = 0 if slow else self.settings.warmup
        measurement.samples_s = self.hyperfine(measurement, runs, warmup, prepare)
        for _ in range(0 if slow else self.settings.rss_runs - 1):
            self.peak_rss(measurement, prepare)
        print(f"  {name}: median {measurement.median_s:.3f} s over {runs} run(s), "
              f"peak memory {measurement.peak_tree_kb / 1024:.0f} MiB (whole tree), "
              f"largest process {measurement.peak_rss_kb / 1024:.0f} MiB", flush=True)
        return measurement

    def peak_rss(self, measurement: Measurement, prepare: list[str] | None) -> float:
        """One run under GNU time inside treemem: the largest process's peak RSS (%M,
        KiB) and the whole tree's peak PSS join the samples. GNU time's own few
        hundred KiB are in the tree's figure."""
        if prepare:
            self.run_checked(prepare)
        self.count += 1
        out = self.work / f"time-{self.count}.txt"
        tree = self.work / f"tree-{self.count}.txt"
        elapsed = self.run_checked(
            [sys.executable, str(BENCH / "treemem.py"), "-o", str(tree), "--",
             GNU_TIME, "-f", "%M", "-o", str(out), *measurement.command], measurement.cwd)
        measurement.rss_samples_kb.append(int(out.read_text(encoding="utf-8").split()[-1]))
        measurement.tree_samples_kb.append(int(tree.read_text(encoding="utf-8").split()[-1]))
        return elapsed

    def hyperfine(self, measurement: Measurement, runs: int, warmup: int,
                  prepare: list[str] | None) -> list[float]:
        command = measurement.command
        self.count += 1
        export = self.work / f"hyperfine-{self.count}.json"
        args = ["hyperfine", "-N", "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
                "--export-json", str(export)]
        if prepare:
            args += ["--prepare", _shell_words(prepare)]
        args.append(_shell_words(command))
        result = subprocess.run(args, cwd=measurement.cwd, env=self.env, capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            # hyperfine hides the command's own output: run it again, with tracebacks
            # on, until it fails the same way, to show why.
            debug = {**self.env, "PALADIN_OBS_DEBUG": "1"}
            for _ in range(RETRIES):
                if prepare:
                    self.run_checked(prepare)
                again = subprocess.run(command, cwd=measurement.cwd, env=debug, capture_output=True,
                                       text=True, check=False)
                if again.returncode != 0:
                    raise BenchError(f"command failed (exit {again.returncode}): {' '.join(command)}\n"
                                     f"{again.stderr.strip() or again.stdout.strip()}")
            raise BenchError(f"hyperfine failed on {' '.join(command)} (the command succeeded "
                             f"{RETRIES} times when run again, so it fails only sometimes):\n"
                             f"{result.stderr.strip()}")
        data = json.loads(export.read_text(encoding="utf-8"))
        return [float(t) for t in data["results"][0]["times"]]


#: Reruns of a command hyperfine saw fail, to catch its error output.
RETRIES = 10


def _shell_words(command: list[str]) -> str:
    """hyperfine -N splits its one argument like a shell would; paths here need no quoting.

    Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN), which is why
    promtool gets the fleet's rule files as paths relative to the tree.
    """
    for word in command:
        if not word or any(c.isspace() or c in "'\"\\$`" for c in word):
            raise BenchError(f"argument {word!r} cannot be passed to hyperfine -N unquoted")
    line = " ".join(command)
    if len(line.encode()) >= MAX_ARG:
        raise BenchError(f"command too long for one hyperfine argument ({len(line)} characters): {line[:200]}…")
    return line


def paladin_obs() -> list[str]:
    """The installed command beside this interpreter (the venv's), else `python -m paladin_obs`."""
    script = Path(sys.executable).parent / "paladin-obs"
    return [str(script)] if script.exists() else [sys.executable, "-m", "paladin_obs"]


def rule_files(out: Path) -> list[str]:
    """The Prometheus rule files `generate` wrote (rules/<env>/*.yaml; Loki's are not promtool's),
    relative to `out`."""
    files = sorted(str(p.relative_to(out)) for p in out.glob("rules/*/*.yaml"))
    if not files:
        raise BenchError(f"no rule files under {out}/rules")
    return files


def ratio(figure: str, numerator: Measurement, denominator: Measurement,
          limit: float | None, note: str = "") -> Figure:
    return Figure(figure, numerator.median_s / denominator.median_s, "ratio", limit,
                  (numerator.name, denominator.name), note)


@dataclass(frozen=True)
class Builds:
    """`generate` (into an empty directory) and `check` (on the generated tree), cold and warm.

    paladin-obs keeps a build's output in its cache directory for the next run
    of the same inputs. CI runners usually start with an empty cache and
    pre-commit hooks usually find a warm one, so both are measured: *cold*
    empties the benchmark's own cache (``PALADIN_OBS_CACHE_DIR``) before every
    run, *warm* runs after it was filled. Targets apply to both.
    """

    generate: dict[str, Measurement]
    check: dict[str, Measurement]

    def all(self) -> list[Measurement]:
        return [*self.generate.values(), *self.check.values()]


CACHE_STATES = ("cold", "warm")


def measure_builds(runner: Runner, tool: list[str], prefix: str, what: str, spec: Path, tree: Path) -> Builds:
    """Each command cold, then warm: its cold runs leave the cache holding its own entry
    (the key includes the output directory), so every warm run, the first included, hits."""
    scratch = tree.parent / "scratch"
    generate: dict[str, Measurement] = {}
    check: dict[str, Measurement] = {}
    # Emptied by moving aside, deleted at the end (see set_aside.py).
    aside = [sys.executable, str(BENCH / "set_aside.py"), str(runner.trash)]
    for state in CACHE_STATES:
        emptied = [str(runner.cache)] if state == "cold" else []
        generate[state] = runner.measure(
            f"{prefix}.generate.{state}", f"paladin-obs generate on {what} into an empty directory, {state} cache",
            [*tool, "generate", "-f", str(spec), "-o", str(scratch)],
            prepare=[*aside, str(scratch), *emptied])
    for state in CACHE_STATES:
        emptied = [str(runner.cache)] if state == "cold" else []
        check[state] = runner.measure(
            f"{prefix}.check.{state}", f"paladin-obs check on {what} and its generated tree, {state} cache",
            [*tool, "check", "-f", str(spec), "-o", str(tree)],
            prepare=[*aside, *emptied] if emptied else None)
    return Builds(generate, check)


def bench_paladin(runner: Runner, tool: list[str]) -> tuple[list[Measurement], list[Figure]]:
    """Paladin's spec: generate and check against promtool on the rule files generate wrote."""
    base = runner.work / "paladin"
    base.mkdir()
    spec = base / "paladin-obs.yaml"
    shutil.copyfile(REPO / "paladin-obs.yaml", spec)
    tree = base / "tree"
    runner.run_checked([*tool, "generate", "-f", str(spec), "-o", str(tree)])
    print("Paladin's spec", flush=True)
    builds = measure_builds(runner, tool, "paladin", "Paladin's spec", spec, tree)
    promtool = runner.measure("paladin.promtool", "promtool check rules on the rule files generate wrote",
                              ["promtool", "check", "rules", *rule_files(tree)], cwd=tree)
    figures = [
        ratio(f"paladin {command} {state} / promtool (wall)", measured[state], promtool, 3.0)
        for state in CACHE_STATES
        for command, measured in (("generate", builds.generate), ("check", builds.check))
    ]
    return [*builds.all(), promtool], figures


def bench_big_files(runner: Runner, tool: list[str]) -> tuple[list[Measurement], list[Figure]]:
    """validate against promtool on the two big rule files of benchmarks/bigrules.py."""
    measurements: list[Measurement] = []
    figures: list[Figure] = []
    alerts = runner.settings.alerts
    for kind in ("templated", "mixed"):
        path = runner.work / f"big-{kind}.yaml"
        runner.run_checked([sys.executable, str(BENCH / "bigrules.py"), "--kind", kind,
                            "--alerts", str(alerts), "-o", str(path)])
        print(f"{kind} rule file, {alerts} rules", flush=True)
        ours = runner.measure(f"big.{kind}.validate", f"paladin-obs validate on the {kind} rule file",
                              [*tool, "validate", str(path)])
        theirs = runner.measure(f"big.{kind}.promtool", f"promtool check rules on the {kind} rule file",
                                ["promtool", "check", "rules", str(path)])
        measurements += [ours, theirs]
        figures.append(ratio(f"validate {kind} / promtool (wall)", ours, theirs, 0.5))
        figures.append(Figure(f"validate {kind} / promtool (peak memory)", ours.peak_tree_kb / theirs.peak_tree_kb,
                              "ratio", 1.0, (ours.name, theirs.name), "PSS of the whole process tree"))
    return measurements, figures


def bench_fleets(runner: Runner, tool: list[str]) -> tuple[list[Measurement], list[Figure]]:
    """Fleet specs of each size: generate, check, and promtool on their rule files."""
    measurements: list[Measurement] = []
    figures: list[Figure] = []
    cold: dict[int, Measurement] = {}
    for size in runner.settings.sizes:
        base = runner.work / f"fleet-{size}"
        base.mkdir()
        spec = base / "fleet.yaml"
        runner.run_checked([sys.executable, str(BENCH / "fleet.py"), "--services", str(size), "-o", str(spec)])
        tree = base / "tree"
        runner.run_checked([*tool, "generate", "-f", str(spec), "-o", str(tree)])
        print(f"fleet of {size} service(s)", flush=True)
        builds = measure_builds(runner, tool, f"fleet.{size}", f"a {size}-service fleet", spec, tree)
        promtool = runner.measure(f"fleet.{size}.promtool", "promtool check rules on the fleet's rule files",
                                  ["promtool", "check", "rules", *rule_files(tree)], cwd=tree)
        measurements += [*builds.all(), promtool]
        cold[size] = builds.generate["cold"]
        target = size >= 500
        for state in CACHE_STATES:
            generate, check = builds.generate[state], builds.check[state]
            figures += [
                Figure(f"fleet {size} generate {state} (wall)", generate.median_s, "s",
                       10.0 if target else None, (generate.name,)),
                Figure(f"fleet {size} generate {state} (peak memory)", generate.peak_tree_kb / 1024, "MiB",
                       1024.0 if target else None, (generate.name,),
                       "PSS of the whole process tree: forked workers count"),
                ratio(f"fleet {size} check {state} / generate {state} (wall)", check, generate, 1.2),
                ratio(f"fleet {size} generate {state} / promtool (wall)", generate, promtool, None,
                      "for information: no target"),
            ]
    figures += growth(cold)
    return measurements, figures


def growth(generates: dict[int, Measurement]) -> list[Figure]:
    """time(b)/time(a) for consecutive sizes of at least 50 (below, start-up dominates);
    linear growth allows 1.1 * b/a (11 for 50 → 500)."""
    sizes = sorted(s for s in generates if s >= 50)
    return [
        Figure(f"fleet generate cold growth {a} -> {b} (wall)", generates[b].median_s / generates[a].median_s,
               "ratio", round(1.1 * b / a, 3), (generates[b].name, generates[a].name))
        for a, b in itertools.pairwise(sizes)
    ]


def tool_versions(tool: list[str]) -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        return (result.stdout or result.stderr).strip().splitlines()[0] if result.returncode == 0 else "unknown"

    return {
        "paladin-obs": first_line([*tool, "--version"]),
        "promtool": first_line(["promtool", "--version"]),
        "hyperfine": first_line(["hyperfine", "--version"]),
        "time": GNU_TIME,
    }


def missing_tools() -> list[str]:
    missing = [name for name in ("promtool", "hyperfine") if shutil.which(name) is None]
    if not Path(GNU_TIME).exists():
        missing.append(f"{GNU_TIME} (Debian package 'time')")
    return missing


def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "value", "target", "result")]
    for f in figures:
        value = f"{f.rounded:.3f}x" if f.unit == "ratio" else f"{f.rounded:.2f} {f.unit}"
        target = "-" if f.limit is None else f"<= {f.limit:g}{f.unit_suffix}"
        verdict = {True: "PASS", False: "FAIL", None: "info"}[f.passed]
        rows.append((f.name, value, target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def report(settings: Settings, tool: list[str], started: str, load_start: tuple[float, float, float],
           measurements: list[Measurement], figures: list[Figure]) -> dict[str, Any]:
    verdicts = [f.passed for f in figures]
    return {
        "schema": SCHEMA,
        "date": started,
        "mode": "quick" if settings.quick else "full",
        "machine": {
            "nproc": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_start": list(load_start),
            "loadavg_end": list(os.getloadavg()),
        },
        "tools": tool_versions(tool),
        "settings": {
            "sizes": list(settings.sizes), "runs": settings.runs, "warmup": settings.warmup,
            "rss_runs": settings.rss_runs, "alerts": settings.alerts, "parts": list(settings.parts),
            "slow_command_seconds": SLOW_SECONDS, "slow_command_runs": SLOW_RUNS,
            "bytecode": "compiled once into a fresh PYTHONPYCACHEPREFIX before timing",
        },
        "measurements": {m.name: m.as_json() for m in measurements},
        "figures": [f.as_json() for f in figures],
        "summary": {"pass": verdicts.count(True), "fail": verdicts.count(False), "info": verdicts.count(None)},
    }


Bench = Callable[[Runner, list[str]], tuple[list[Measurement], list[Figure]]]
BENCHES: dict[str, Bench] = {"paladin": bench_paladin, "big": bench_big_files, "fleet": bench_fleets}
PARTS = tuple(BENCHES)


@dataclass(frozen=True)
class Options:
    settings: Settings
    json_out: Path
    keep: Path | None


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke mode: a fleet of 1, 2 runs, no warm-up, 200-rule files (overrides the settings below)")
    parser.add_argument("--sizes", default="1,50,500", help="fleet sizes, comma-separated (default 1,50,500)")
    parser.add_argument("--runs", type=int, default=10,
                        help=f"timed runs per command (default 10; at most {SLOW_RUNS} for slow ones)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs per command (default 2)")
    parser.add_argument("--alerts", type=int, default=10000, help="rules in each big rule file (default 10000)")
    parser.add_argument("--json-out", type=Path, default=BENCH / "results.json",
                        help="report file (default benchmarks/results.json)")
    parser.add_argument("--keep", type=Path, help="build the fixtures in this new directory and keep them")
    parser.add_argument("--only", default=",".join(PARTS),
                        help="parts to run, comma-separated: paladin, big, fleet (default all)")
    args = parser.parse_args(argv)
    try:
        sizes = tuple(sorted({int(s) for s in args.sizes.split(",") if s.strip()}))
    except ValueError:
        parser.error(f"--sizes: expected comma-separated numbers, got {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.runs < 1 or args.warmup < 0 or args.alerts < 1:
        parser.error("--sizes, --runs and --alerts must be at least 1, --warmup at least 0")
    parts = tuple(part for part in PARTS if part in args.only.split(","))
    unknown = set(args.only.split(",")) - set(PARTS)
    if unknown or not parts:
        parser.error(f"--only: expected some of {', '.join(PARTS)}, got {args.only!r}")
    if args.keep is not None and args.keep.exists():
        parser.error(f"--keep: {args.keep} already exists")
    if args.quick:
        settings = Settings(sizes=(1,), runs=2, warmup=0, rss_runs=1, alerts=200, quick=True, parts=parts)
    else:
        settings = Settings(sizes=sizes, runs=args.runs, warmup=args.warmup, rss_runs=3,
                            alerts=args.alerts, quick=False, parts=parts)
    return Options(settings, args.json_out, args.keep)


def run(options: Options, work: Path) -> dict[str, Any]:
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    load_start = os.getloadavg()
    tool = paladin_obs()
    runner = Runner(work, options.settings)
    measurements: list[Measurement] = []
    figures: list[Figure] = []
    for part in options.settings.parts:
        more, found = BENCHES[part](runner, tool)
        measurements += more
        figures += found
    shutil.rmtree(runner.trash, ignore_errors=True)
    print()
    print_table(figures)
    return report(options.settings, tool, started, load_start, measurements, figures)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    missing = missing_tools()
    if missing:
        print(f"benchmarks/run.py: missing {', '.join(missing)}; on Debian: "
              "apt-get install prometheus hyperfine time", file=sys.stderr)
        return 2
    try:
        if options.keep is not None:
            options.keep.mkdir(parents=True)
            result = run(options, options.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="paladin-obs-bench-") as work:
                result = run(options, Path(work))
    except BenchError as error:
        print(f"benchmarks/run.py: {error}", file=sys.stderr)
        return 1
    options.json_out.parent.mkdir(parents=True, exist_ok=True)
    options.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    summary = result["summary"]
    print(f"\n{summary['pass']} passed, {summary['fail']} failed, {summary['info']} for information; "
          f"report: {options.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
