"""The processing stages of a service's log pipeline, agent-neutral and in order.

Alloy (``stage.json { ... }``) and Promtail (``- json: ...``) spell the same
stages differently; deciding the stages once, here, keeps the two outputs
identical in meaning. The order is part of the contract:

1. static labels (service, environment), so every later stage and metric sees them;
2. multiline joining, before anything parses a half entry;
3. parsing (json, logfmt or regex) into extracted fields;
4. the timestamp, the level (lower-cased, so ``ERROR`` and ``error`` are one
   stream) and the bounded labels;
5. the spec's drop rules (noise such as health checks), before metrics, so noise
   is never counted;
6. metrics, before the level drop, so they count every line the service wrote;
7. the minimum-level drop;
8. structured metadata (ids), field removal and the output line, last: they
   change what is stored, not what the stages above read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.durations import go_duration
from paladin_obs.escape import go_regex_literal, promql_string
from paladin_obs.model_logs import DropRule, LogField, LogMetric, ServiceLogs
from paladin_obs.regex_groups import capture_only

LEVEL_TEMPLATE = lconv.level_template()


@dataclass(frozen=True)
class Stage:
    """One stage: its name (``json``, ``drop``...) and its settings as plain data.

    ``metrics`` is the one stage with nested definitions: its settings hold a
    list of ``LogMetric``.
    """

    name: str
    settings: Mapping[str, Any]


def plan(logs: ServiceLogs) -> tuple[Stage, ...]:
    out: list[Stage] = [Stage("static_labels", {"values": dict(logs.static_labels)})]
    if logs.multiline is not None:
        ml = logs.multiline
        settings: dict[str, Any] = {"firstline": ml.first_line}
        if ml.max_wait is not None:
            settings["max_wait_time"] = go_duration(ml.max_wait)
        if ml.max_lines is not None:
            settings["max_lines"] = ml.max_lines
        out.append(Stage("multiline", settings))
    parse = _parse(logs)
    if parse is not None:
        out.append(parse)
    for f in logs.role("timestamp"):
        out.append(Stage("timestamp", {"source": f.key, "format": f.format}))
    level = logs.level
    if level is not None:
        out.append(Stage("template", {"source": level.key, "template": LEVEL_TEMPLATE}))
    for f in logs.fields:
        if f.role == "label" and f.values:
            out.append(Stage("template", {"source": f.key, "template": bounded_template(f.values)}))
    labels = {f.name: f.key for f in logs.fields if f.role in ("label", "level")}
    if labels:
        out.append(Stage("labels", {"values": labels}))
    out += [_drop(rule) for rule in logs.drop]
    if logs.metrics:
        out.append(Stage("metrics", {"metrics": logs.metrics}))
    if logs.min_level and level is not None:
        below = lconv.levels_below(logs.min_level)
        out.append(
            Stage(
                "drop",
                {
                    "source": level.key,
                    "expression": "^(" + "|".join(below) + ")$",
                    "drop_counter_reason": "below_min_level",
                },
            )
        )
    metadata = {f.name: f.key for f in logs.role("structured_metadata")}
    if metadata:
        out.append(Stage("structured_metadata", {"values": metadata}))
    removal = removal_expression(logs)
    if removal:
        out.append(Stage("replace", {"expression": removal, "replace": ""}))
    for f in logs.fields:
        if f.output:
            out.append(Stage("output", {"source": f.key}))
    return tuple(out)


def bounded_template(values: tuple[str, ...]) -> str:
    """Keeps a label bounded by construction: a value not declared becomes
    ``other`` (an absent one stays absent), so the label never has more values
    than the spec lists, whatever the service writes."""
    choices = " ".join(promql_string(v) for v in (*values, ""))
    return f"{{{{ if eq .Value {choices} }}}}{{{{ .Value }}}}{{{{ else }}}}{lconv.OTHER_VALUE}{{{{ end }}}}"


def _read(logs: ServiceLogs) -> list[LogField]:
    """Fields a stage reads: fields that stay in the line are left unparsed
    (their value is never needed before Loki) unless a rule or metric uses them."""
    used = {d.source for d in logs.drop} | {m.source for m in logs.metrics}
    return [f for f in logs.fields if f.role not in ("line", "drop") or f.output or f.key in used]


def _parse(logs: ServiceLogs) -> Stage | None:
    fields = _read(logs)
    if logs.format == "json":
        if not fields:
            return None
        return Stage("json", {"expressions": {f.key: jmespath(f.path) for f in fields}})
    if logs.format == "logfmt":
        if not fields:
            return None
        return Stage("logfmt", {"mapping": {f.key: f.path for f in fields}})
    if logs.format == "regex":
        return Stage("regex", {"expression": logs.regex})
    return None


def jmespath(path: str) -> str:
    """A dotted field path as the JMESPath the agents' json stage evaluates:
    parts that are not bare identifiers are quoted (``span."paladin-id"``)."""
    parts = []
    for part in path.split("."):
        bare = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) is not None
        parts.append(part if bare else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return ".".join(parts)


def _drop(rule: DropRule) -> Stage:
    settings: dict[str, Any] = {}
    if rule.source:
        settings["source"] = rule.source
    if rule.expression:
        settings["expression"] = rule.expression
    if rule.value:
        settings["value"] = rule.value
    if rule.longer_than:
        settings["longer_than"] = rule.longer_than
    if rule.reason:
        settings["drop_counter_reason"] = rule.reason
    return Stage("drop", settings)


_JSON_VALUE = r'(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null)'
_LOGFMT_VALUE = r'(?:"(?:[^"\\]|\\.)*"|\S*)'


def removal_expression(logs: ServiceLogs) -> str:
    """An RE2 regex whose one capture group covers every ``drop`` field in the
    line: the replace stage blanks captured text, so the field, its value and
    one separating comma or space disappear and the rest of the line stays valid.

    JSON: a key is removed wherever it appears with a scalar value (objects
    and arrays cannot be matched by a regex). Regex format: the named groups of
    dropped fields are captured, all other groups made non-capturing.
    """
    dropped = logs.role("drop")
    if not dropped:
        return ""
    if logs.format == "regex":
        return capture_only(logs.regex, {f.path for f in dropped})
    alternatives = []
    for f in dropped:
        key = go_regex_literal(f.path.rsplit(".", 1)[-1] if logs.format == "json" else f.path)
        if logs.format == "json":
            pair = rf'"{key}"\s*:\s*{_JSON_VALUE}'
            alternatives += [rf",\s*{pair}", rf"{pair}\s*,?"]
        else:
            pair = rf"{key}={_LOGFMT_VALUE}"
            alternatives += [rf"\s+{pair}", rf"^{pair}\s*"]
    return "(" + "|".join(alternatives) + ")"


def metric_fields(metric: LogMetric) -> dict[str, Any]:
    """A metric's settings common to both agents (names without the prefix)."""
    out: dict[str, Any] = {"name": metric.name, "description": metric.description}
    if metric.source:
        out["source"] = metric.source
    if metric.value:
        out["value"] = metric.value
    if metric.max_idle is not None:
        out["max_idle_duration"] = go_duration(metric.max_idle)
    return out
