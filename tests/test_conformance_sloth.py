"""Sloth conformance: import Sloth's published cases, generate, compare with Sloth's own output.

Case directories: ``tests/conformance/sloth`` (always), ``../shared/conformance/sloth`` when
present, and ``$PALADIN_OBS_SLOTH_CONFORMANCE`` (for instance Sloth's whole
``test/integration/prometheus/testdata``). A case is an ``out-<name>.yaml.tpl`` with its input
and ``sloth generate`` flags (``_FLAGS`` mirrors Sloth's own integration test); an ``in-*.yaml``
no output uses is a case Sloth refuses, and so must we. Cases that need Sloth plugins must be
refused with a located message: plugins are code inside Sloth, a spec cannot carry them.

Rules are compared as data (groups in order, rules in order, every key), expressions after
parsing both sides with promql-parser and printing them back, so layout does not count but
every operator, parenthesis and number does.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml

from paladin_obs import __version__

REPO = Path(__file__).resolve().parent.parent
#: conftest.run_cli: paladin-obs as a real process.
CliRun = Callable[..., subprocess.CompletedProcess[str]]
OURS = REPO / "tests" / "conformance" / "sloth"
ENV = "PALADIN_OBS_SLOTH_CONFORMANCE"

#: Sloth's generate_test.go: case -> (input, import kind, flags); ``{windows}`` is the
#: case directory's AlertWindows directory.
_FLAGS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "base-28d": ("in-base.yaml", "sloth", ("--default-slo-period", "28d")),
    "base-custom-windows-7d": (
        "in-base.yaml",
        "sloth",
        ("--default-slo-period", "7d", "--slo-period-windows-path", "{windows}"),
    ),
    "base-extra-labels": ("in-base.yaml", "sloth", ("-l", "exk1=exv1", "-l", "exk2=exv2")),
    "base-no-alerts": ("in-base.yaml", "sloth", ("--disable-alerts",)),
    "base-no-recordings": ("in-base.yaml", "sloth", ("--disable-recordings",)),
    "openslo": ("in-openslo.yaml", "openslo", ()),
}
#: What a refusal must say: Sloth plugins, or an unknown version.
_PLUGIN_REFUSAL = re.compile(r":\d+:\d+: [^\n]*Sloth (SLI|SLO) plugins cannot be expressed")
_LOCATED = re.compile(r"\.ya?ml:\d+:\d+: ")


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    input: str
    kind: str
    flags: tuple[str, ...]
    expected: Path | None  # None: the import must be refused

    @property
    def refused(self) -> bool:
        return self.expected is None or "plugin" in self.name


def _directories() -> list[Path]:
    found = [OURS, REPO.parent / "shared" / "conformance" / "sloth"]
    if os.environ.get(ENV):
        found.append(Path(os.environ[ENV]))
    unique: dict[Path, None] = {}
    for directory in found:
        if directory.is_dir():
            unique.setdefault(directory.resolve(), None)
    return list(unique)


def _windows(directory: Path) -> Path:
    for candidate in (directory / "windows", directory.parent / "windows"):
        if candidate.is_dir():
            return candidate
    return OURS / "windows"


def _digest(*paths: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()


_OPENSLO = re.compile(r"^apiVersion:\s*['\"]?openslo/", re.M)


def _kind_of(source: Path, default: str) -> str:
    """Sloth reads OpenSLO too: an OpenSLO input goes through ``import openslo``."""
    return "openslo" if _OPENSLO.search(source.read_text(errors="replace")) else default


def discover() -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    for directory in _directories():
        used: set[str] = set()
        for out in sorted(directory.glob("out-*.yaml.tpl")):
            name = out.name[len("out-") : -len(".yaml.tpl")]
            given, kind, flags = _FLAGS.get(name, (f"in-{name}.yaml", "sloth", ()))
            flags = tuple(f.replace("{windows}", str(_windows(directory))) for f in flags)
            used.add(given)
            if not (directory / given).is_file():
                continue
            kind = _kind_of(directory / given, kind)
            key = _digest(directory / given, out) + repr(flags)
            if key not in seen:
                seen.add(key)
                cases.append(Case(name, directory, given, kind, flags, out))
        for source in sorted(directory.glob("in-*.yaml")):
            key = _digest(source)
            if source.name not in used and key not in seen:
                seen.add(key)
                kind = _kind_of(source, "sloth")
                cases.append(Case(source.stem[3:], directory, source.name, kind, (), None))
    return cases


CASES = discover()


def render_template(text: str, version: str) -> str:
    """Sloth's expected files are Go templates: ``{{ .version }}`` and quoted literals."""

    def action(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if inner == ".version":
            return version
        if inner.startswith('"'):
            return str(yaml.safe_load(inner))  # a Go string literal is a YAML double-quoted one
        if inner.startswith("`"):
            return inner[1:-1]
        raise AssertionError(f"unexpected template action {match.group(0)!r}")

    return re.sub(r"\{\{(\s*(?:\.version|\"(?:[^\"\\]|\\.)*\"|`[^`]*`)\s*)\}\}", action, text)


def sloth_groups(text: str) -> list[dict[str, Any]]:
    """Groups of a Sloth output: plain rule files, or Prometheus-operator objects (k8s)."""
    groups: list[dict[str, Any]] = []
    for document in yaml.safe_load_all(text):
        if not document:
            continue
        if document.get("kind") == "PrometheusRule":
            document = document["spec"]
        groups.extend(document.get("groups") or [])
    return groups


def normalise(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for group in groups:
        rules = []
        for rule in group.get("rules") or []:
            rule = dict(rule)
            rule["expr"] = str(promql_parser.parse(str(rule["expr"])))
            rules.append(rule)
        out.append({**group, "rules": rules})
    return out


def our_groups(spec: Path, out: Path) -> list[dict[str, Any]]:
    """Every SLO group we generated, files in the order services first appear in the input."""
    services = list((yaml.safe_load(spec.read_text()) or {}).get("services") or {})
    files = sorted(out.rglob("*.slo.rules.yaml"))
    order = {name: index for index, name in enumerate(services)}
    files.sort(key=lambda p: order.get(p.name[: -len(".slo.rules.yaml")], len(order)))
    groups: list[dict[str, Any]] = []
    for path in files:
        groups.extend((yaml.safe_load(path.read_text()) or {}).get("groups") or [])
    return groups


@pytest.mark.parametrize("case", CASES, ids=[f"{c.directory.name}/{c.name}" for c in CASES])
def test_sloth_case(case: Case, tmp_path: Path, run_cli: CliRun) -> None:
    source = case.directory / case.input
    imported = run_cli(
        "import", case.kind, source, "-o", tmp_path / "spec.yaml", *case.flags, cwd=tmp_path
    )
    if case.refused:
        assert imported.returncode == 2, imported.stdout + imported.stderr
        assert _LOCATED.search(imported.stderr), imported.stderr
        assert "Traceback" not in imported.stderr
        if "plugin" in case.name:
            assert _PLUGIN_REFUSAL.search(imported.stderr), imported.stderr
        assert not (tmp_path / "spec.yaml").exists()
        return
    assert imported.returncode == 0, imported.stderr
    generated = run_cli("generate", "-f", "spec.yaml", "-o", "out", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    assert case.expected is not None
    expected = normalise(sloth_groups(render_template(case.expected.read_text(), __version__)))
    ours = normalise(our_groups(tmp_path / "spec.yaml", tmp_path / "out"))
    assert [g["name"] for g in ours] == [g["name"] for g in expected]
    for mine, theirs in zip(ours, expected, strict=True):
        assert {k: v for k, v in mine.items() if k != "rules"} == {
            k: v for k, v in theirs.items() if k != "rules"
        }, mine["name"]
        assert len(mine["rules"]) == len(theirs["rules"]), mine["name"]
        for index, (rule, want) in enumerate(zip(mine["rules"], theirs["rules"], strict=True)):
            assert rule == want, f"{mine['name']} rule {index}"


def test_our_cases_are_found() -> None:
    """The shipped case always runs: a harness that finds nothing proves nothing."""
    assert any(c.directory == OURS.resolve() and c.name == "base" for c in CASES)


def test_template_rendering() -> None:
    text = "v: {{ .version }}\ns: '{{\"{{$labels.x}}\"}} y'\n"
    assert render_template(text, "1.2.3") == "v: 1.2.3\ns: '{{$labels.x}} y'\n"
