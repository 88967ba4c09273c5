"""Meta recording rules: objective, budget, period, burn rates, remaining budget, info.

Dashboards built for Sloth read these series by name; the numbers are printed
as Go prints them so the text matches Sloth's byte for byte.
"""

from __future__ import annotations

from paladin_obs import __version__
from paladin_obs.conventions import slo as sconv
from paladin_obs.gofloat import go_f, go_g
from paladin_obs.model import SLO
from paladin_obs.targets.slo.common import Rule, id_labels, labels, record, slo_filter


def _burn(sli_record: str, flt: str) -> str:
    on = f"on({sconv.ID_LABEL}, {sconv.SLO_LABEL}, {sconv.SERVICE_LABEL})"
    return f"{sli_record}{flt}\n/ {on} group_left\n{sconv.ERROR_BUDGET}{flt}\n"


def rules(slo: SLO) -> list[Rule]:
    flt = slo_filter(slo)
    base = labels(id_labels(slo), slo.labels)
    ratio = slo.objective / 100
    days = slo.period.millis / (3600 * 1000) / 24
    info = labels(
        base,
        {
            sconv.VERSION_LABEL: __version__,
            sconv.MODE_LABEL: sconv.DEFAULT_INFO_MODE,
            sconv.SPEC_LABEL: sconv.DEFAULT_INFO_SPEC,
            sconv.OBJECTIVE_LABEL: go_f(slo.objective),
        },
        slo.info_labels,
    )
    first = sconv.sli_record(str(slo.windows.page_quick.short))
    period = sconv.sli_record(str(slo.period))
    at = slo.location
    return [
        record(sconv.OBJECTIVE, f"vector({go_g(ratio)})", base, at),
        record(sconv.ERROR_BUDGET, f"vector(1-{go_g(ratio)})", base, at),
        record(sconv.PERIOD_DAYS, f"vector({go_g(days)})", base, at),
        record(sconv.CURRENT_BURN_RATE, _burn(first, flt), base, at),
        record(sconv.PERIOD_BURN_RATE, _burn(period, flt), base, at),
        record(sconv.BUDGET_REMAINING, f"1 - {sconv.PERIOD_BURN_RATE}{flt}", base, at),
        record(sconv.INFO, "vector(1)", info, at),
    ]
