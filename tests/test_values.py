from __future__ import annotations

import pytest

from paladin_obs.model import Matcher, Metric
from paladin_obs.values import (
    LabelList,
    SeriesView,
    merge_selectors,
    parse_matcher,
    render_selector,
)


@pytest.mark.parametrize(
    ("text", "matcher"),
    [
        ("x", Matcher("l", "=", "x")),
        ("=~5..", Matcher("l", "=~", "5..")),
        ("!~a|b", Matcher("l", "!~", "a|b")),
        ("!=x", Matcher("l", "!=", "x")),
        ("==~literal", Matcher("l", "=", "=~literal")),  # a leading '=' keeps the rest literal
        ("", Matcher("l", "=", "")),
    ],
)
def test_parse_matcher(text: str, matcher: Matcher) -> None:
    assert parse_matcher("l", text) == matcher


def test_merge_later_wins_and_sorts() -> None:
    merged = merge_selectors((Matcher("job", "=", "a"), Matcher("z", "=", "1")), (Matcher("job", "=", "b"),))
    assert merged == (Matcher("job", "=", "b"), Matcher("z", "=", "1"))


def test_render_selector_quotes_values() -> None:
    assert render_selector("m", ()) == "m"
    assert render_selector("m", (Matcher("a", "=~", 'x"y'),)) == 'm{a=~"x\\"y"}'


def test_series_view_suffixes() -> None:
    view = SeriesView(Metric("lat", "histogram"), (Matcher("job", "=", "a"),))
    assert view.bucket == 'lat_bucket{job="a"}'
    assert view.series == 'lat_count{job="a"}'
    assert str(view.where((Matcher("route", "=", "/"),))) == 'lat{job="a", route="/"}'


def test_label_list() -> None:
    by = LabelList(["job"])
    assert by.plus("le") == "job, le"
    assert by.plus("job") == "job"
    assert LabelList([]).plus("le") == "le"
    assert by.describe() == "job={{ $labels.job }}"
    with pytest.raises(ValueError, match="not a label name"):
        LabelList(["a-b"])
