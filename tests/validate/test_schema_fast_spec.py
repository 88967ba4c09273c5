"""The spec's schema answered by ``schema_fast`` agrees with jsonschema.

A valid spec never reaches jsonschema, so a "yes" from the fast check that
jsonschema would answer "no" would let a bad spec through unreported. The
verdicts are compared on every spec in the repository and on thousands of
mutations of them (keys removed, added, retyped, values replaced by
neighbours that break patterns and bounds).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from paladin_obs.spec_schema import schema_text
from paladin_obs.validate.schema_fast import compile_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(schema_text())
FAST = compile_schema(SCHEMA)
SLOW = jsonschema.Draft202012Validator(SCHEMA)


def _specs() -> list[Path]:
    found = []
    for path in sorted([*REPO.glob("*.yaml"), *REPO.glob("examples/**/*.yaml"), *REPO.glob("tests/**/*.yaml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and "services" in data and "version" in data:
            found.append(path)
    return found


SPECS = _specs()
#: Values that break a type, a pattern or a bound somewhere in a spec.
REPLACEMENTS: list[Any] = [
    None, True, 0, -1, 1.5, 101, "", "x", "Bad Name", "5m", "0s", "99.9", "=~5..",
    [], ["x"], {}, {"unknown": 1}, "{{ x }}", "a" * 300,
]


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _nodes(v, (*path, i))
    return out


def _mutate(data: Any, rng: random.Random) -> Any:
    data = copy.deepcopy(data)
    path = rng.choice(_nodes(data)[1:])
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = rng.randrange(3)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[rng.choice(["extra", "unknown_key", "Bad Key", "x"])] = rng.choice(REPLACEMENTS)
    else:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return data


def test_there_are_specs_to_compare() -> None:
    assert len(SPECS) >= 5


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(REPO)))
def test_verdicts_agree_on_specs_and_their_mutations(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(path.name)
    invalid = 0
    for candidate in [data, *(_mutate(data, rng) for _ in range(300))]:
        slow = not any(True for _ in SLOW.iter_errors(candidate))
        assert FAST(candidate) == slow, json.dumps(candidate)[:2000]
        invalid += not slow
    assert invalid > 30  # the mutations do reach the schema's rules


PROMTAIL = json.loads(
    (REPO / "generator/paladin_obs/schema/promtail.schema.json").read_text(encoding="utf-8")
)
PROMTAIL_CONFIGS = sorted(REPO.glob("loki/*/promtail/*.yaml"))


@pytest.mark.parametrize("path", PROMTAIL_CONFIGS, ids=lambda p: str(p.relative_to(REPO)))
def test_promtail_verdicts_agree_on_configs_and_their_mutations(path: Path) -> None:
    fast = compile_schema(PROMTAIL)
    slow = jsonschema.Draft202012Validator(PROMTAIL)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(path.name)
    invalid = 0
    for candidate in [data, *(_mutate(data, rng) for _ in range(300))]:
        valid = not any(True for _ in slow.iter_errors(candidate))
        assert fast(candidate) == valid, json.dumps(candidate)[:2000]
        invalid += not valid
    assert invalid > 30
