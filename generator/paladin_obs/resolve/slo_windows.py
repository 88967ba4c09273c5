"""Alert window catalogs: which windows and budget shares alert for a period.

Burn windows are data, as in Sloth: Google's SRE workbook catalog for 30 and 28
days is built in, any other period needs a catalog in the spec. The burn-rate
factor is derived, never written by hand, with Sloth's formula and operation
order so the printed factors are the same floats Sloth prints.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.model import AlertWindows, BurnWindow
from paladin_obs.resolve.context import Resolution

_HOUR_MS = 3600 * 1000
_DAY_MS = 24 * _HOUR_MS

#: Google's catalog (SRE workbook, "Alerting on SLOs", table 5-8): page on 2% of
#: the budget in 1h or 5% in 6h, ticket on 10% in 1d or 10% in 3d.
_GOOGLE = {
    "page": {
        "quick": {"error_budget_percent": 2, "short_window": "5m", "long_window": "1h"},
        "slow": {"error_budget_percent": 5, "short_window": "30m", "long_window": "6h"},
    },
    "ticket": {
        "quick": {"error_budget_percent": 10, "short_window": "2h", "long_window": "1d"},
        "slow": {"error_budget_percent": 10, "short_window": "6h", "long_window": "3d"},
    },
}
BUILT_IN: dict[Duration, dict[str, Any]] = {
    parse_duration("30d"): _GOOGLE,
    parse_duration("28d"): _GOOGLE,
}


def factor(period: Duration, budget_percent: float, long_window: Duration) -> float:
    """How many times faster than "exactly on budget" the SLI must burn.

    Sloth's formula, same operation order (hours as Go's Duration.Hours()).
    """
    return budget_percent * go_hours(period) / 100 / go_hours(long_window)


def go_hours(duration: Duration) -> float:
    """Go's Duration.Hours(): whole hours plus the rest in nanoseconds over 3.6e12,
    which differs from a plain division in the last bit for some windows (73m)."""
    hours, rest = divmod(duration.millis, _HOUR_MS)
    return float(hours) + float(rest * 1_000_000) / (60 * 60 * 1e9)


def check_catalogs(res: Resolution) -> None:
    """The spec's catalogs, once: a period key must be a usable period, and two
    keys for one period (7d and 1w) would leave one catalog silently unused."""
    seen: dict[Duration, str] = {}
    for text in res.defaults.get("slos", {}).get("windows", {}):
        path = ("defaults", "slos", "windows", text)
        try:
            period = parse_duration(text)
        except ValueError as exc:
            res.err(path, str(exc), key=True)
            continue
        if period.millis == 0:
            res.err(path, "an SLO period must be at least one day", key=True)
        elif period in seen:
            res.err(
                path, f"{text} is the same period as {seen[period]}: keep one catalog", key=True
            )
        else:
            seen[period] = text


def catalogs(res: Resolution) -> dict[Duration, tuple[dict[str, Any], Path | None]]:
    """Every catalog by period: the built-in ones, then the spec's (which win);
    keys check_catalogs refused are left out."""
    found: dict[Duration, tuple[dict[str, Any], Path | None]] = {
        period: (data, None) for period, data in BUILT_IN.items()
    }
    custom = res.defaults.get("slos", {}).get("windows", {})
    for text, data in custom.items():
        try:
            period = parse_duration(text)
        except ValueError:
            continue
        if period.millis:
            found[period] = (data, ("defaults", "slos", "windows", text))
    return found


def alert_windows(
    res: Resolution, period: Duration, period_path: Path, period_text: str
) -> AlertWindows | None:
    """The period's catalog expanded into burn windows; None (reported) when the
    period has none or the catalog is inconsistent."""
    known = catalogs(res)
    entry = known.get(period)
    if entry is None:
        have = ", ".join(f"{p.millis // _DAY_MS}d" for p in sorted(known))
        res.err(
            period_path,
            f"no alert windows for an SLO period of {period_text}: built in are 30d and 28d "
            f"(known here: {have}); add a catalog under defaults.slos.windows.{period_text} "
            "(page and ticket, each quick and slow: error_budget_percent, short_window, long_window)",
        )
        return None
    data, path = entry
    clauses: dict[str, BurnWindow] = {}
    ok = True
    for tier in ("page", "ticket"):
        for speed in ("quick", "slow"):
            raw = data[tier][speed]
            where: Path = (*path, tier, speed) if path is not None else period_path
            short = res.duration(raw["short_window"], (*where, "short_window"))
            long = res.duration(raw["long_window"], (*where, "long_window"))
            percent = float(raw["error_budget_percent"])
            if short is None or long is None:
                ok = False
                continue
            if not Duration(0) < short < long:
                res.err(
                    where,
                    f"{tier} {speed}: short_window ({short}) must be shorter than long_window ({long}) and not 0",
                )
                ok = False
                continue
            if long >= period:
                res.err(
                    where,
                    f"{tier} {speed}: long_window {long} must be shorter than the period {period} "
                    "(the period has its own SLI rule)",
                )
                ok = False
                continue
            clauses[f"{tier}_{speed}"] = BurnWindow(
                short, long, percent, factor(period, percent, long)
            )
    if not ok:
        return None
    return AlertWindows(period=period, **clauses)
