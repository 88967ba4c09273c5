"""lint/unused-suppression: a suppression that silences nothing.

Why: the finding it was written for is gone (the rule was fixed, or the check
changed), so the suppression now waits to hide the next real finding of the
same kind on that rule. ruff and sqlfluff report unused ``noqa`` for the same
reason. A comment that stands on no rule (not on a rule's lines or right
above one) is reported too: it suppresses nothing where it is.

A suppression of a check that did not run (a check that needs the spec's
metric types, on a rule file validated without ``--spec``) is not reported.

Fix: remove it, or move it onto the rule it is meant for.
"""

from __future__ import annotations

from paladin_obs.diagnostics import Severity
from paladin_obs.lint.suppress import UNUSED_ID, UNUSED_SEVERITY

ID = UNUSED_ID
SEVERITY: Severity = UNUSED_SEVERITY
