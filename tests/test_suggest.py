"""The closest known name, or none when nothing is close."""

from __future__ import annotations

import pytest

from paladin_obs.suggest import closest, did_you_mean

KNOWN = ["paladin_requests_total", "paladin_errors_total", "error_ratio", "latency_quantile", "up"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("paladin_request_total", "paladin_requests_total"),
        ("paladin_errors_totl", "paladin_errors_total"),
        ("error_ration", "error_ratio"),
        ("Error_Ratio", "error_ratio"),
        ("latency_quantil", "latency_quantile"),
        ("upp", "up"),
        ("something_else", None),
        ("", None),
    ],
)
def test_closest(name: str, expected: str | None) -> None:
    assert closest(name, KNOWN) == expected


def test_did_you_mean_text() -> None:
    assert did_you_mean("upp", KNOWN) == "; did you mean 'up'?"
    assert did_you_mean("zzz", KNOWN) == ""
