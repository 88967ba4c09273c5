"""LogQL syntax oracle for the tests: @grafana/lezer-logql run by node (see lezer.py).

    from tests.logql_oracle import lezer_verdicts
    assert all(lezer_verdicts(queries))
"""

from tests.logql_oracle.lezer import (
    LezerVerdict,
    lezer_results,
    lezer_verdicts,
    lezer_verdicts_fixture,
    pinned_version,
)

__all__ = ["LezerVerdict", "lezer_results", "lezer_verdicts", "lezer_verdicts_fixture", "pinned_version"]
