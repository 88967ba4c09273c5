"""A rule file checked in two processes reads exactly as checked in one.

``PALADIN_OBS_SPLIT_MIN_RULES=0`` cuts even a small file; ``PALADIN_OBS_JOBS=1``
keeps it whole. The CLI's stdout, stderr and exit code must be byte-identical
both ways on good files, errors on either side of the cut, YAML errors,
group names repeated across the cut and suppressions on either side; and the
cut must really happen, or these tests prove nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paladin_obs.commands.validate import order
from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, prometheus_rules, rules_split
from paladin_obs.validate.rules_split import MIN_RULES_ENV, check_split, plan


def _rule(i: int, indent: str) -> str:
    return (
        f"{indent}- alert: HighErrors{i}\n"
        f'{indent}  expr: sum by (job) (rate(http_requests_total{{job="api{i}",code=~"5.."}}[5m])) > 1\n'
        f"{indent}  for: 5m\n"
        f"{indent}  labels:\n"
        f"{indent}    severity: warning\n"
        f"{indent}  annotations:\n"
        f'{indent}    summary: "Errors on {{{{ $labels.job }}}}"\n'
        f"{indent}    description: |\n"
        f"{indent}      {{{{ $labels.job }}}} fails {{{{ $value | humanize }}}} requests.\n"
        f"{indent}- record: job:requests:rate5m_{i}\n"
        f'{indent}  expr: sum by (job) (rate(http_requests_total{{job="api{i}"}}[5m]))\n'
    )


def rule_file(groups: int = 8, extra: dict[int, str] | None = None, nested: bool = True) -> str:
    """A rule file of ``groups`` groups; ``extra[g]`` is added to group g's rules."""
    dash = "  " if nested else ""
    out = ["# Rules.\n", "\n", "groups:\n"]
    for g in range(groups):
        out.append(f"{dash}- name: group-{g}\n{dash}  rules:\n")
        out.extend(_rule(g * 10 + i, dash + "  ") for i in range(3))
        out.append((extra or {}).get(g, ""))
        out.append("\n")
    return "".join(out)


