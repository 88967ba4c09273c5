"""A service's SLOs in one environment: objective, period, windows, SLI, alerts.

Each SLO is resolved completely here (overlay, period and its window catalog,
the indicator's queries, the alert tiers) so the SLO target only prints; the
burn-rate factors, which must be Sloth's floats, are computed once, in the
model, with Sloth's operation order.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Path
from paladin_obs.durations import Duration
from paladin_obs.model import SLO, Signals, SLOMode
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.slo_alerts import build_alerts, facts_of
from paladin_obs.resolve.slo_sli import SignalSource, build_sli
from paladin_obs.resolve.slo_windows import alert_windows
from paladin_obs.suggest import did_you_mean

#: sloth_slo_info labels the user may set (provenance of an imported SLO).
_INFO_SETTABLE = (sconv.MODE_LABEL, sconv.SPEC_LABEL)


def check_overrides(res: Resolution, env_path: Path, overrides: dict[str, Any]) -> None:
    """An override of no SLO is a typo that would silently change nothing."""
    services = res.spec["services"]
    for sname, slos in overrides.items():
        if sname not in services:
            res.err(
                (*env_path, "slos", sname),
                f"SLO override for unknown service {sname!r}" + did_you_mean(sname, services),
                key=True,
            )
            continue
        known = services[sname].get("slos", {})
        for name, override in slos.items():
            opath = (*env_path, "slos", sname, name)
            if name not in known:
                res.err(
                    opath,
                    f"override for unknown SLO {name!r} of service {sname}"
                    + did_you_mean(name, known),
                    key=True,
                )
            elif "threshold" in override and "latency" not in known[name]["sli"]:
                res.err((*opath, "threshold"), "threshold applies to latency SLIs only", key=True)


def build_slos(
    res: Resolution,
    scope: ServiceScope,
    raw: dict[str, Any],
    path: Path,
    signals: dict[str, Signals],
    overrides: dict[str, Any],
    env_path: Path,
) -> tuple[SLO, ...]:
    source = SignalSource(scope, signals)
    out = []
    for name, slo in raw.get("slos", {}).items():
        override = overrides.get(scope.service, {}).get(name, {})
        opath = (*env_path, "slos", scope.service, name)
        built = _slo(res, scope, source, name, slo, (*path, "slos", name), override, opath)
        if built is not None:
            out.append(built)
    return tuple(out)


def _slo(
    res: Resolution,
    scope: ServiceScope,
    source: SignalSource,
    name: str,
    raw: dict[str, Any],
    path: Path,
    override: dict[str, Any],
    opath: Path,
) -> SLO | None:
    defaults = res.defaults.get("slos", {})
    ok = True
    objective = override.get("objective", raw["objective"])
    period_text, period_path = sconv.DEFAULT_PERIOD, path
    if "period" in raw:
        period_text, period_path = raw["period"], (*path, "period")
    elif "period" in defaults:
        period_text, period_path = defaults["period"], ("defaults", "slos", "period")
    period = res.duration(period_text, period_path)
    windows = None
    if period is not None and period.millis == 0:
        res.err(period_path, "an SLO period must be at least one day")
        ok = False
    elif period is not None:
        windows = alert_windows(res, period, period_path, period_text)
    mode: SLOMode = raw.get("mode", defaults.get("mode", "guarded"))
    threshold = raw["sli"].get("latency", {}).get("threshold")
    threshold_path: Path = (*path, "sli", "latency", "threshold")
    if "threshold" in override:
        threshold, threshold_path = override["threshold"], (*opath, "threshold")
    sli = build_sli(res, source, raw["sli"], (*path, "sli"), threshold, threshold_path)
    labels = {**scope.env.labels, **raw.get("labels", {})}
    for key in raw.get("labels", {}):
        if key in sconv.RESERVED_LABELS:
            res.err(
                (*path, "labels", key),
                f"label {key!r} is set by the SLO rules; remove it",
                key=True,
            )
            ok = False
    for key in raw.get("info_labels", {}):
        if key in sconv.RESERVED_LABELS and key not in _INFO_SETTABLE:
            res.err(
                (*path, "info_labels", key),
                f"label {key!r} is set by the SLO rules; remove it",
                key=True,
            )
            ok = False
    interval = _interval(res, raw, path)
    if not ok or sli is None or windows is None or period is None:
        return None
    facts = facts_of(scope.service, name, objective, str(period), str(windows.page_quick.short))
    alerts = build_alerts(res, scope, raw, name, path, override, opath, mode, facts)
    return SLO(
        service=scope.service,
        name=name,
        id=sconv.slo_id(scope.service, name),
        description=raw.get("description", ""),
        objective=float(objective),
        period=period,
        mode=mode,
        sli=sli,
        windows=windows,
        labels=dict(sorted(labels.items())),
        info_labels=dict(sorted(raw.get("info_labels", {}).items())),
        interval=interval,
        recordings=defaults.get("recordings", True),
        alerts=alerts,
        location=res.doc.where(path, key=True),
    )


def _interval(res: Resolution, raw: dict[str, Any], path: Path) -> Duration | None:
    if "interval" in raw:
        return res.duration(raw["interval"], (*path, "interval"))
    default = res.defaults.get("slos", {}).get("interval")
    if default is not None:
        return res.duration(default, ("defaults", "slos", "interval"))
    return res.interval
