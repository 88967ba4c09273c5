"""Sloth's generate flags for every SLO (period, recordings, AlertWindows) as ``defaults.slos``.

Sloth reads every ``*.yaml``/``*.yml`` under the directory as one
``AlertWindows`` object per SLO period. We read them the same way, but keep
each value's location so a bad window is reported at its line, and print
durations the way our spec writes them (Sloth's ``24h`` is our ``1d``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Diagnostic, InputError, Location, Path
from paladin_obs.durations import parse_duration
from paladin_obs.importers.spec_text import Imported, Source
from paladin_obs.loader import load_file

API_VERSION = "sloth.slok.dev/v1"
KIND = "AlertWindows"
_DAY = parse_duration("1d").millis
#: Sloth's --default-slo-period when not given.
DEFAULT_PERIOD = "30d"
_WINDOW_KEYS = {
    "error_budget_percent": "errorBudgetPercent",
    "short_window": "shortWindow",
    "long_window": "longWindow",
}


@dataclass
class Catalog:
    """One period's windows in our spec's shape, with where each value was read."""

    period: str
    where: Location
    data: dict[str, Any] = field(default_factory=dict)
    #: Path inside ``data`` -> source location.
    positions: dict[Path, Location] = field(default_factory=dict)


def whole_days(text: str) -> str | None:
    """``28d``/``4w``/``672h`` as ``28d``; None when not a positive whole number of days.

    Our schema writes SLO periods in days only, whatever unit Sloth was given.
    """
    try:
        millis = parse_duration(text).millis
    except ValueError:
        return None
    if millis <= 0 or millis % _DAY:
        return None
    return f"{millis // _DAY}d"


def add_defaults(
    out: Imported,
    file: str,
    *,
    period: str | None = None,
    windows_path: str | None = None,
    recordings: bool = True,
) -> None:
    """``defaults.slos`` from Sloth's flags; a bad flag is an InputError naming it."""
    here = Location(file, 1, 1)
    out.put(("defaults", "slos", "mode"), "sloth", here)
    out.locate(("defaults",), here)
    out.locate(("defaults", "slos"), here)
    days = DEFAULT_PERIOD
    if period is not None:
        flag = Location("--default-slo-period")
        given = whole_days(period)
        if given is None:
            why = "an SLO period must be a positive whole number of days (such as 30d or 28d)"
            raise InputError([Diagnostic(flag, f"{period!r}: {why}")])
        days = given
        out.put(("defaults", "slos", "period"), days, flag)
    if not recordings:
        out.put(("defaults", "slos", "recordings"), False, Location("--disable-recordings"))
    if windows_path is not None:
        _add_windows(out, windows_path, days)


def _add_windows(out: Imported, directory: str, period: str) -> None:
    catalogs = load_windows(directory)
    if period not in catalogs:
        known = ", ".join(sorted(catalogs)) or "none"
        why = (
            f"--slo-period-windows-path has no alert windows for the SLO period {period} "
            f"(found: {known}); Sloth uses only this directory's catalogs, not its built-in ones"
        )
        raise InputError([Diagnostic(Location(directory), why)])
    base = ("defaults", "slos", "windows")
    out.locate(base, Location(directory))
    for name, catalog in catalogs.items():
        out.put((*base, name), catalog.data, catalog.where)
        for sub, where in catalog.positions.items():
            out.locate((*base, name, *sub), where)


def load_windows(directory: str) -> dict[str, Catalog]:
    """Every AlertWindows file under ``directory`` by period; InputError lists all problems."""
    if not os.path.isdir(directory):
        raise InputError(
            [Diagnostic(Location(directory), "--slo-period-windows-path: not a directory")]
        )
    errors: list[Diagnostic] = []
    catalogs: dict[str, Catalog] = {}
    for path in _yaml_files(directory):
        try:
            doc = load_file(path, first_document=True)
        except InputError as exc:
            errors.extend(exc.diagnostics)
            continue
        catalog = _catalog(Source(doc, errors))
        if catalog is None:
            continue
        first = catalogs.get(catalog.period)
        if first is None:
            catalogs[catalog.period] = catalog
        elif first.data != catalog.data:  # identical copies are harmless (Sloth warns)
            errors.append(
                Diagnostic(
                    catalog.where,
                    f"SLO period {catalog.period} already has different alert windows "
                    f"(at {first.where})",
                )
            )
    if errors:
        raise InputError(errors)
    return catalogs


def _yaml_files(directory: str) -> list[str]:
    """Files in lexical walk order, as Go's fs.WalkDir visits them."""
    found: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        found.extend(
            os.path.join(root, name)
            for name in sorted(files)
            if os.path.splitext(name)[1] in (".yaml", ".yml")
        )
    return sorted(found, key=lambda p: os.path.relpath(p, directory).split(os.sep))


def _catalog(src: Source) -> Catalog | None:
    before = len(src.errors)
    top = src.mapping((), ("apiVersion", "kind", "spec"), required=True)
    if top is None:
        return None
    for key, want in (("apiVersion", API_VERSION), ("kind", KIND)):
        got = src.text((key,), required=True)
        if got is not None and got != want:
            src.error(
                (key,), f"unsupported {key} {got!r} in an alert windows file; supported: {want}"
            )
    spec = src.mapping(("spec",), ("sloPeriod", "page", "ticket"), required=True)
    if spec is None:
        return None
    period_text = src.text(("spec", "sloPeriod"), required=True)
    period = whole_days(period_text) if period_text is not None else None
    if period_text is not None and period is None:
        src.error(
            ("spec", "sloPeriod"),
            f"spec.sloPeriod {period_text!r}: SLO periods must be a positive whole number of days (such as 7d)",
        )
    catalog = Catalog(period or "", src.loc(("spec", "sloPeriod")))
    for tier in ("page", "ticket"):
        src.mapping(("spec", tier), ("quick", "slow"), required=True)
        for speed in ("quick", "slow"):
            window = _window(src, ("spec", tier, speed), catalog, (tier, speed))
            if window is not None:
                catalog.data.setdefault(tier, {})[speed] = window
    return catalog if len(src.errors) == before else None


def _window(src: Source, path: Path, catalog: Catalog, out: Path) -> dict[str, Any] | None:
    if src.mapping(path, _WINDOW_KEYS.values(), required=True) is None:
        return None
    window: dict[str, Any] = {}
    budget = src.number((*path, "errorBudgetPercent"), required=True)
    if budget is not None and not 0 < budget <= 100:
        src.error(
            (*path, "errorBudgetPercent"), "errorBudgetPercent must be more than 0 and at most 100"
        )
    window["error_budget_percent"] = budget
    for ours in ("short_window", "long_window"):
        window[ours] = _duration(src, (*path, _WINDOW_KEYS[ours]))
    for ours, theirs in _WINDOW_KEYS.items():
        catalog.positions[(*out, ours)] = src.loc((*path, theirs))
    catalog.positions[out] = src.loc(path)
    return window


def _duration(src: Source, path: Path) -> str | None:
    text = src.text(path, required=True)
    if text is None:
        return None
    try:
        duration = parse_duration(text)
    except ValueError as exc:
        src.error(path, str(exc))
        return None
    if duration.millis == 0:
        src.error(path, f"{path[-1]} must be longer than 0")
        return None
    return str(duration)
