"""lint/suppression: a suppression that names no check, an unknown check, or gives no reason.

Why: a suppression is a decision someone must be able to revisit. Without a
reason nobody can tell later whether it still holds; with an unknown id (a
typo, a renamed check) it silences nothing while looking as if it did.

Fix: name the check by its id (``paladin-obs explain ID`` shows it) and say
why after a colon::

    # paladin-obs disable alerts/comparison: Watchdog fires always on purpose

In a spec the reason is the value: ``suppress: {alerts/comparison: "..."}``.
Such a suppression is not applied until it is fixed.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Severity
from paladin_obs.lint.suppress import BAD_ID, BAD_SEVERITY

ID = BAD_ID
SEVERITY: Severity = BAD_SEVERITY
