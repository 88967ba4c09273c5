"""Where `paladin-obs generate` spends its time, stage by stage.

Runs ``generate`` in a fresh process per run (so imports count, as they do
for a user) with one process and no build cache, and charges each moment to
the innermost stage running: imports, load (YAML with positions), schema,
resolve, targets (building files as data), validate (rule files, dashboards,
Loki files; lint apart), lint, serialise (YAML/JSON/Alloy text), write (plan,
stage, rename). What no stage covers (the CLI, stamping ownership records,
merging findings) is "other". The same script profiles an older checkout,
so a change can be shown before and after:

    python benchmarks/stages.py [--spec paladin-obs.yaml] [--runs 7]
    python benchmarks/stages.py --source /tmp/old/generator   # a worktree of an older commit

Stages are found by name and skipped when a version lacks them; the figures
are medians over the runs, in milliseconds. Bytecode is compiled once into
a fresh cache first, as an installed package has it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Runs inside the measured process: wrap stage functions, run generate, print JSON.
_CHILD = r"""
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, SOURCE)
import importlib
import paladin_obs.cli, paladin_obs.pipeline, paladin_obs.commands.generate
imported = time.perf_counter()
spent = {}
stack = []

def wrap(owner, attr, stage):
    fn = getattr(owner, attr, None)
    if fn is None or getattr(fn, "_staged", False):
        return
    def timed(*args, **kwargs):
        now = time.perf_counter()
        if stack:
            outer, since = stack[-1]
            spent[outer] = spent.get(outer, 0.0) + now - since
        stack.append([stage, now])
        try:
            return fn(*args, **kwargs)
        finally:
            end = time.perf_counter()
            inner, since = stack.pop()
            spent[inner] = spent.get(inner, 0.0) + end - since
            if stack:
                stack[-1][1] = end
    timed._staged = True
    setattr(owner, attr, timed)

def module(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None

pipeline = paladin_obs.pipeline
wrap(pipeline, "load_file", "load")
for name in ("paladin_obs.resolve", "paladin_obs.spec_schema"):
    m = module(name)
    if m is not None:
        wrap(m, "validate_spec", "schema")
for attr in ("resolve", "prepare", "environment_model"):
    wrap(pipeline, attr, "resolve")
for target in module("paladin_obs.targets").TARGETS.values():
    wrap(target, "generate", "targets")
for validator in module("paladin_obs.validate").VALIDATORS.values():
    wrap(validator, "check", "validate")
lint = module("paladin_obs.lint")
for attr in ("run", "collect", "finish"):
    wrap(lint, attr, "lint")
formats = module("paladin_obs.formats")
wrap(formats, "dump", "serialise")
grafana_target = module("paladin_obs.targets.grafana")
wrap(grafana_target, "dump_json", "serialise")
writing = module("paladin_obs.commands.writing")
for attr in ("write_tree", "plan_only"):
    wrap(writing, attr, "write")
generate = paladin_obs.commands.generate
wrap(generate, "write_tree", "write")
report = generate.run(SPEC, OUT, None)
done = time.perf_counter()
spent["imports"] = imported - start
spent["other"] = (done - imported) - sum(v for k, v in spent.items() if k != "imports")
print(json.dumps({"exit": report.exit_code, "total": done - start, "stages": spent}))
"""

STAGES = ("imports", "load", "schema", "resolve", "targets", "validate", "lint", "serialise", "write", "other")


def _run(source: Path, spec: Path, env: dict[str, str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        code = _CHILD.replace("SOURCE", repr(str(source))).replace("SPEC", repr(str(spec)))
        code = code.replace("OUT", repr(out))
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise SystemExit(f"generate failed:\n{proc.stderr}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["exit"] != 0:
        raise SystemExit(f"generate exited {result['exit']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", default=str(REPO / "paladin-obs.yaml"))
    parser.add_argument("--source", default=str(REPO / "generator"), help="the generator/ directory to profile")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", default=None, help="also write the medians here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
            PALADIN_OBS_CACHE_DIR="",
            PALADIN_OBS_JOBS="1",
        )
        _run(Path(args.source), Path(args.spec), env)  # compiles the bytecode once
        runs = [_run(Path(args.source), Path(args.spec), env) for _ in range(args.runs)]
    medians = {
        stage: 1000 * statistics.median(float(r["stages"].get(stage, 0.0)) for r in runs)  # type: ignore[attr-defined]
        for stage in STAGES
    }
    total = 1000 * statistics.median(float(r["total"]) for r in runs)  # type: ignore[arg-type]
    print(f"generate -f {Path(args.spec).name}, {args.runs} runs, source {args.source}")
    print(f"{'stage':<10} {'median ms':>10}")
    for stage in STAGES:
        print(f"{stage:<10} {medians[stage]:>10.1f}")
    print(f"{'total':<10} {total:>10.1f}  (in the process, from before the first import)")
    if args.json:
        Path(args.json).write_text(json.dumps({"total_ms": total, "stages_ms": medians}, indent=2) + "\n")


if __name__ == "__main__":
    main()
