"""Rule-file shape, as strict as promtool's ``rulefmt`` (unknown keys are errors).

Works on plain data with a ``locate`` callback, so the same checks run on a
hand-written file (located in that file) and on generated output (located in
the spec that produced it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from paladin_obs.diagnostics import Diagnostic, Location, Path
from paladin_obs.durations import parse_duration
from paladin_obs.escape import LABEL_NAME, METRIC_NAME

Locate = Callable[[Path, bool], Location]

_TOP_KEYS = ("groups",)
_GROUP_KEYS_2_42 = ("name", "interval", "limit", "rules")
_RULE_KEYS_2_41 = ("record", "alert", "expr", "for", "labels", "annotations")
_INT = re.compile(r"^[+-]?[0-9]+$")


@dataclass(frozen=True)
class RuleRef:
    """A rule found in a file, handed to content checks (PromQL, templates, lint)."""

    path: Path
    name: str
    is_alert: bool
    expr: str
    labels: dict[str, str]
    annotations: dict[str, str]
    for_: str | None
    group: str


@dataclass(frozen=True)
class GroupRef:
    """A group found in a file, for lint (interval, size)."""

    path: Path
    name: str
    interval: str | None
    rules: int


def group_keys(version: tuple[int, int]) -> tuple[str, ...]:
    """Group fields by Prometheus version: ``query_offset`` arrived in 2.53."""
    return (*_GROUP_KEYS_2_42, "query_offset") if version >= (2, 53) else _GROUP_KEYS_2_42


def rule_keys(version: tuple[int, int]) -> tuple[str, ...]:
    """Rule fields by Prometheus version: ``keep_firing_for`` arrived in 2.42."""
    return (*_RULE_KEYS_2_41, "keep_firing_for") if version >= (2, 42) else _RULE_KEYS_2_41


def check_shape(
    data: Any, locate: Locate, version: tuple[int, int]
) -> tuple[list[Diagnostic], list[RuleRef]]:
    """Shape errors, and the rules that are whole enough for content checks."""
    errors, rules, _ = check_file(data, locate, version)
    return errors, rules


def check_file(
    data: Any, locate: Locate, version: tuple[int, int]
) -> tuple[list[Diagnostic], list[RuleRef], list[GroupRef]]:
    """Shape errors, the rules whole enough for content checks, and the groups."""
    out = _Shape(locate, version)
    out.file(data)
    return out.errors, out.rules, out.groups


@functools.lru_cache(maxsize=4096)
def _duration_problem(text: str) -> str | None:
    """Why ``text`` is no Prometheus duration, or None; a file repeats a few
    durations (``for: 5m``) thousands of times, so each is parsed once."""
    try:
        parse_duration(text)
    except ValueError as exc:
        return str(exc)
    return None


class _Shape:
    def __init__(self, locate: Locate, version: tuple[int, int]) -> None:
        self.locate = locate
        self.version = version
        self.errors: list[Diagnostic] = []
        self.rules: list[RuleRef] = []
        self.groups: list[GroupRef] = []

    def err(self, path: Path, message: str, *, key: bool = False) -> None:
        self.errors.append(Diagnostic(self.locate(path, key), message, path))

    def keys(self, value: dict[str, Any], path: Path, allowed: tuple[str, ...], what: str) -> None:
        for key in value:
            if key not in allowed:
                self.err(
                    (*path, key),
                    f"unknown field {key!r} in {what}; allowed: {', '.join(allowed)}",
                    key=True,
                )

    def file(self, data: Any) -> None:
        if data is None:
            return  # an empty file has no groups, as for promtool
        if not isinstance(data, dict):
            self.err((), "a rule file must be a mapping with a 'groups' list")
            return
        self.keys(data, (), _TOP_KEYS, "rule file")
        groups = data.get("groups")
        if groups is None:
            return
        if not isinstance(groups, list):
            self.err(("groups",), "'groups' must be a list")
            return
        seen: dict[str, int] = {}
        for i, group in enumerate(groups):
            self.group(group, ("groups", i), seen)

    def group(self, group: Any, path: Path, seen: dict[str, int]) -> None:
        if group is None:
            return  # Go decodes a null list item to nothing; promtool accepts it
        if not isinstance(group, dict):
            self.err(path, "a group must be a mapping with name and rules")
            return
        self.keys(group, path, group_keys(self.version), "group")
        name = group.get("name")
        if not isinstance(name, str) or not name:
            self.err(path, "group name must not be empty")
            name = ""
        elif name in seen:
            self.err((*path, "name"), f"group name {name!r} is repeated in the same file")
        else:
            seen[name] = 1
        for field in ("interval", "query_offset"):
            if field in group:
                self.duration(group[field], (*path, field), f"group {field}")
        if "limit" in group and not (
            isinstance(group["limit"], str) and _INT.match(group["limit"])
        ):
            self.err((*path, "limit"), f"limit must be a whole number, got {group['limit']!r}")
        rules = group.get("rules")
        interval = group.get("interval")
        self.groups.append(
            GroupRef(
                path,
                name,
                interval if isinstance(interval, str) else None,
                len(rules) if isinstance(rules, list) else 0,
            )
        )
        if rules is None:
            return
        if not isinstance(rules, list):
            self.err((*path, "rules"), "'rules' must be a list")
            return
        for j, rule in enumerate(rules):
            self.rule(rule, (*path, "rules", j), name)

    def duration(self, value: Any, path: Path, what: str) -> None:
        if not isinstance(value, str):
            self.err(path, f"{what} must be a duration such as 5m")
            return
        problem = _duration_problem(value)
        if problem is not None:
            self.err(path, f"{what}: {problem}")

    def mapping(
        self, value: Any, path: Path, what: str, name_check: re.Pattern[str]
    ) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.err(path, f"{what} must be a mapping of name to text")
            return {}
        out = {}
        for key, text in value.items():
            if not name_check.match(key) or key == "__name__":
                self.err((*path, key), f"invalid {what[:-1]} name: {key!r}", key=True)
            # A tuple: `dict | list` would build a union object on every label.
            if isinstance(text, (dict, list)):
                self.err(
                    (*path, key), f"{what[:-1]} {key!r} must be text, not a {type(text).__name__}"
                )
                continue
            out[key] = "" if text is None else str(text)
        return out

    def rule(self, rule: Any, path: Path, group: str) -> None:
        if not isinstance(rule, dict):
            self.err(path, "a rule must be a mapping")
            return
        self.keys(rule, path, rule_keys(self.version), "rule")
        record, alert = rule.get("record"), rule.get("alert")
        name = str(record or alert or "")
        where = f"rule {name!r}: " if name else ""
        ok = True
        if record and alert:
            self.err(path, f"{where}only one of 'record' and 'alert' may be set")
            ok = False
        elif not record and not alert:
            self.err(path, "one of 'record' or 'alert' must be set")
            ok = False
        expr = rule.get("expr")
        if expr is None or (isinstance(expr, str) and not expr.strip()):
            self.err(path, f"{where}field 'expr' must be set")
            ok = False
        elif not isinstance(expr, str):
            self.err((*path, "expr"), f"{where}expr must be text")
            ok = False
        if record:
            if not isinstance(record, str) or not METRIC_NAME.match(record):
                self.err((*path, "record"), f"invalid recording rule name: {record!r}")
            for field in ("annotations", "for", "keep_firing_for"):
                if field in rule:
                    self.err(
                        (*path, field),
                        f"{where}invalid field {field!r} in recording rule",
                        key=True,
                    )
        for field in ("for", "keep_firing_for"):
            if field in rule and rule[field] is not None:
                self.duration(rule[field], (*path, field), f"{where}{field}")
        labels = self.mapping(rule.get("labels"), (*path, "labels"), "labels", LABEL_NAME)
        annotations = self.mapping(
            rule.get("annotations"), (*path, "annotations"), "annotations", LABEL_NAME
        )
        if ok:
            self.rules.append(
                RuleRef(
                    path, name, bool(alert), str(expr), labels, annotations, rule.get("for"), group
                )
            )
