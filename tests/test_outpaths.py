from __future__ import annotations

import pytest

from paladin_obs.outpaths import unsafe_reason


@pytest.mark.parametrize("path", ["rules/production/paladin.rules.yaml", "dashboards/x.json", "a", "ünï/x-1_2.alloy"])
def test_safe_paths(path: str) -> None:
    assert unsafe_reason(path) == ""


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("", "empty"),
        ("/etc/passwd", "relative"),
        ("rules\\x.yaml", "relative"),
        ("rules/../../x.yaml", "'..'"),
        ("rules//x.yaml", "empty"),
        ("./x.yaml", "'.'"),
        ("rules/", "empty"),
        (".git/config", "hidden"),
        ("rules/.paladin-obs.lock", "hidden"),
        ("rules/x\n.yaml", "control"),
        ("rules/x\x00.yaml", "control"),
        ("r/" + "x" * 256, "longer than 255"),
    ],
)
def test_unsafe_paths(path: str, fragment: str) -> None:
    assert fragment in unsafe_reason(path)
