"""Label values Grafana would read as variables ($x, ${x}, [[x]]) stay literal in
dashboard queries: written as regexes that match the same text (found by the
property test: a signal's match value ``$A`` reached a panel as a variable)."""

from __future__ import annotations

import re

import pytest

from paladin_obs.model import Matcher
from paladin_obs.targets.grafana.queries import literal
from paladin_obs.validate.grafana_vars import substitute
from paladin_obs.values import render_selector


@pytest.mark.parametrize(
    ("matcher", "written", "matches", "misses"),
    [
        (Matcher("a", "=", "$A"), Matcher("a", "=~", "[$]A"), "$A", "xA"),
        (Matcher("a", "!=", "${x}y"), Matcher("a", "!~", "[$]\\{x\\}y"), "${x}y", "x"),
        (Matcher("a", "=", "x[[y]]"), Matcher("a", "=~", "x\\[\\[y\\]\\]"), "x[[y]]", "xy"),
        (Matcher("a", "=", "cost $"), Matcher("a", "=", "cost $"), None, None),  # no variable
        (Matcher("a", "=", "5.."), Matcher("a", "=", "5.."), None, None),
    ],
)
def test_values_that_look_like_variables(
    matcher: Matcher, written: Matcher, matches: str | None, misses: str | None
) -> None:
    (out,) = literal((matcher,))
    assert out == written
    # Grafana finds no variable in the query text any more.
    assert substitute(render_selector("m", (out,))).uses == []
    if matches is not None:  # RE2 and Python agree on these patterns
        assert re.fullmatch(out.value, matches)
        assert not re.fullmatch(out.value, misses or "")
