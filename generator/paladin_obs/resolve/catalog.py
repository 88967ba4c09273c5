"""A service's metrics catalog and the signals that point into it.

Which series a metric means depends on where it is looked at: a metric's own
selector replaces the service's, and the environment's selector narrows either.
That rule is decided here once, so templates, parameters and signals all select
the same series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.model import Environment, Metric, Selector, Signal, Signals
from paladin_obs.resolve.catalog_checks import TARGET_LABELS, check_matcher_values
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean
from paladin_obs.values import merge_selectors, parse_matcher

# The metric types each signal's template queries need.
_SIGNAL_TYPES = {"requests": ("counter",), "errors": ("counter",), "latency": ("histogram",)}


def matchers(raw: dict[str, str]) -> Selector:
    """A spec's ``label: matcher`` mapping as one canonical selector."""
    return merge_selectors(tuple(parse_matcher(k, v) for k, v in raw.items()))


def metric_catalog(raw: dict[str, Any]) -> dict[str, Metric]:
    """A service's metrics catalog, by name."""
    return {name: _metric(name, m) for name, m in sorted(raw.get("metrics", {}).items())}


def _metric(name: str, raw: dict[str, Any]) -> Metric:
    sel = raw.get("selector")
    return Metric(
        name=name,
        type=raw["type"],
        help=raw.get("help", ""),
        unit=raw.get("unit", ""),
        labels=tuple(raw["labels"]) if "labels" in raw else None,
        buckets=tuple(float(b) for b in raw.get("buckets", ())),
        selector=matchers(sel) if sel is not None else None,
    )


@dataclass
class ServiceScope:
    """One service's catalog as seen from one environment."""

    service: str
    env: Environment
    metrics: dict[str, Metric]
    selector: Selector
    group_labels: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        # Labels the selectors pin to one value cost nothing to aggregate by, and
        # keeping them tells the page which job (or cluster) fired.
        group = merge_selectors(self.selector, self.env.selector)
        self.group_labels = tuple(sorted({m.name for m in group if m.op == "="}))

    def selector_for(self, metric: Metric) -> Selector:
        """The matchers that select ``metric``'s series in this environment."""
        base = metric.selector if metric.selector is not None else self.selector
        return merge_selectors(base, self.env.selector)


def declared_signals(
    res: Resolution, raw: dict[str, Any], path: Path, catalog: dict[str, Metric]
) -> Signals:
    """The requests/errors/latency signals a scope declares, checked against the
    catalog so a template can rely on each signal's metric type and labels."""
    found: dict[str, Signal] = {}
    # A service declares its signals under ``signals``, a dependency inline.
    scope_path = path[:-1] if path and path[-1] == "signals" else path
    for sname, types in _SIGNAL_TYPES.items():
        if sname not in raw:
            continue
        spath = (*path, sname)
        value = raw[sname]
        mname, match = (
            (value, {}) if isinstance(value, str) else (value["metric"], value.get("match", {}))
        )
        mpath = spath if isinstance(value, str) else (*spath, "metric")
        metric = catalog.get(mname)
        if metric is None:
            res.err(
                mpath,
                f"metric {mname!r} is not in the service's metrics catalog; add it under metrics"
                + did_you_mean(mname, catalog),
            )
            res.failed_signals.add((scope_path, sname))
            continue
        if metric.type not in types:
            res.err(
                mpath,
                f"the {sname} signal needs a {' or '.join(types)}, but {mname} is a {metric.type}",
            )
            res.failed_signals.add((scope_path, sname))
            continue
        check_match_labels(res, metric, match, (*spath, "match"))
        found[sname] = Signal(metric, matchers(match))
    return Signals(**found)


def check_match_labels(res: Resolution, metric: Metric, match: dict[str, str], path: Path) -> bool:
    """Matchers on a label the metric does not have select nothing, and an exact
    value written as a regex matches only its literal text: report each."""
    ok = check_matcher_values(res, match, path)
    if metric.labels is None:
        return ok
    # Besides the declared labels: the target labels every scraped series has,
    # and the labels the metric's own selector sets.
    own = {m.name for m in metric.selector or ()}
    for label in match:
        if label not in metric.labels and label not in TARGET_LABELS and label not in own:
            known = ", ".join(metric.labels) or "none"
            res.err(
                (*path, label),
                f"{label!r} is not a label of {metric.name} (declared labels: {known})"
                + did_you_mean(label, metric.labels),
                key=True,
            )
            ok = False
    return ok
