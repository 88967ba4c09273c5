"""Every finding id the tool can report, with its severity and documentation.

``explain`` and the suppression checks need one list of ids across all the
kinds of checks (rule files, dashboards, the suppressions themselves), so a
suppression of a dashboard check or a typo in an id is judged against the
same list the README's table is made from. A check documents itself: its
module docstring's first line is ``ID: what it finds``, the rest says why it
matters and how to fix or suppress it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from paladin_obs.diagnostics import Severity

#: Findings that are not lint checks but have ids (and so docs): the
#: suppressions' own problems and the migrated-form warnings of dashboards.
_OTHER_MODULES = (
    "paladin_obs.lint.suppress_bad",
    "paladin_obs.lint.suppress_unused",
    "paladin_obs.lint.dashboard_migrated",
)


@dataclass(frozen=True)
class CheckInfo:
    id: str
    severity: Severity
    summary: str
    doc: str
    #: What it applies to: rules (Prometheus and Loki rule files, a spec's
    #: output), dashboards, or suppressions.
    applies_to: str
    needs_catalog: bool = False


@cache
def checks() -> dict[str, CheckInfo]:
    from paladin_obs.lint import all_checks, dashboards

    out: dict[str, CheckInfo] = {}
    for applies, modules in (
        ("rule files", list(all_checks().values())),
        ("dashboards", list(dashboards.all_checks().values())),
        ("suppressions", [importlib.import_module(m) for m in _OTHER_MODULES]),
    ):
        for m in modules:
            doc = (m.__doc__ or "").strip()
            first, _, rest = doc.partition("\n")
            summary = first.split(":", 1)[1].strip() if ":" in first else first
            out[m.ID] = CheckInfo(
                m.ID,
                m.SEVERITY,
                summary,
                rest.strip(),
                "rule files and dashboards" if getattr(m, "QUERIES", False) else applies,
                bool(getattr(m, "NEEDS_CATALOG", False)),
            )
    return dict(sorted(out.items()))


def known_ids() -> set[str]:
    return set(checks())
