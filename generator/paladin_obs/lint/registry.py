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
import pkgutil
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


@cache
def known_ids() -> frozenset[str]:
    """Every id, as ``checks()`` has them, without importing the dashboard checks:
    a rule file's suppressions are judged on every validate and lint run, and
    those checks bring in the dashboard model (~15 ms). A dashboard check's id
    is its module's name (``dashboard_panel_title``: ``dashboard/panel-title``;
    a test holds this to ``checks()``)."""
    from paladin_obs import lint
    from paladin_obs.lint.suppress import BAD_ID, UNUSED_ID

    dashboards = [m.name for m in pkgutil.iter_modules(lint.__path__)]
    return frozenset(
        {
            *lint.all_checks(),
            BAD_ID,
            UNUSED_ID,
            *(_id_of(name) for name in dashboards if name.startswith("dashboard_")),
        }
    )


def _id_of(module: str) -> str:
    area, _, rest = module.partition("_")
    return f"{area}/{rest.replace('_', '-')}"
