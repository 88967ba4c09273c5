"""Paladin runtime internals, written by hand with grafanalib.

Executed as Python by `paladin-obs generate` (grafanalib's convention: a module-level
`dashboard`). paladin-obs upgrades the rendered JSON to the target Grafana schema,
so this file can stay plain grafanalib 0.7.1.
"""

from grafanalib.core import (
    Dashboard,
    GridPos,
    RowPanel,
    Stat,
    Target,
    Template,
    Templating,
    Threshold,
    TimeSeries,
)

DATASOURCE = "$datasource"
SELECTOR = 'job="$job", instance=~"$instance"'


def prom(expr: str, legend: str = "") -> Target:
    """The panel's one query (every panel here has one: refId A)."""
    return Target(expr=expr, legendFormat=legend, refId="A", datasource=DATASOURCE)


templating = Templating(list=[
    Template(name="datasource", label="Data source", type="datasource",
             query="prometheus", default="Prometheus"),
    Template(name="job", label="Job", dataSource=DATASOURCE,
             query='label_values(paladin_active_paladins, job)', default="paladin"),
    Template(name="instance", label="Instance", dataSource=DATASOURCE,
             query='label_values(paladin_active_paladins{job="$job"}, instance)',
             includeAll=True, multi=True, allValue=".*"),
])

dashboard = Dashboard(
    title="Paladin / Runtime",
    uid="paladin-runtime",
    description="Paladin runtime internals: active Paladins, Garrison, Arsenal, errors.",
    tags=["paladin", "runtime"],
    timezone="utc",
    refresh="30s",
    templating=templating,
    panels=[
        RowPanel(title="Paladins", gridPos=GridPos(h=1, w=24, x=0, y=0)),
        Stat(
            title="Active Paladins",
            description="Paladins running now, all selected instances.",
            dataSource=DATASOURCE,
            targets=[prom(f"sum(paladin_active_paladins{{{SELECTOR}}})")],
            format="short",
            reduceCalc="lastNotNull",
            gridPos=GridPos(h=6, w=6, x=0, y=1),
        ),
        TimeSeries(
            title="Active Paladins by instance",
            description="Gauge: Paladins running on each instance.",
            dataSource=DATASOURCE,
            targets=[prom(f"sum by (instance) (paladin_active_paladins{{{SELECTOR}}})",
                          "{{instance}}")],
            unit="short",
            gridPos=GridPos(h=6, w=18, x=6, y=1),
        ),
        RowPanel(title="Garrison and Arsenal", gridPos=GridPos(h=1, w=24, x=0, y=7)),
        TimeSeries(
            title="Garrison writes",
            description="Entries written to the Garrison per second.",
            dataSource=DATASOURCE,
            targets=[prom(
                f"sum(rate(garrison_entries_total{{{SELECTOR}}}[$__rate_interval]))",
                "writes")],
            unit="ops",
            gridPos=GridPos(h=8, w=12, x=0, y=8),
        ),
        TimeSeries(
            title="Arsenal tool calls by tool and outcome",
            description="Tool calls per second, split by tool and outcome.",
            dataSource=DATASOURCE,
            targets=[prom(
                f"sum by (tool, outcome) (rate(arsenal_tool_calls_total{{{SELECTOR}}}"
                "[$__rate_interval]))",
                "{{tool}} {{outcome}}")],
            unit="ops",
            stacking={"mode": "normal", "group": "A"},
            gridPos=GridPos(h=8, w=12, x=12, y=8),
        ),
        RowPanel(title="Errors", gridPos=GridPos(h=1, w=24, x=0, y=16)),
        TimeSeries(
            title="Errors by kind",
            description="Runtime errors per second by kind; any sustained rate needs a look.",
            dataSource=DATASOURCE,
            targets=[prom(
                f"sum by (kind) (rate(paladin_errors_total{{{SELECTOR}}}[$__rate_interval]))",
                "{{kind}}")],
            unit="ops",
            thresholds=[Threshold("green", 0, 0.0), Threshold("red", 1, 1.0)],
            thresholdsStyleMode="line",
            gridPos=GridPos(h=8, w=24, x=0, y=17),
        ),
    ],
).auto_panel_ids()
