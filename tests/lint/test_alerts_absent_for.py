from __future__ import annotations

import json

import pytest
from tests.lint.harness import ids_lines, lint_text

ID = "alerts/absent-for"


def rules(expr: str, for_: str | None) -> str:
    text = f"groups:\n- name: g\n  rules:\n  - alert: A\n    expr: {json.dumps(expr)}\n"
    if for_ is not None:
        text += f"    for: {for_}\n"
    return text + "    labels: {severity: warning}\n"


@pytest.mark.parametrize(
    ("expr", "for_", "expected"),
    [
        ("absent(up{job='checkout'})", None, [(ID, 4)]),
        ("absent(up{job='checkout'})", "0s", [(ID, 6)]),
        ("absent(up{job='a'}) or absent(up{job='b'})", None, [(ID, 4)]),
        ("count(up{job='a'}) < 2 or absent(up{job='a'})", None, [(ID, 4)]),
        # absent_over_time under 4 scrape intervals (60s here): a restart empties it.
        ("absent_over_time(up{job='a'}[2m])", None, [(ID, 4)]),
        # Near-misses: a `for`, a window that outlasts a restart, no absent at all.
        ("absent(up{job='checkout'})", "10m", []),
        ("absent(up{job='checkout'})", "1m", []),
        ("absent_over_time(up{job='a'}[10m])", None, []),
        ("absent_over_time(up{job='a'}[4m])", None, []),
        ("up{job='a'} == 0", None, []),
    ],
)
def test_alerts_absent_for(expr: str, for_: str | None, expected: list[tuple[str, int]]) -> None:
    assert ids_lines(lint_text(rules(expr, for_), only=[ID])) == expected


def test_scrape_interval_sets_the_window() -> None:
    text = rules("absent_over_time(up{job='a'}[2m])", None)
    assert lint_text(text, only=[ID], scrape_interval=15.0) == []
    assert ids_lines(lint_text(text, only=[ID], scrape_interval=60.0)) == [(ID, 4)]