def _run(path: Path, split: bool, *args: str, command: str = "validate") -> tuple[int, str, str]:
    env = dict(os.environ)
    env.pop("PALADIN_OBS_JOBS", None)
    env[MIN_RULES_ENV] = "0" if split else "100000000"
    if not split:
        env["PALADIN_OBS_JOBS"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "paladin_obs", command, *args, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def _same_both_ways(
    tmp_path: Path, text: str, *args: str, command: str = "validate"
) -> tuple[int, str, str]:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    one = _run(path, False, *args, command=command)
    two = _run(path, True, *args, command=command)
    assert two == one
    return one


def _split_in_process(text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The split's report lines, compared with one process's; fails if not cut."""
    monkeypatch.setenv(MIN_RULES_ENV, "0")
    monkeypatch.delenv("PALADIN_OBS_JOBS", raising=False)
    settings = Settings((3, 0))
    split = check_split(text, "r.yaml", settings)
    assert split is not None, "the file was not cut"
    doc = load_text(text, "r.yaml", text_scalars=True, first_document=True)
    from paladin_obs.directives import parse_comments

    source = Source(
        "r.yaml", doc.data, lambda p, k: doc.where(p, key=k), parse_comments(text, "r.yaml")
    )
    whole = prometheus_rules.check([source], settings)
    checked, _ = split
    assert sorted(set(checked.errors), key=order) == sorted(set(whole.errors), key=order)
    assert sorted(set(checked.findings), key=order) == sorted(set(whole.findings), key=order)
    return [d.render() for d in sorted(set(checked.errors + checked.findings), key=order)]


BROKEN_FIRST = "    - alert: BadFirst\n      expr: rate(x[5m]\n      bogus: 1\n"
BROKEN_SECOND = (
    "    - alert: BadSecond\n      expr: sum(rate(y[5m])) by (job\n"
    "      annotations:\n        summary: '{{ $labels.job'\n"
)
DUPLICATE = (
    "    - alert: HighErrors0\n"
    '      expr: sum by (job) (rate(http_requests_total{job="api0",code=~"5.."}[5m])) > 1\n'
    "      labels:\n        severity: warning\n"
)


@pytest.mark.parametrize("nested", [True, False])
def test_good_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested: bool) -> None:
    text = rule_file(nested=nested)
    code, out, _ = _same_both_ways(tmp_path, text)
    assert code == 0 and "warning:" in out
    assert _split_in_process(text, monkeypatch)


def test_errors_on_both_sides_of_the_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = rule_file(extra={0: BROKEN_FIRST, 7: BROKEN_SECOND + DUPLICATE})
    code, _, _ = _same_both_ways(tmp_path, text)
    assert code == 1
    lines = _split_in_process(text, monkeypatch)
    assert any("BadFirst" in line for line in lines) and any("BadSecond" in line for line in lines)
    assert any("unknown field 'bogus'" in line for line in lines)
    assert any("is already defined at r.yaml:" in line for line in lines)


def test_group_names_repeated_across_the_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        rule_file()
        .replace("name: group-6", "name: group-1")
        .replace("name: group-7", "name: group-1")
    )
    code, _, _ = _same_both_ways(tmp_path, text)
    assert code == 1
    lines = _split_in_process(text, monkeypatch)
    assert sum("group name 'group-1' is repeated" in line for line in lines) == 2


@pytest.mark.parametrize("where", [1, 6])
def test_suppressions_on_either_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:
    disable = "    # paladin-obs disable alerts/annotations: kept short on purpose\n"
    unused = "    # paladin-obs disable groups/interval: nothing to silence\n"
    bad = "    # paladin-obs disable alerts/nonsense: typo\n"
    text = rule_file(
        extra={
            where: disable
            + DUPLICATE.replace("HighErrors0", "Other")
            + unused
            + DUPLICATE
            + bad
            + DUPLICATE
        }
    )
    text += "# paladin-obs disable-file rules/duplicate: two servers load this\n"
    _same_both_ways(tmp_path, text)
    lines = _split_in_process(text, monkeypatch)
    assert any("suppresses nothing" in line for line in lines)
    assert any("unknown check 'alerts/nonsense'" in line for line in lines)


@pytest.mark.parametrize(
    ("group", "broken"),
    [
        (1, "    - alert: X\n      expr: {a: [1, 2}\n"),  # a YAML syntax error
        (6, "    - alert: X\n      expr: up\n      expr: down\n"),  # a duplicate key
        (6, "    - alert: &a X\n      expr: *a\n"),  # the fast reader is not sure: no cut
        (6, "  bogus: 1\n"),  # a key among the groups: the fast reader gives up
    ],
)
def test_yaml_errors_and_unsure_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: int, broken: str
) -> None:
    text = rule_file(extra={group: broken})
    _same_both_ways(tmp_path, text)
    monkeypatch.setenv(MIN_RULES_ENV, "0")
    monkeypatch.delenv("PALADIN_OBS_JOBS", raising=False)
    assert check_split(text, "r.yaml", Settings()) is None


def test_other_lint_flags_and_versions(tmp_path: Path) -> None:
    text = rule_file(extra={5: BROKEN_SECOND})
    _same_both_ways(tmp_path, text, "--lint-fatal", "--prometheus-version", "2.45")
    _same_both_ways(tmp_path, text, "--scrape-interval", "60", "--format", "json")
    code, _, _ = _same_both_ways(tmp_path, text, "--strict", command="lint")
    assert code == 1


def test_plan_cuts_at_a_group_and_keeps_line_numbers() -> None:
    text = rule_file()
    cut = plan(text, 0)
    assert cut is not None and cut.first_item > 0
    before, after = cut.parts(text)
    assert before == text[: cut.offset] and text[: cut.offset].count("\n") == cut.cut
    assert after.split("\n")[cut.cut :] == text.split("\n")[cut.cut :]
    assert after.split("\n")[cut.head] == "groups:"
    assert text.split("\n")[cut.cut].startswith("  - name: group-")
    assert plan(text, 10**6) is None  # too small to pay
    assert plan("groups: []\n", 0) is None
    assert plan(text.replace("\n", "\r\n"), 0) is None


def test_fork_failure_keeps_the_file_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MIN_RULES_ENV, "0")

    def no_fork() -> int:
        raise OSError("no processes left")

    monkeypatch.setattr(rules_split.os, "fork", no_fork)
    assert check_split(rule_file(), "r.yaml", Settings()) is None


def test_no_temporary_file_keeps_the_file_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # The child's positions cross in a temporary file; without one, one process.
    monkeypatch.setenv(MIN_RULES_ENV, "0")
    monkeypatch.delenv("PALADIN_OBS_JOBS", raising=False)

    def no_file() -> object:
        raise OSError("read-only file system")

    monkeypatch.setattr(rules_split.tempfile, "TemporaryFile", no_file)
    assert check_split(rule_file(), "r.yaml", Settings()) is None


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failing_child_is_an_error_not_a_hang(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setenv(MIN_RULES_ENV, "0")
    monkeypatch.delenv("PALADIN_OBS_JOBS", raising=False)
    parent = os.getpid()
    real = rules_split.check_slices

    def failing(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            if how == "die":
                os._exit(9)
            raise ValueError("boom")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rules_split, "check_slices", failing)
    with pytest.raises(RuntimeError, match=r"the worker checking half of r\.yaml failed"):
        check_split(rule_file(), "r.yaml", Settings())
