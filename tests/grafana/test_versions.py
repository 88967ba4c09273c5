"""The Grafana version → schemaVersion table and its lookup."""

from __future__ import annotations

import pytest

from paladin_obs.grafana.versions import (
    DEFAULT_GRAFANA_VERSION,
    SCHEMA_VERSIONS,
    SUPPORTED,
    schema_version,
)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ((9, 0), 36),
        ((9, 1), 37),
        ((10, 4), 39),
        ((11, 5), 40),
        ((11, 6), 41),  # facts: Grafana 11.6 exports 41
        ((12, 2), 41),  # v42 merged weeks before 12.2: the lower number, see versions.py
        ((12, 3), 42),
        ((13, 0), 42),  # facts: 13.x uses 42
        ((13, 2), 42),
    ],
)
def test_known_versions(version: tuple[int, int], expected: int) -> None:
    assert schema_version(version) == expected


def test_default_is_11_6_at_41() -> None:
    assert DEFAULT_GRAFANA_VERSION == (11, 6)
    assert schema_version(DEFAULT_GRAFANA_VERSION) == 41


def test_table_covers_9_0_to_13_0_and_never_goes_down() -> None:
    assert tuple(SCHEMA_VERSIONS) == SUPPORTED, "the table is written in release order"
    majors = {major for major, _ in SUPPORTED}
    assert {9, 10, 11, 12, 13} <= majors
    numbers = [SCHEMA_VERSIONS[v] for v in SUPPORTED]
    assert numbers == sorted(numbers)
    assert set(numbers) <= set(range(36, 43))


@pytest.mark.parametrize("version", [(8, 5), (11, 7), (14, 0), (0, 0)])
def test_unknown_version_names_the_known_range(version: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match=r"unsupported Grafana version .*9\.0.*13\.2"):
        schema_version(version)
