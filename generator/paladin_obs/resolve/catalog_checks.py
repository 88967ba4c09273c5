"""Checks that make the metrics catalog count: labels, matcher values, buckets, units.

A spec states each metric's labels, buckets and unit, so mistakes that would make
a rule select nothing or never fire can be caught offline, at the spec line that
made them: a ``by`` or ``match`` label the metric does not have, a regex written
without ``=~`` (``code: "5.."`` matches only the literal text ``5..``), a latency
threshold outside the histogram's buckets (``histogram_quantile`` never returns
more than the largest finite bucket) or in another unit than the histogram's.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from paladin_obs.diagnostics import Path
from paladin_obs.model import Matcher, Metric
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean

#: Labels Prometheus attaches to every scraped series (its target labels), so
#: every metric has them whatever its declared labels say.
TARGET_LABELS = ("instance", "job")

#: Regex syntax that never occurs in an ordinary label value. Each alternative is
#: narrower than the syntax it stands for, because a false alarm blocks
#: ``generate``: a lone ``.`` is ordinary (``1.2.3``, ``api.example.com``) and so
#: is ``...`` (``/blog/[...slug]``), so dots count only as ``..`` or before a
#: quantifier; brackets are ordinary (``[::1]:9100``, ``/users/[id]``), so a
#: class counts only with a range, a negation or a quantifier after it; a
#: backslash is ordinary (``C:\\Windows``), so it counts only before a
#: metacharacter or as ``\\d``/``\\w``/``\\s`` with a quantifier; a trailing ``$``
#: is ordinary (``ADMIN$``), a leading ``^`` is not.
_REGEX_SYNTAX = re.compile(
    r"""
      (?<!\.)\.\.(?!\.)             # exactly two dots: 5..
    | \.[*+?]                       # .* .+ .?
    | \|                            # alternation: 5xx|4xx
    | \[\^                          # negated class: [^/]
    | \[[^\]]*\w-\w[^\]]*\]         # class with a range: [0-9]
    | \[:\w+:\]                     # POSIX class: [[:alpha:]]
    | \][*+?{]                      # class with a quantifier: [45]+
    | \\[.\\\[\]()|*+?{}^$]         # escaped metacharacter: \. \(
    | \\[dDwWsS][*+?{]              # \d+ \w*
    | ^\^                           # leading anchor: ^api
    | \(\?                          # group flags: (?i) (?:
    | [\w\].)]\{\d+(,\d*)?\}        # repetition: 5{2} [0-9]{3}
    """,
    re.VERBOSE,
)

_REGEX_OPS = {"=": "=~", "!=": "!~"}


def looks_like_regex(value: str) -> bool:
    """Whether an exact-match value is written in regex syntax (and so was meant as one)."""
    return bool(_REGEX_SYNTAX.search(value))


def split_op(text: str) -> tuple[str, str]:
    """A spec matcher text as (operator, value); no operator is ``=``, and
    ``==~x`` is ``=`` with the value ``=~x`` (see ``values.parse_matcher``)."""
    for op in ("=~", "!~", "!=", "="):
        if text.startswith(op):
            return op, text[len(op) :]
    return "=", text


def check_matcher_values(res: Resolution, raw: Any, path: Path) -> bool:
    """Report each exact matcher of a ``{label: matcher}`` mapping whose value is
    a regex, at the value, with the matcher that was meant."""
    ok = True
    if not isinstance(raw, Mapping):
        return ok
    for label, text in raw.items():
        if not isinstance(text, str):
            continue
        op, value = split_op(text)
        if op in _REGEX_OPS and looks_like_regex(value):
            fix = json.dumps(_REGEX_OPS[op] + value, ensure_ascii=False)
            res.err(
                (*path, label),
                f"{label}: {json.dumps(text, ensure_ascii=False)} is an exact match ({op}) but its "
                f"value is written as a regex, so it matches only that literal text; "
                f"write {fix} for a regex match",
            )
            ok = False
    return ok


def check_selectors(res: Resolution) -> None:
    """Every selector of the spec, once: the services', their metrics', the
    environments' and the dashboards' saturation panels'; no regex without ``=~``.
    (Signals' and templates' ``match`` are checked where they are resolved.)"""
    services = res.spec.get("services")
    if isinstance(services, Mapping):
        for sname, service in services.items():
            if not isinstance(service, Mapping):
                continue
            spath: Path = ("services", sname)
            check_matcher_values(res, service.get("selector"), (*spath, "selector"))
            metrics = service.get("metrics")
            if isinstance(metrics, Mapping):
                for name, metric in metrics.items():
                    if isinstance(metric, Mapping):
                        check_matcher_values(
                            res, metric.get("selector"), (*spath, "metrics", name, "selector")
                        )
            dashboards = service.get("dashboards")
            panels = dashboards.get("saturation") if isinstance(dashboards, Mapping) else None
            if isinstance(panels, list):
                for i, panel in enumerate(panels):
                    if isinstance(panel, Mapping):
                        check_matcher_values(
                            res,
                            panel.get("match"),
                            (*spath, "dashboards", "saturation", i, "match"),
                        )
    envs = res.spec.get("environments")
    if isinstance(envs, Mapping):
        for name, env in envs.items():
            if isinstance(env, Mapping):
                check_matcher_values(res, env.get("selector"), ("environments", name, "selector"))


def series_labels(metric: Metric, selector: Iterable[Matcher]) -> frozenset[str] | None:
    """The labels ``metric``'s series have where ``selector`` selects them: its
    declared labels, the target labels, the selector's labels and, for a
    histogram, ``le``; None when the metric declares no labels (nothing to check)."""
    if metric.labels is None:
        return None
    names = {*metric.labels, *TARGET_LABELS, *(m.name for m in selector)}
    if metric.type == "histogram":
        names.add("le")
    return frozenset(names)


def check_labels(
    res: Resolution,
    labels: Iterable[tuple[str, Path]],
    series: Iterable[tuple[Metric, Iterable[Matcher]]],
    *,
    key: bool,
) -> bool:
    """Report each label that one of the ``series`` (a metric and its selector)
    does not have: an aggregation ``by`` it keeps the series apart by nothing
    (or, joined with another metric that has it, matches nothing), a matcher on
    it selects nothing. Metrics that declare no labels are not checked."""
    known = [(m, found) for m, sel in series if (found := series_labels(m, sel)) is not None]
    ok = True
    for label, path in labels:
        for metric, names in known:
            if label in names:
                continue
            declared = ", ".join(metric.labels or ()) or "none"
            res.err(
                path,
                f"{label!r} is not a label of {metric.name} (declared labels: {declared}; "
                f"besides {', '.join(TARGET_LABELS)} and its selectors' labels)"
                + did_you_mean(label, names),
                key=key,
            )
            ok = False
            break
    return ok


_UNIT_SUFFIXES = (
    ("_seconds", "seconds"),
    ("_milliseconds", "milliseconds"),
    ("_microseconds", "microseconds"),
    ("_nanoseconds", "nanoseconds"),
    ("_bytes", "bytes"),
)


def metric_unit(metric: Metric) -> str:
    """The metric's unit: declared, else from its name's suffix (``_seconds``,
    ``_bytes``; histograms' ``_bucket`` series carry the base name), else ""."""
    if metric.unit:
        return metric.unit
    base = metric.name.removesuffix("_total")
    for suffix, unit in _UNIT_SUFFIXES:
        if base.endswith(suffix):
            return unit
    return ""


def check_latency_threshold(res: Resolution, metric: Metric, threshold: float, path: Path) -> bool:
    """A quantile threshold, in seconds, over a histogram: in the histogram's unit
    and inside its declared buckets, else it never fires (or fires on a guess)."""
    unit = metric_unit(metric)
    if unit not in ("", "seconds"):
        res.err(
            path,
            f"the threshold is in seconds but {metric.name} is measured in {unit}, so the "
            f"quantile would be compared in the wrong unit; record the histogram in seconds "
            f"(Prometheus's base unit) or alert on it with a template that takes {unit}",
        )
        return False
    finite = sorted(b for b in metric.buckets if math.isfinite(b))
    if not finite or not math.isfinite(threshold):
        return True
    low, high = finite[0], finite[-1]
    span = f"{metric.name}'s buckets span {low:g} to {high:g} seconds"
    if threshold >= high:
        ms = threshold / 1000
        hint = (
            f"; was {threshold:g} meant as milliseconds ({ms:g}s, written {_ms_text(threshold)})?"
            if low <= ms < high
            else ""
        )
        res.err(
            path,
            f"latency threshold {threshold:g}s is at or above the largest bucket ({span}): "
            "histogram_quantile never returns more than the largest finite bucket, so this "
            f"alert can never fire; give the threshold in seconds or add larger buckets{hint}",
        )
        return False
    if threshold < low:
        res.err(
            path,
            f"latency threshold {threshold:g}s is below the smallest bucket ({span}): "
            "a quantile inside the first bucket is only a guess (interpolated from 0), "
            "so the alert would fire on it; check the threshold's unit or add smaller buckets",
        )
        return False
    return True


def _ms_text(value: float) -> str:
    return f"{int(value)}ms" if float(value).is_integer() else f"{value:g}ms"


def milliseconds_hint(metric: Metric, threshold: float) -> str:
    """For an SLI threshold that is not a bucket: the hint when it is one in milliseconds."""
    if metric_unit(metric) in ("", "seconds") and threshold / 1000 in metric.buckets:
        return (
            f"; was {threshold:g} meant as milliseconds? "
            f"{threshold / 1000:g} (or {_ms_text(threshold)}) is a bucket"
        )
    return ""
