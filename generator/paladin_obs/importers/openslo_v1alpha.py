"""OpenSLO v1alpha SLOs as Sloth maps them (internal/storage/io/openslo.go).

Each objective is an SLO named ``<name>-<index>``; the good/total queries
become Sloth's raw error-ratio text; the objective is ``target * 100`` as a
float (Sloth's arithmetic, so ``sloth_objective`` prints the same); the time
window is ``count`` days; alerts are off (Sloth's OpenSLO loader disables
both tiers). What Sloth ignores but would change the meaning (calendar
windows, time-slice budgets, threshold metrics) is refused here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.importers.openslo_common import V1ALPHA, Obj, sloth_error_ratio

_WINDOW = re.compile(sconv.WINDOW_PLACEHOLDER_RE)
_SPEC_KEYS = ("service", "description", "budgetingMethod", "objectives", "timeWindows", "indicator")
_OBJECTIVE_KEYS = ("displayName", "target", "ratioMetrics", "value")


def v1alpha_slos(
    slo: Obj, errors: list[Diagnostic]
) -> Iterator[tuple[str, float, tuple[str | int, ...], dict[str, Any]]]:
    """(name, objective, where the target is, the rest of the SLO entry) per objective."""
    spec = slo.sub("spec")
    before = len(errors)

    def err(rel: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        errors.append(spec.at(rel, message, key=key))

    for key in spec.data:
        if key not in _SPEC_KEYS:
            err((key,), f"{key!r} is not part of {V1ALPHA} SLOs as Sloth reads them", key=True)
    if not isinstance(spec.get("service"), str):
        err(("service",), "service is required: the name of the service")
    if spec.get("indicator") is not None:
        err(
            ("indicator",),
            "indicator is not used by Sloth's v1alpha mapping; put ratioMetrics in each objective",
        )
    method = spec.get("budgetingMethod")
    if method not in (None, "Occurrences"):
        err(("budgetingMethod",), f"budgetingMethod {method}: only Occurrences is supported")
    entry: dict[str, Any] = {}
    description = spec.get("description")
    if description is not None:
        if not isinstance(description, str):
            err(("description",), "description must be text")
        elif description:
            entry["description"] = description
    windows = spec.get("timeWindows")
    if windows is not None:
        period = _period(spec, windows, err)
        if period:
            entry["period"] = period
    entry["info_labels"] = {sconv.MODE_LABEL: "cli-gen-openslo", sconv.SPEC_LABEL: V1ALPHA}
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or not objectives:
        err(("objectives",), "at least one objective is required")
        return
    found = []
    for i, objective in enumerate(objectives):
        sli = _objective(spec.sub("objectives", i), err, i, sloth_error_ratio)
        target = objective.get("target") if isinstance(objective, dict) else None
        if not isinstance(target, (int, float)) or isinstance(target, bool) or not 0 < target < 1:
            err(
                ("objectives", i, "target"), "target must be a ratio between 0 and 1, such as 0.999"
            )
            continue
        found.append((i, float(target), sli))
    if len(errors) != before:
        return
    for i, target, sli in found:
        yield (
            f"{slo.name}-{i}",
            target * 100,  # Sloth's float arithmetic, on purpose
            ("spec", "objectives", i, "target"),
            {
                **entry,
                "sli": sli,
                "alerting": {"page": {"enabled": False}, "ticket": {"enabled": False}},
            },
        )


def _period(spec: Obj, windows: Any, err: Any) -> str | None:
    if not isinstance(windows, list) or len(windows) != 1:
        err(("timeWindows",), "exactly one time window is supported")
        return None
    window = spec.sub("timeWindows", 0)
    if "calendar" in window.data:
        err(
            ("timeWindows", 0, "calendar"),
            "calendar-aligned windows are not supported; use a rolling window",
        )
        return None
    if window.get("isRolling") is False:
        err(("timeWindows", 0, "isRolling"), "only rolling windows are supported")
        return None
    unit, count = window.get("unit"), window.get("count")
    if not isinstance(unit, str) or unit.lower() != "day":
        err(("timeWindows", 0, "unit"), "only day-based time windows are supported (unit: Day)")
        return None
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        err(("timeWindows", 0, "count"), "count must be a positive whole number of days")
        return None
    return f"{count}d"


def _objective(objective: Obj, err: Any, i: int, ratio_text: Any) -> dict[str, Any] | None:
    at: tuple[str | int, ...] = ("objectives", i)
    for key in objective.data:
        if key not in _OBJECTIVE_KEYS:
            what = "threshold metrics" if key == "thresholdMetric" else f"{key!r}"
            err(
                (*at, key),
                f"{what} cannot be expressed: Sloth's v1alpha mapping reads ratioMetrics and target",
                key=True,
            )
    ratio = objective.sub("ratioMetrics")
    if not ratio.data:
        err(at, "ratioMetrics (good and total) is required")
        return None
    queries = []
    for key in ratio.data:
        if key not in ("good", "total", "incremental"):
            err(
                (*at, "ratioMetrics", key),
                f"{key!r} is not supported; Sloth reads good and total",
                key=True,
            )
    for key in ("good", "total"):
        metric = ratio.sub(key)
        where = (*at, "ratioMetrics", key)
        if not metric.data:
            err(where, f"ratioMetrics.{key} is required")
            return None
        if metric.get("source") not in ("prometheus", "sloth"):
            err((*where, "source"), "source must be prometheus (or sloth)")
        if metric.get("queryType") != "promql":
            err((*where, "queryType"), "queryType must be promql")
        query = metric.get("query")
        if not isinstance(query, str) or not _WINDOW.search(query):
            err(
                (*where, "query"),
                "needs a PromQL query with Sloth's {{.window}} placeholder where the range goes",
            )
            return None
        queries.append(query)
    return {"raw": {"error_ratio_query": ratio_text(queries[0], queries[1])}}
