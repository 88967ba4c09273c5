"""dashboard/uid-unique: no two dashboards validated together share a uid.

Grafana keys dashboards by uid: provisioning two files with one uid keeps
only one of them (which one depends on load order), and links by uid open
whichever won.

Bad:  a.json and b.json both with "uid": "service-overview"
Good: "uid": "paladin-overview-prod" and "uid": "paladin-overview-staging"
"""

from __future__ import annotations

from collections.abc import Sequence

from paladin_obs.diagnostics import Diagnostic, Severity
from paladin_obs.lint.dashboards import DashboardFile

ID = "dashboard/uid-unique"
SEVERITY: Severity = "warning"
#: Compares dashboards: sees each one's top-level scalars (``lint.dashboards.slim``).
ACROSS_FILES = True


def check(files: Sequence[DashboardFile]) -> list[Diagnostic]:
    out = []
    seen: dict[str, DashboardFile] = {}
    for f in files:
        uid = f.dashboard.data.get("uid")
        if not isinstance(uid, str) or not uid:
            continue
        first = seen.setdefault(uid, f)
        if first is not f:
            out.append(
                f.at(
                    ("uid",),
                    f"dashboard uid {uid!r} is already used by {first.file}: Grafana keeps "
                    "only one dashboard per uid",
                )
            )
    return out
