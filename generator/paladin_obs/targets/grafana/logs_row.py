"""The overview's Logs row: how much the service logs, its errors, and the lines.

Collapsed, so the dashboard opens without querying Loki; opened during an
incident, it answers "is it logging, is it logging errors, and what" next to
the metrics of the same service and environment. Every query is the service's
stream as ``logql_text`` writes it (the same labels as the log alerts and the
agents' pipeline, the environment's among them), through the Loki datasource
variable.

The graphs count lines per ``$__auto`` (Grafana's step for the panel, so each
line counts once whatever the zoom) where the target Grafana expands it, and
``$__interval`` on older ones. Only lines the pipeline ships reach Loki: the
environment's ``min_level`` bounds what any panel can show.
"""

from __future__ import annotations

from dataclasses import replace

from paladin_obs.conventions.loki import ERROR_LEVELS, LEVELS, levels_below
from paladin_obs.grafana.board import GRID_WIDTH, LOKI, Panel, Query, Row, SeriesColor
from paladin_obs.grafana.versions import has_loki_auto_range
from paladin_obs.logql_text import LogStream, count_over_time
from paladin_obs.model_logs import ServiceLogs
from paladin_obs.targets.grafana.queries import Scope

TITLE = "Logs"
#: Counts of lines: no physical unit, so Grafana's plain number.
COUNT_UNIT = "short"
#: Grafana's named colours, close to its own log-level colours (Explore, logs panel).
LEVEL_COLORS = {
    "trace": "light-blue",
    "debug": "blue",
    "info": "green",
    "warn": "yellow",
    "error": "red",
    "fatal": "purple",
}


def window(schema_version: int) -> str:
    """The range of the count graphs: ``$__auto`` where Grafana expands it in
    Loki queries, else ``$__interval`` (the panel's step as well)."""
    return "$__auto" if has_loki_auto_range(schema_version) else "$__interval"


def logs_row(scope: Scope) -> Row:
    """The collapsed Logs row; empty (and so left out) for a service without logs."""
    logs = scope.service.logs
    if logs is None:
        return Row(TITLE, (), collapsed=True)
    stream = LogStream.of(logs)
    rng = window(scope.grafana.schema_version)
    graphs = [_volume(scope, logs, stream, rng)]
    errors = _errors(scope, logs, stream, rng)
    if errors is not None:
        graphs.append(errors)
    graphs = [replace(p, width=GRID_WIDTH // len(graphs)) for p in graphs]
    return Row(TITLE, (*graphs, _lines(scope, logs, stream)), collapsed=True)


def _shipped(logs: ServiceLogs, what: str) -> str:
    """Why a level may be missing: the pipeline drops it in this environment."""
    if not logs.min_level:
        return ""
    return f" Lines below {logs.min_level} are dropped before Loki and never {what}."


def _volume(scope: Scope, logs: ServiceLogs, stream: LogStream, rng: str) -> Panel:
    level = logs.level
    name = scope.service.name
    if level is None:
        return Panel(
            "timeseries",
            "Log volume",
            f"Log lines {name} wrote per step of the graph, from its stream "
            f"{stream.selector()}.{_shipped(logs, 'counted')}",
            COUNT_UNIT,
            (Query(count_over_time(stream.selector(), rng), "lines"),),
            datasource=LOKI,
            draw="stacked_bars",
            min=0,
        )
    return Panel(
        "timeseries",
        "Log volume by level",
        f"Log lines {name} wrote per step of the graph, stacked by level (the "
        f"{level.name} label), from its stream {stream.selector()}."
        f"{_shipped(logs, 'counted')}",
        COUNT_UNIT,
        (Query(count_over_time(stream.selector(), rng, (level.name,)), f"{{{{{level.name}}}}}"),),
        datasource=LOKI,
        draw="stacked_bars",
        min=0,
        colors=_level_colors(_shipped_levels(logs, LEVELS)),
    )


def _shipped_levels(logs: ServiceLogs, levels: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``levels`` the pipeline ships in this environment."""
    dropped = set(levels_below(logs.min_level)) if logs.min_level else set()
    return tuple(lv for lv in levels if lv not in dropped)


def _errors(scope: Scope, logs: ServiceLogs, stream: LogStream, rng: str) -> Panel | None:
    """Lines at the error levels; None without a level field (nothing tells an
    error line from another) or when the environment ships none of them."""
    level = logs.level
    levels = _shipped_levels(logs, ERROR_LEVELS)
    if level is None or not levels:
        return None
    query = count_over_time(stream.lines(levels=levels), rng, (level.name,))
    return Panel(
        "timeseries",
        "Error lines",
        f"Lines at level {' or '.join(levels)} that {scope.service.name} wrote per step "
        "of the graph, by level (the levels a log_rate alert counts by default).",
        COUNT_UNIT,
        (Query(query, f"{{{{{level.name}}}}}"),),
        datasource=LOKI,
        draw="stacked_bars",
        min=0,
        colors=_level_colors(levels),
    )


def _level_colors(levels: tuple[str, ...]) -> tuple[SeriesColor, ...]:
    """Each level's series in its colour, so error reads red in every panel."""
    return tuple(SeriesColor(lv, LEVEL_COLORS[lv]) for lv in levels)


def _lines(scope: Scope, logs: ServiceLogs, stream: LogStream) -> Panel:
    return Panel(
        "logs",
        "Logs",
        f"{scope.service.name}'s log lines, newest first, from its stream "
        f"{stream.selector()}.{_shipped(logs, 'shown')} Open a line for its labels and "
        "structured metadata.",
        "",
        (Query(stream.selector(), ""),),
        width=GRID_WIDTH,
        height=12,
        datasource=LOKI,
    )
