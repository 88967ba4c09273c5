"""What each rule id a report can carry means, for formats that describe rules (SARIF).

Lint checks describe themselves (``lint.registry``, which ``explain`` prints);
the drift kinds of ``check`` and ``generate`` are not lint checks, so their
descriptions live here; and a plain validity error has no check id at all
(nothing can suppress it), so it gets one stable id, ``invalid``, which no
check can take: check ids always have a ``/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from paladin_obs.diagnostics import Diagnostic, Severity

#: The rule id of findings and problems without a check id.
INVALID = "invalid"


@dataclass(frozen=True)
class RuleText:
    id: str
    severity: Severity
    summary: str
    doc: str
    #: Whether ``paladin-obs explain`` knows it (lint checks do).
    explained: bool = False


_GENERATE = "Run paladin-obs generate and commit the result with the spec."

_OWN: dict[str, tuple[str, str]] = {
    INVALID: (
        "the input is invalid: Prometheus, Loki or Grafana would refuse to load it, or "
        "paladin-obs cannot use it.",
        "Plain validity errors (a YAML syntax error, an unknown key, a PromQL parse error, a "
        "bad template) have no check id and no opt-out: the file must be fixed.",
    ),
    "drift/missing": (
        "a file the spec generates is not on disk.",
        f"The spec produces this file but the repository does not have it. {_GENERATE}",
    ),
    "drift/stale": (
        "a generated file no longer matches the spec: the spec changed since it was generated.",
        f"The committed file is what an older spec generated. {_GENERATE}",
    ),
    "drift/orphaned": (
        "a file this spec generated before is no longer produced.",
        "The spec no longer generates it (or an interrupted generate left it behind). Run "
        "paladin-obs generate to remove it, and commit the removal.",
    ),
    "drift/edited": (
        "a generated file was edited by hand.",
        "The next generate would discard the edit. Move the change into the spec and run "
        "paladin-obs generate, or run paladin-obs generate --force to discard it.",
    ),
    "drift/conflict": (
        "a file this spec did not generate stands where the spec generates one.",
        "paladin-obs never replaces a file it cannot prove it generated. Move or delete the "
        "file, or change the spec's output path.",
    ),
}


def rule_id(d: Diagnostic) -> str:
    return d.check or INVALID


def describe(rule: str) -> RuleText:
    """The rule's text; an id nobody documented still gets a usable entry."""
    own = _OWN.get(rule)
    if own is not None:
        return RuleText(rule, "error", own[0], own[1])
    from paladin_obs.lint.registry import checks

    info = checks().get(rule)
    if info is None:
        return RuleText(rule, "error", rule, "")
    return RuleText(rule, info.severity, info.summary, info.doc, explained=True)
