"""Which PromQL functions, aggregations and syntax each Prometheus version accepts.

promql-parser follows Prometheus 3.x and knows every function it ever had, so
whether a name is usable on the *target* server has to come from these tables.
"Experimental" means the server only accepts it with
``--enable-feature=promql-experimental-functions``; ``promtool check rules``
never enables that flag, so for validation an experimental name is rejected.

Sources (read through the project's search tool, not copied):
prometheus/prometheus ``promql/parser/functions.go`` (names, ``Experimental``
flags) and ``CHANGELOG.md`` (2.0 to 2.51: timestamp 2.0, subqueries 2.7,
absent_over_time 2.16, group 2.20, composite durations 2.21, @ modifier 2.25
behind a flag, negative offset 2.26 behind a flag, clamp/last_over_time/sgn
2.26, present_over_time 2.29, trigonometry and atan2 2.31, both modifiers stable
2.33, native-histogram functions 2.40, histogram_stddev/stdvar 2.47,
mad_over_time and sort_by_label 2.49 experimental, histogram_avg 2.51); PR
#10720 for day_of_year (merged 2022-05-20, first assumed in 2.37); the 3.0
release notes (holt_winters renamed double_exponential_smoothing and made
experimental, numbers and durations interchangeable both ways - PR #9138 and
#15111 - UTF-8 names) and the 3.0 migration
guide; the info() announcement (3.0, experimental); limitk/limit_ratio (2.54,
experimental); ts_of_* functions (3.5, ts_of_first_over_time 3.7, per vendor
docs). Versions after 3.7 are best estimates and only affect messages, since
those names are experimental anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGGREGATIONS",
    "FEATURES",
    "FUNCTIONS",
    "Availability",
    "aggregation_allowed",
    "feature_allowed",
    "function_allowed",
]

Version = tuple[int, int]

BASELINE: Version = (2, 0)


@dataclass(frozen=True)
class Availability:
    """When a name exists, and whether it needs the experimental-functions flag."""

    added: Version = BASELINE
    removed: Version | None = None
    experimental: bool = False
    replacement: str | None = None


_STABLE_SINCE_2_0 = [
    "abs",
    "absent",
    "avg_over_time",
    "ceil",
    "changes",
    "clamp_max",
    "clamp_min",
    "count_over_time",
    "day_of_month",
    "day_of_week",
    "days_in_month",
    "delta",
    "deriv",
    "exp",
    "floor",
    "histogram_quantile",
    "hour",
    "idelta",
    "increase",
    "irate",
    "label_join",
    "label_replace",
    "ln",
    "log10",
    "log2",
    "max_over_time",
    "min_over_time",
    "minute",
    "month",
    "predict_linear",
    "quantile_over_time",
    "rate",
    "resets",
    "round",
    "scalar",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev_over_time",
    "stdvar_over_time",
    "sum_over_time",
    "time",
    "timestamp",
    "vector",
    "year",
]
_TRIGONOMETRY = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cos",
    "cosh",
    "sin",
    "sinh",
    "tan",
    "tanh",
    "deg",
    "rad",
    "pi",
]

FUNCTIONS: dict[str, Availability] = {
    **{name: Availability() for name in _STABLE_SINCE_2_0},
    **{name: Availability((2, 31)) for name in _TRIGONOMETRY},
    "holt_winters": Availability(
        removed=(3, 0), replacement="double_exponential_smoothing (experimental in 3.x)"
    ),
    "absent_over_time": Availability((2, 16)),
    "clamp": Availability((2, 26)),
    "last_over_time": Availability((2, 26)),
    "sgn": Availability((2, 26)),
    "present_over_time": Availability((2, 29)),
    "day_of_year": Availability((2, 37)),
    "histogram_count": Availability((2, 40)),
    "histogram_sum": Availability((2, 40)),
    "histogram_fraction": Availability((2, 40)),
    "histogram_stddev": Availability((2, 47)),
    "histogram_stdvar": Availability((2, 47)),
    "histogram_avg": Availability((2, 51)),
    "mad_over_time": Availability((2, 49), experimental=True),
    "sort_by_label": Availability((2, 49), experimental=True),
    "sort_by_label_desc": Availability((2, 49), experimental=True),
    "double_exponential_smoothing": Availability((3, 0), experimental=True),
    "info": Availability((3, 0), experimental=True),
    "ts_of_last_over_time": Availability((3, 5), experimental=True),
    "ts_of_max_over_time": Availability((3, 5), experimental=True),
    "ts_of_min_over_time": Availability((3, 5), experimental=True),
    "first_over_time": Availability((3, 7), experimental=True),
    "ts_of_first_over_time": Availability((3, 7), experimental=True),
    "start": Availability((3, 7), experimental=True),
    "end": Availability((3, 7), experimental=True),
    "range": Availability((3, 7), experimental=True),
    "step": Availability((3, 7), experimental=True),
    "histogram_quantiles": Availability((3, 10), experimental=True),
}

AGGREGATIONS: dict[str, Availability] = {
    **{
        name: Availability()
        for name in [
            "sum",
            "min",
            "max",
            "avg",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
        ]
    },
    "group": Availability((2, 20)),
    "limitk": Availability((2, 54), experimental=True),
    "limit_ratio": Availability((2, 54), experimental=True),
}

#: Syntax that is not a name: version it became usable without a feature flag.
FEATURES: dict[str, Availability] = {
    "subquery": Availability((2, 7)),
    "composite duration": Availability((2, 21)),
    "@ modifier": Availability((2, 33)),
    "negative offset": Availability((2, 33)),
    "atan2 operator": Availability((2, 31)),
    # Both directions of PR #9138 ("Making durations and number literals the
    # same", merged 2024-07 behind a feature flag; the 3.0.0 CHANGELOG: "Float
    # literals and time durations being the same is now a stable feature",
    # #15111): "[300]" and "time() - 1d" need the same release.
    "number as duration": Availability((3, 0)),
    "duration as number": Availability((3, 0)),
    # "offset +5m": the 3.0 grammar has only OFFSET [SUB] number_duration_literal;
    # PR #16713 (June 2025, duration-expression precedence fix) added
    # "unary_op number_duration_literal" to offset_duration_expr. 3.5 is the
    # first release after it; 3.1 to 3.4 are not verified and treated as 3.0.
    "plus sign in offset": Availability((3, 5)),
    "quoted label or metric name": Availability((3, 0)),
}


def function_allowed(name: str, version: Version) -> str | None:
    """None if ``name(...)`` is accepted by ``promtool check rules`` of ``version``."""
    return _allowed("function", name, FUNCTIONS.get(name), version)


def aggregation_allowed(name: str, version: Version) -> str | None:
    """None if the aggregation operator ``name`` is accepted by ``version``."""
    return _allowed("aggregation", name, AGGREGATIONS.get(name), version)


def feature_allowed(feature: str, version: Version) -> str | None:
    """None if the syntax ``feature`` (a FEATURES key) is usable on ``version``."""
    info = FEATURES[feature]
    if version < info.added:
        return f"{feature} needs Prometheus {_fmt(info.added)}, target is {_fmt(version)}"
    return None


def _allowed(kind: str, name: str, info: Availability | None, version: Version) -> str | None:
    target = _fmt(version)
    if info is None:
        return f'unknown {kind} "{name}" (not in Prometheus {target})'
    if version < info.added:
        return f'{kind} "{name}" was added in Prometheus {_fmt(info.added)}, target is {target}'
    if info.removed is not None and version >= info.removed:
        instead = f"; use {info.replacement}" if info.replacement else ""
        return f'{kind} "{name}" was removed in Prometheus {_fmt(info.removed)}{instead}'
    if info.experimental:
        return (
            f'{kind} "{name}" is experimental in Prometheus {target}: the server needs '
            "--enable-feature=promql-experimental-functions, which promtool check rules "
            "does not enable"
        )
    return None


def _fmt(version: Version) -> str:
    return f"{version[0]}.{version[1]}"
