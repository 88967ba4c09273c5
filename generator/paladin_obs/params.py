"""Template parameter types: how a spec value is checked and what a template receives.

Each type is one small coercion so a wrong value gets a message naming what
was expected, and a template only ever sees already-validated values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from paladin_obs.durations import parse_duration
from paladin_obs.escape import LABEL_NAME
from paladin_obs.model import Metric
from paladin_obs.suggest import did_you_mean
from paladin_obs.values import PromQL, SeriesView, merge_selectors, parse_matcher

_BYTES = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?B?$")
_BYTE_UNITS = {
    None: 1,
    "K": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
}
_COMPARISONS = (">", ">=", "<", "<=", "==", "!=")
_AGGREGATIONS = ("sum", "min", "max", "avg", "count")


class ParamError(ValueError):
    """A value does not fit its parameter type; the text says what would."""


@dataclass(frozen=True)
class Context:
    """What a coercion may look up: the metrics catalog and the scope's selector."""

    metrics: Mapping[str, Metric]
    selector_for: Callable[[Metric], tuple[Any, ...]]
    #: Log templates: the service's declared log fields, by path and by name.
    log_fields: Mapping[str, Any] = field(default_factory=dict)


def _number(value: Any, _: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ParamError(
            f"expected a finite number, got {value!r}: a NaN or infinite threshold never fires"
        )
    return float(value)


def _integer(value: Any, _: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"expected a whole number, got {value!r}")
    return value


def _ratio(value: Any, ctx: Context) -> float:
    number = _number(value, ctx)
    if not 0 <= number <= 1:
        raise ParamError(f"expected a ratio between 0 and 1 (0.05 is 5%), got {value!r}")
    return number


def _quantile(value: Any, ctx: Context) -> float:
    number = _number(value, ctx)
    if not 0 < number < 1:
        raise ParamError(f"expected a quantile between 0 and 1 exclusive (0.95), got {value!r}")
    return number


def _duration(value: Any, _: Context) -> Any:
    if not isinstance(value, str):
        raise ParamError(f"expected a duration such as 5m, got {value!r}")
    try:
        parsed = parse_duration(value)
    except ValueError as exc:
        raise ParamError(str(exc)) from None
    if parsed.millis == 0:
        raise ParamError("expected a duration greater than zero")
    return parsed


def _seconds(value: Any, ctx: Context) -> float:
    if isinstance(value, str):
        return float(_duration(value, ctx).seconds)
    number = _number(value, ctx)
    if number < 0:
        raise ParamError(f"expected a non-negative number of seconds, got {value!r}")
    return number


def _bytes(value: Any, ctx: Context) -> float:
    if isinstance(value, str):
        match = _BYTES.match(value.strip())
        if match is None:
            raise ParamError(f"expected a size such as 8Gi, 512Mi or 1G, got {value!r}")
        size = float(match.group(1)) * _BYTE_UNITS[match.group(2)]
    else:
        size = _number(value, ctx)
    if size <= 0:
        raise ParamError(f"expected a size greater than zero, got {value!r}")
    return size


def _capacity(value: Any, ctx: Context) -> float | SeriesView:
    """A constant size or number (``8Gi``, ``100``), or a gauge of the catalog
    that reports the capacity (``pg_settings_max_connections``).

    The two cannot be confused: a size starts with a digit, a metric name never does.
    """
    if isinstance(value, str) and not _BYTES.match(value.strip()):
        if value in ctx.metrics:
            return metric_param(value, ctx, ("gauge",))
        raise ParamError(
            f"expected a size such as 8Gi, a number, or a gauge from the metrics catalog that "
            f"reports the capacity, got {value!r}" + did_you_mean(value, ctx.metrics)
        )
    return _bytes(value, ctx)


def _string(value: Any, _: Context) -> str:
    if not isinstance(value, str):
        raise ParamError(f"expected a string, got {value!r}")
    return value


#: Label names PromQL cannot group by: it reads them as numbers or a keyword.
_UNGROUPABLE = frozenset({"inf", "nan", "without"})


def _label_name(value: Any, _: Context) -> PromQL:
    if not isinstance(value, str) or not LABEL_NAME.match(value):
        raise ParamError(f"expected a label name, got {value!r}")
    if value.lower() in _UNGROUPABLE:
        raise ParamError(
            f"{value!r} cannot be a label name in PromQL's by (...): it reads as a number or keyword"
        )
    return PromQL(value)


def _label_names(value: Any, ctx: Context) -> list[str]:
    if not isinstance(value, list):
        raise ParamError(f"expected a list of label names, got {value!r}")
    return [str(_label_name(v, ctx)) for v in value]


def _matchers(value: Any, _: Context) -> tuple[Any, ...]:
    if not isinstance(value, dict):
        raise ParamError(f"expected a mapping of label to value, got {value!r}")
    out = []
    for name, text in value.items():
        if not LABEL_NAME.match(name):
            raise ParamError(f"{name!r} is not a label name")
        if not isinstance(text, str):
            raise ParamError(f"value of {name!r} must be a string, got {text!r}")
        out.append(parse_matcher(name, text))
    return merge_selectors(tuple(out))


def _choice(options: tuple[str, ...]) -> Callable[[Any, Context], PromQL]:
    def coerce(value: Any, _: Context) -> PromQL:
        if value not in options:
            raise ParamError(f"expected one of {', '.join(options)}, got {value!r}")
        return PromQL(value)

    return coerce


def _boolean(value: Any, _: Context) -> bool:
    if not isinstance(value, bool):
        raise ParamError(f"expected true or false, got {value!r}")
    return value


def metric_param(value: Any, ctx: Context, allowed_types: tuple[str, ...]) -> SeriesView:
    if not isinstance(value, str):
        raise ParamError(f"expected a metric name from the catalog, got {value!r}")
    metric = ctx.metrics.get(value)
    if metric is None:
        known = ", ".join(sorted(ctx.metrics)) or "none"
        raise ParamError(
            f"metric {value!r} is not in the service's metrics catalog (known: {known})"
        )
    if allowed_types and metric.type not in allowed_types:
        raise ParamError(
            f"metric {value!r} is a {metric.type}; this parameter needs a {' or '.join(allowed_types)}"
        )
    return SeriesView(metric, ctx.selector_for(metric))


def _log_levels(value: Any, _: Context) -> tuple[str, ...]:
    from paladin_obs.conventions.loki import LEVELS, level_name

    if not isinstance(value, list) or not value:
        raise ParamError(f"expected a list of log levels such as [error, fatal], got {value!r}")
    out = []
    for item in value:
        level = level_name(item) if isinstance(item, str) else None
        if level is None:
            raise ParamError(f"{item!r} is not a log level; use {', '.join(LEVELS)}")
        out.append(level)
    return tuple(dict.fromkeys(out))


def _log_matchers(value: Any, ctx: Context) -> tuple[Any, ...]:
    """``{field: value}`` on declared log fields: (field, matcher) pairs."""
    if not isinstance(value, dict):
        raise ParamError(f"expected a mapping of log field to value, got {value!r}")
    out = []
    for name, text in value.items():
        found = ctx.log_fields.get(name)
        if found is None:
            known = ", ".join(sorted({f.path for f in ctx.log_fields.values()})) or "none"
            raise ParamError(
                f"{name!r} is not a declared log field (declared: {known}); add it under logs.fields"
            )
        if found.role in ("timestamp", "drop"):
            raise ParamError(
                f"field {name!r} has role {found.role}: it cannot be matched in a query"
            )
        if not isinstance(text, str):
            raise ParamError(f"value of {name!r} must be a string, got {text!r}; quote it")
        matcher = parse_matcher(found.name, text)
        if found.role == "level" and matcher.op in ("=", "!="):
            from paladin_obs.conventions.loki import LEVELS, level_name

            # The pipeline stores levels lower-cased under canonical names.
            level = level_name(matcher.value)
            if level is None:
                raise ParamError(f"{matcher.value!r} is not a log level; use {', '.join(LEVELS)}")
            matcher = type(matcher)(matcher.name, matcher.op, level)
        out.append((found, matcher))
    return tuple(out)


COERCIONS: dict[str, Callable[[Any, Context], Any]] = {
    "number": _number,
    "integer": _integer,
    "ratio": _ratio,
    "quantile": _quantile,
    "duration": _duration,
    "seconds": _seconds,
    "bytes": _bytes,
    "capacity": _capacity,
    "string": _string,
    "boolean": _boolean,
    "label_name": _label_name,
    "label_names": _label_names,
    "matchers": _matchers,
    "comparison": _choice(_COMPARISONS),
    "aggregation": _choice(_AGGREGATIONS),
    "signal": _choice(("requests", "errors", "latency")),
    "log_levels": _log_levels,
    "log_matchers": _log_matchers,
}
PARAM_TYPES = (*COERCIONS, "metric")
