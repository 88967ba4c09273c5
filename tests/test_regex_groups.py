"""One scan of a regex's groups: names for the regex format, capturing groups for
field removal. Python's ``re`` (same group syntax for these cases) is the oracle."""

from __future__ import annotations

import re

import pytest

from paladin_obs.regex_groups import capture_only, named_groups

CASES = [
    # (regex, its named groups)
    (r"^(?P<a>\w+) (?P<b>.*)$", ["a", "b"]),
    (r"(?<a>x)(?P<b>y)", ["a", "b"]),
    (r"\(?P<no>x\)", []),  # escaped parentheses are no group
    (r"[(?P<no>]x", []),  # inside a class
    (r"[]()](?P<a>x)", ["a"]),  # "]" first in a class is a literal
    (r"[^]()](?P<a>x)", ["a"]),
    (r"(x|(?P<a>y))(?:z)(?i:w)", ["a"]),
]


@pytest.mark.parametrize(("regex", "names"), CASES)
def test_named_groups(regex: str, names: list[str]) -> None:
    assert named_groups(regex) == names
    python = regex.replace("(?<", "(?P<")
    assert list(re.compile(python).groupindex) == names


@pytest.mark.parametrize(("regex", "names"), CASES)
def test_capture_only_keeps_the_matches(regex: str, names: list[str]) -> None:
    for keep in ({*names[:1]}, set(names), set()):
        rewritten = capture_only(regex, keep)
        compiled = re.compile(rewritten)
        assert compiled.groups == len(keep)
        assert compiled.groupindex == {}
        original = re.compile(regex.replace("(?<", "(?P<"))
        for text in ("ab cd", "xy", "]x", "(x)", "xyzw"):
            a, b = original.search(text), compiled.search(text)
            assert (a and a.group(0)) == (b and b.group(0)), (regex, text)
