"""LogQL built from the model: a service's stream and the log queries on it.

Log alert templates, recording rules and dashboard panels all ask this module
for their queries, so a level, a field or a line filter reads the same
everywhere, and every spec value reaches LogQL through one quoting function
(LogQL strings are Go string literals, like PromQL's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from paladin_obs.escape import go_regex_literal, promql_string
from paladin_obs.model import Matcher
from paladin_obs.model_logs import LogField, ServiceLogs
from paladin_obs.validate.re2 import matches_empty
from paladin_obs.values import PromQL

#: A LogQL string literal: the same Go quoting rules as PromQL's.
logql_string = promql_string


class LogQLError(ValueError):
    """A query cannot be built as asked (a level filter without a level field)."""


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_expression(path: str) -> str:
    """A dotted field path as LogQL's json parser expression (``a.b``, ``a["b-c"]``)."""
    out = []
    for i, part in enumerate(path.split(".")):
        if _IDENT.fullmatch(part):
            out.append(part if i == 0 else f".{part}")
        else:
            out.append(f"[{logql_string(part)}]")
    return "".join(out)


def _sanitised(key: str) -> str:
    """The label name Loki's logfmt parser gives a key (invalid characters as ``_``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


@dataclass(frozen=True)
class LogStream:
    """One service's logs in one environment, as templates and panels see them."""

    labels: Mapping[str, str]
    logs: ServiceLogs
    fields: Mapping[str, LogField] = field(default_factory=dict)

    @staticmethod
    def of(logs: ServiceLogs) -> LogStream:
        by_name = {f.name: f for f in logs.fields}
        by_name.update({f.path: f for f in logs.fields})
        return LogStream(logs.static_labels, logs, by_name)

    def __str__(self) -> str:
        return self.selector()

    def selector(self, extra: Iterable[str] = ()) -> PromQL:
        """``{env="production", service="paladin"}`` plus ``extra`` matchers."""
        inner = [f"{k}={logql_string(v)}" for k, v in sorted(self.labels.items())]
        return PromQL("{" + ", ".join([*inner, *extra]) + "}")

    def level_matcher(self, levels: Iterable[str]) -> str:
        level = self.logs.level
        if level is None:
            raise LogQLError("filtering by level needs a field with role: level")
        names = tuple(levels)
        if len(names) == 1:
            return f"{level.name}={logql_string(names[0])}"
        alternatives = "|".join(map(go_regex_literal, names))
        return f"{level.name}=~{logql_string(alternatives)}"

    def lines(
        self,
        levels: Iterable[str] = (),
        match: Iterable[tuple[LogField, Matcher]] = (),
        contains: str | None = None,
        regex: bool = False,
    ) -> PromQL:
        """A log query: the stream narrowed by level, line text (literal, or an
        RE2 regex with ``regex``) and field values.

        Labels and the level go into the selector (Loki reads only the matching
        streams); the line filter comes next (cheap, before any parsing); then
        one parser if a field is read from the line, then the label filters.
        """
        levels = tuple(levels)
        in_selector: list[str] = [self.level_matcher(levels)] if levels else []
        parsed: list[LogField] = []
        filters: list[str] = []
        output = [f.path for f in self.logs.fields if f.output]
        for fld, m in match:
            stored = fld.role in ("label", "level", "structured_metadata")
            # A regex format's parser names what it extracts after the groups.
            name = fld.name if stored or self.logs.format != "regex" else fld.key
            text = f"{name}{m.op}{logql_string(m.value)}"
            if fld.role in ("label", "level"):
                in_selector.append(text)
                continue
            if not stored:
                if output:
                    raise LogQLError(
                        f"field {fld.path!r} is not in the stored line: output: true on "
                        f"{output[0]!r} makes the line that field alone; match text with contains"
                    )
                parsed.append(fld)
            filters.append(text)
        query = [str(self.selector(in_selector))]
        if contains is not None:
            if contains == "" or (regex and matches_empty(contains)):
                raise LogQLError(
                    f"the text {contains!r} matches every line, so the alert would fire on any log"
                )
            query.append(f"{'|~' if regex else '|='} {logql_string(contains)}")
        if parsed:
            query.append(self.parser(parsed))
        query += [f"| {f}" for f in filters]
        return PromQL(" ".join(query))

    def parser(self, fields: Iterable[LogField]) -> str:
        """The parser stage that extracts ``fields`` from the line, and only them."""
        wanted = sorted({f.name: f for f in fields}.values(), key=lambda f: f.name)
        fmt = self.logs.format
        if fmt == "json":
            params = ", ".join(f"{f.name}={logql_string(json_expression(f.path))}" for f in wanted)
            return f"| json {params}"
        if fmt == "logfmt":
            if all(f.name == _sanitised(f.path) for f in wanted):
                return "| logfmt"  # every key is extracted under its sanitised name
            params = ", ".join(f"{f.name}={logql_string(f.path)}" for f in wanted)
            return f"| logfmt {params}"
        if fmt == "regex":
            return f"| regexp {logql_string(self.logs.regex)}"
        raise LogQLError("plain lines have no fields to read")  # pragma: no cover - schema refuses


def count_over_time(query: str, window: str, by: Iterable[str] = ()) -> PromQL:
    """``sum by (labels) (count_over_time(<query> [window]))``: lines per window,
    summed over the streams (per ``by`` label). The range follows the whole log
    query, pipeline included, as LogQL's grammar places it; ``window`` may be a
    Grafana variable (``$__auto``) that the dashboard expands."""
    labels = tuple(by)
    head = f"sum by ({', '.join(labels)}) " if labels else "sum"
    return PromQL(f"{head}(count_over_time({query} [{window}]))")
