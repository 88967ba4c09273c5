from __future__ import annotations

from typing import Any

import pytest

from paladin_obs.durations import Duration
from paladin_obs.model import Matcher, Metric
from paladin_obs.params import COERCIONS, Context, ParamError, metric_param

CTX = Context({"g": Metric("g", "gauge"), "c": Metric("c", "counter")}, lambda m: ())


@pytest.mark.parametrize(
    ("ptype", "value", "expected"),
    [
        ("number", 3, 3.0),
        ("integer", 3, 3),
        ("ratio", 0.05, 0.05),
        ("quantile", 0.99, 0.99),
        ("duration", "1h30m", Duration(5_400_000)),
        ("seconds", "500ms", 0.5),
        ("seconds", 2, 2.0),
        ("bytes", "8Gi", 8 * 2**30),
        ("bytes", "1G", 1e9),
        ("bytes", 1024, 1024.0),
        ("capacity", "8Gi", 8 * 2**30),
        ("capacity", 100, 100.0),
        ("string", "x", "x"),
        ("boolean", True, True),
        ("label_name", "route", "route"),
        ("label_names", ["a", "b"], ["a", "b"]),
        ("matchers", {"b": "=~x.*", "a": "y"}, (Matcher("a", "=", "y"), Matcher("b", "=~", "x.*"))),
        ("comparison", ">=", ">="),
        ("aggregation", "avg", "avg"),
        ("signal", "errors", "errors"),
    ],
)
def test_coercions(ptype: str, value: Any, expected: Any) -> None:
    assert COERCIONS[ptype](value, CTX) == expected


@pytest.mark.parametrize(
    ("ptype", "value", "message"),
    [
        ("number", True, "expected a number"),
        ("number", "5", "expected a number"),
        ("integer", 1.5, "expected a whole number"),
        ("ratio", 5, "expected a ratio between 0 and 1"),
        ("quantile", 1, "between 0 and 1 exclusive"),
        ("duration", "5 minutes", "invalid duration"),
        ("duration", "0s", "greater than zero"),
        ("seconds", -1, "non-negative"),
        ("bytes", "8 gigs", "expected a size"),
        ("capacity", "8 gigs", "expected a size such as 8Gi, a number, or a gauge"),
        ("capacity", 0, "greater than zero"),
        ("capacity", "G", "did you mean 'g'"),
        ("capacity", "c", "metric 'c' is a counter; this parameter needs a gauge"),
        ("label_name", "not-a-label", "expected a label name"),
        ("label_names", "route", "expected a list of label names"),
        ("matchers", {"a-b": "x"}, "not a label name"),
        ("matchers", {"a": 1}, "must be a string"),
        ("comparison", "=>", "expected one of >, >=, <, <=, ==, !="),
        ("aggregation", "median", "expected one of sum, min, max, avg, count"),
    ],
)
def test_coercion_errors(ptype: str, value: Any, message: str) -> None:
    with pytest.raises(ParamError, match=message):
        COERCIONS[ptype](value, CTX)


def test_metric_param_checks_catalog_and_type() -> None:
    assert str(metric_param("g", CTX, ("gauge",))) == "g"
    with pytest.raises(ParamError, match="metric 'c' is a counter; this parameter needs a gauge"):
        metric_param("c", CTX, ("gauge",))
    with pytest.raises(ParamError, match=r"not in the service's metrics catalog \(known: c, g\)"):
        metric_param("x", CTX, ())


def test_capacity_takes_a_gauge_of_the_catalog() -> None:
    """A capacity metric renders as its selector; a size never reads as a metric name."""
    ctx = Context(CTX.metrics, lambda m: (Matcher("job", "=", "postgres"),))
    value = COERCIONS["capacity"]("g", ctx)
    assert not isinstance(value, float)
    assert str(value) == 'g{job="postgres"}'
