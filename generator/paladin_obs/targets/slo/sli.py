"""SLI recording rules: the error ratio over every alert window, then the period.

``sloth`` mode prints Sloth's expressions. ``guarded`` mode never records NaN
or Inf, so the period average, the burn rates and the remaining budget stay
numbers on quiet services:

- events: ``((errors) or (0 * (total))) / ((total) > 0)``. No traffic: the
  denominator filter drops the sample and nothing is recorded (a missing sample
  is skipped by the period's ``sum_over_time``/``count_over_time``, while a NaN
  would poison the whole period). Traffic but no error series yet: the ``or``
  stands in a 0 for each total series, so the SLI records 0.
- classic-histogram latency: ``(count - bucket) / (count > 0)``; both come
  from the same histogram, so there is no missing error series to replace,
  and a bucket that does not exist (a wrong ``le``) records nothing, which the
  no-data alert reports, instead of a reassuring 0.
  (An events SLI may ask for the same with ``missing_errors: none``.)
- ratios with known traffic (native histograms, raw SLIs with ``total_query``):
  ``(((ratio) >= 0) < +Inf) and on () ((total) > 0)``: recorded only while
  there is traffic, and never NaN even when the ratio's own denominator is 0.
- raw ratios: ``((ratio) >= 0) < +Inf`` drops NaN (every comparison with NaN
  is false) and Inf; the traffic is unknown, so a missing error series is the
  query's own business.

The period rule averages the first window's samples as Sloth does, so its
value is the same in both modes.
"""

from __future__ import annotations

from paladin_obs.conventions import slo as sconv
from paladin_obs.durations import Duration
from paladin_obs.model import SLI, SLO, render_query
from paladin_obs.targets.slo.common import Rule, id_labels, labels, record, slo_filter


def rules(slo: SLO) -> list[Rule]:
    out = [_window_rule(slo, w) for w in slo.windows.windows()]
    out.append(_period_rule(slo))
    return out


def expression(sli: SLI, window: Duration, guarded: bool) -> str:
    w = str(window)
    if sli.kind == "events":
        errors, total = render_query(sli.errors, w), render_query(sli.total, w)
        if not guarded:
            return f"({errors})\n/\n({total})\n"
        if not sli.zero_without_errors:
            # Latency: the slow requests come from the count itself, no series to stand in for.
            return f"({errors})\n/\n(({total}) > 0)\n"
        return f"(\n  ({errors})\n  or\n  (0 * ({total}))\n)\n/\n(({total}) > 0)\n"
    ratio = render_query(sli.ratio, w)
    if not guarded:
        return f"({ratio})"
    finite = f"(({ratio}) >= 0) < +Inf"
    if sli.total:
        # The ratio's own denominator may be 0 while the traffic is not: keep the
        # finite filter as well as the traffic guard.
        return f"({finite})\nand on ()\n(({render_query(sli.total, w)}) > 0)\n"
    return f"{finite}\n"


def _window_rule(slo: SLO, window: Duration) -> Rule:
    expr = expression(slo.sli, window, slo.mode == "guarded")
    rule_labels = labels(id_labels(slo), {sconv.WINDOW_LABEL: str(window)}, slo.labels)
    return record(sconv.sli_record(str(window)), expr, rule_labels, slo.location, slo.sli.location)


def _period_rule(slo: SLO) -> Rule:
    base = sconv.sli_record(str(slo.windows.page_quick.short)) + slo_filter(slo)
    p = str(slo.period)
    expr = (
        f"sum_over_time({base}[{p}])\n"
        f"/ ignoring ({sconv.WINDOW_LABEL})\n"
        f"count_over_time({base}[{p}])\n"
    )
    rule_labels = labels(id_labels(slo), {sconv.WINDOW_LABEL: p}, slo.labels)
    return record(sconv.sli_record(p), expr, rule_labels, slo.location)
