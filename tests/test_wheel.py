"""The wheel as users get it: built from the repo, installed in a fresh venv, run elsewhere."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_generates_from_any_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = dist.glob("paladin_obs-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # The dependencies come from this test's own environment (a .pth line), so the
    # test needs no registry; the package itself only from the wheel.
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "paladin-obs"), "generate", "-f", str(REPO / "paladin-obs.yaml"), "-o", "out"],
        cwd=work, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    # The packaged templates were used, not the checkout's.
    probe = subprocess.run(
        [str(py), "-c", "from paladin_obs.templates import builtin_dir; print(builtin_dir())"],
        cwd=work, capture_output=True, text=True, check=True,
    )
    assert str(env_dir) in probe.stdout
    generated = sorted(
        p.relative_to(work / "out").as_posix()
        for p in (work / "out").rglob("*")
        if p.suffix in (".yaml", ".json", ".alloy")
    )
    assert generated == [
        "dashboards/production/paladin/overview.json",
        "dashboards/production/paladin/slo.json",
        "dashboards/production/provisioning/paladin.yaml",
        "dashboards/staging/paladin/overview.json",
        "dashboards/staging/paladin/slo.json",
        "dashboards/staging/provisioning/paladin.yaml",
        "loki/production/paladin.alloy",
        "loki/production/promtail/paladin.yaml",
        "loki/production/rules/paladin/paladin.yaml",
        "loki/staging/paladin.alloy",
        "loki/staging/promtail/paladin.yaml",
        "loki/staging/rules/paladin/paladin.yaml",
        "rules/production/paladin.rules.yaml",
        "rules/production/paladin.slo.rules.yaml",
        "rules/staging/paladin.rules.yaml",
        "rules/staging/paladin.slo.rules.yaml",
    ]
    for rel in generated:
        assert (work / "out" / rel).read_bytes() == (REPO / rel).read_bytes(), rel
