"""dashboard/migrated: a form Grafana converts when it loads the dashboard (string datasources, rows[], old thresholds).

Why: Grafana migrates these forms on load, so the dashboard works today, but
the file on disk is not what Grafana shows or saves back, diffs of exported
dashboards get noisy, and from schemaVersion 33 on a panel's or target's
string datasource is no longer migrated (then it is an error, not this
warning). Reported once per form and file, with a count.

Fix: re-save the dashboard from a current Grafana, or write the new form:
``{"type": "prometheus", "uid": "${datasource}"}`` datasources, ``panels[]``
with ``gridPos`` instead of ``rows[]``.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Severity
from paladin_obs.validate.dashboard_forms import MIGRATED

ID = MIGRATED
SEVERITY: Severity = "warning"
