"""Which dashboard ``schemaVersion`` each Grafana release writes.

A dashboard is saved at the schemaVersion of the Grafana that wrote it and migrated
upwards on load; one written *newer* than the running Grafana is not migrated at all.
So we pin the version per target Grafana and, where the release of a migration is
uncertain, choose the lower number: an older schemaVersion is always upgraded.

Sources. The number is Grafana's ``DASHBOARD_SCHEMA_VERSION`` (set in
``public/app/features/dashboard/state/DashboardMigrator.ts``; since 2025 also the
``apps/dashboard/pkg/migration/schemaversion/vNN.go`` steps, whose README states
"Latest Version: 42" and that 42 is the last version of the v1 (classic) API).
Each step below is dated by the pull request that added it, then mapped to the
first release cut after it:

* 36 — datasource refs for annotations/variables, ``null`` → default datasource;
  the "handoff" version of 8.5 (grafana/grafana#47806) and Grafana 9.0.
* 37 — legend ``showLegend`` normalisation (grafana/grafana#52241, refactored in
  #55126, Sept 2022, which fixes 37 behaviour seen on 9.2 pre-releases): 9.1.
* 38 — table ``displayMode`` → ``cellOptions`` (grafana/grafana#59363, merged by
  Jan 2023; #61477 of 2023-01-13 builds on it): 9.4. Grafana 10.1.5 writes 38
  (eclipse-packages/packages#565).
* 39 — ``timeSeriesTable`` transformation options (grafana/grafana#76801,
  Oct 2023): 10.3; Grafana 10.4 exports 39 (grafana/grafonnet#196).
* 40 — ``refresh`` always a string (``v40.go``): 11.3; Grafana 11.5.1 exports 40
  (miyurud/jasminegraph#286).
* 41 — ``timepicker.time_options`` removed (``v41.go``; proposed Feb 2025 in
  grafana/grafana#100135): 11.6 (project facts: "Grafana 11.6 exports 41").
* 42 — ``hideFrom.tooltip`` follows ``hideFrom.viz`` (grafana/grafana#110517,
  merged 2025-09-03). Uncertain for 12.2 (released three weeks later), so 12.2
  stays at 41; 12.3 and later write 42; Grafana v13.2.1 sets 42
  (grafana/skills#98, checked at that tag). ``v43.go`` exists on Grafana's main
  branch only and is in no release we list.
"""

from __future__ import annotations

#: Grafana (major, minor) → the schemaVersion that release writes.
SCHEMA_VERSIONS: dict[tuple[int, int], int] = {
    (9, 0): 36,
    (9, 1): 37,
    (9, 2): 37,
    (9, 3): 37,
    (9, 4): 38,
    (9, 5): 38,
    (10, 0): 38,
    (10, 1): 38,
    (10, 2): 38,
    (10, 3): 39,
    (10, 4): 39,
    (11, 0): 39,
    (11, 1): 39,
    (11, 2): 39,
    (11, 3): 40,
    (11, 4): 40,
    (11, 5): 40,
    (11, 6): 41,
    (12, 0): 41,
    (12, 1): 41,
    (12, 2): 41,
    (12, 3): 42,
    (12, 4): 42,
    (13, 0): 42,
    (13, 1): 42,
    (13, 2): 42,
}

SUPPORTED: tuple[tuple[int, int], ...] = tuple(sorted(SCHEMA_VERSIONS))
DEFAULT_GRAFANA_VERSION: tuple[int, int] = (11, 6)


def _fmt(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def schema_version(version: tuple[int, int]) -> int:
    """The schemaVersion Grafana ``version`` (major, minor) writes.

    Unknown versions are an error rather than a guess: a too-new number would not be
    migrated by the target Grafana, a too-old one would churn on every save.
    """
    try:
        return SCHEMA_VERSIONS[version]
    except KeyError:
        known = ", ".join(_fmt(v) for v in SUPPORTED)
        raise ValueError(
            f"unsupported Grafana version {_fmt(version)}: known versions are {known}"
            f" (from {_fmt(SUPPORTED[0])} to {_fmt(SUPPORTED[-1])})"
        ) from None


#: The first schemaVersion whose Grafana expands ``$__auto`` in Loki queries (the
#: step for a range query, the time range for an instant one). It came with
#: Grafana 10.2 (grafana/grafana#72690, release named in grafana/grafana#77869);
#: schemaVersion 38 is also written by 9.4 to 10.1, which send ``$__auto`` to Loki
#: as is, so only 39 (Grafana 10.3) and later are known to have it.
LOKI_AUTO_RANGE_SINCE = 39


def has_loki_auto_range(schema: int) -> bool:
    """Whether the Grafana writing ``schema`` expands ``$__auto`` in Loki queries."""
    return schema >= LOKI_AUTO_RANGE_SINCE
