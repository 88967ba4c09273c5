"""Generated log pipelines (Alloy modules, Promtail configs) checked before they are written.

No Alloy or Promtail binary is needed: what either would refuse at load time or
break on at run time is checked on the data itself, the same way for both
agents because they share the stage plan: every regex with Go's RE2 rules, the
level template as a Go template, label names, and the cardinality limits on
what each stream carries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.escape import LABEL_NAME
from paladin_obs.formats.alloy import Attribute, Block, Document
from paladin_obs.validate.base import Checked, Settings, Source
from paladin_obs.validate.gotemplate import GO_BUILTIN_FUNCTIONS, check_template
from paladin_obs.validate.re2 import check_regex

#: Functions the agents' template stage adds to Go's builtins.
TEMPLATE_FUNCTIONS = GO_BUILTIN_FUNCTIONS | frozenset(
    {
        "ToLower",
        "ToUpper",
        "Replace",
        "Trim",
        "TrimLeft",
        "TrimRight",
        "TrimPrefix",
        "TrimSuffix",
        "TrimSpace",
        "Hash",
        "Sha2Hash",
        "regexReplaceAll",
        "regexReplaceAllLiteral",
        "unixEpoch",
        "unixEpochMillis",
        "unixEpochNanos",
        "toDate",
        "now",
        "default",
        "count",
        "fromJson",
        "b64enc",
        "b64dec",
    }
)
_REGEX_KEYS = ("expression", "firstline")
_LABEL_STAGES = ("static_labels", "labels")


@cache
def _regex_problem(pattern: str) -> str | None:
    # Alloy and Promtail files of every environment hold the same regexes.
    return check_regex(pattern)


@cache
def _template_problems(text: str) -> tuple[str, ...]:
    return tuple(
        f"{e.line}:{e.column}: {e.message}"
        for e in check_template(text, functions=TEMPLATE_FUNCTIONS)
    )


def _problems(stage: str, settings: dict[str, Any]) -> Iterator[str]:
    for key in _REGEX_KEYS:
        value = settings.get(key)
        if isinstance(value, str):
            problem = _regex_problem(value)
            if problem:
                yield f"stage {stage}: {key} is not a valid RE2 regex: {problem}"
    template = settings.get("template")
    if stage == "template" and isinstance(template, str):
        for message in _template_problems(template):
            yield f"stage template: {message}"
    if stage in (*_LABEL_STAGES, "structured_metadata"):
        values = settings.get("values", settings)
        for name in values:
            if not LABEL_NAME.match(name) or name.startswith("__"):
                yield f"stage {stage}: {name!r} is not a usable label name"


def check_stages(stages: Sequence[tuple[str, dict[str, Any]]], source_labels: int) -> list[str]:
    """Problems of one pipeline's stages, given the labels its source adds."""
    out: list[str] = []
    labels: set[str] = set()
    dynamic = source_labels
    for name, settings in stages:
        out += _problems(name, settings)
        if name in _LABEL_STAGES:
            values = settings.get("values", settings)
            labels |= set(values)
            dynamic += len(values) if name == "labels" else 0
    if dynamic > lconv.MAX_DYNAMIC_LABELS:
        out.append(
            f"{dynamic} labels take their values from the logs; the limit is {lconv.MAX_DYNAMIC_LABELS}"
        )
    if len(labels) + source_labels > lconv.MAX_STREAM_LABELS:
        out.append(f"streams carry more than {lconv.MAX_STREAM_LABELS} labels")
    return out


def _alloy_stages(doc: Document) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    stages: list[tuple[str, dict[str, Any]]] = []
    source_labels = 0
    for block in doc.body:
        if not isinstance(block, Block):
            continue
        if block.name == "loki.source.file":
            source_labels = 1
        elif block.name == "loki.source.kubernetes":
            source_labels = len(lconv.KUBERNETES_LABELS)
        elif block.name == "loki.process":
            for stmt in block.body:
                if isinstance(stmt, Block) and stmt.name.startswith("stage."):
                    settings = {a.name: a.value for a in stmt.body if isinstance(a, Attribute)}
                    stages.append((stmt.name.removeprefix("stage."), settings))
    return stages, source_labels


def _promtail_stages(data: Any) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    stages: list[tuple[str, dict[str, Any]]] = []
    source_labels = 0
    for scrape in data.get("scrape_configs", []) if isinstance(data, dict) else []:
        source_labels = len(lconv.KUBERNETES_LABELS) if "kubernetes_sd_configs" in scrape else 1
        for stage in scrape.get("pipeline_stages", []):
            ((name, settings),) = stage.items()
            stages.append((name, settings if isinstance(settings, dict) else {}))
    return stages, source_labels


class _Pipeline:
    """A validator over one agent's files; ``read`` finds the stages in its data."""

    def __init__(self, agent: str) -> None:
        self.agent = agent

    def check(self, sources: Sequence[Source], settings: Settings) -> Checked:
        result = Checked()
        for source in sources:
            path: Path = ()
            if self.agent == "alloy":
                if not isinstance(source.data, Document):
                    result.errors.append(
                        Diagnostic(source.locate(path, False), "not an Alloy document")
                    )
                    continue
                stages, labels = _alloy_stages(source.data)
            else:
                shape = _promtail_shape(source.data)
                if shape:
                    result.errors += [Diagnostic(source.locate(p, False), m, p) for p, m in shape]
                    continue
                stages, labels = _promtail_stages(source.data)
            for message in check_stages(stages, labels):
                result.errors.append(
                    Diagnostic(source.locate(path, False), f"{self.agent} pipeline: {message}")
                )
        return result


def _promtail_shape(data: Any) -> list[tuple[Path, str]]:
    from paladin_obs.validate.promtail_schema import shape_errors

    return shape_errors(data)


Alloy = _Pipeline("alloy")
Promtail = _Pipeline("promtail")
