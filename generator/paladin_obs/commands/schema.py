"""``paladin-obs schema``: print the spec's JSON Schema for editors and CI."""

from __future__ import annotations

from paladin_obs.report import Report
from paladin_obs.spec_schema import schema_text


def run() -> Report:
    return Report(lines=(schema_text().rstrip("\n"),))
