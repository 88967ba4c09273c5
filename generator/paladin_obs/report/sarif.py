"""``--format sarif``: SARIF 2.1.0, the format GitHub code scanning uploads.

One run: the tool with one rule per rule id among the results (described by
``rules``: a lint check's own documentation, a drift kind's, or ``invalid``
for plain validity errors), then one result per problem and finding. Files
are URIs relative to the repository root under ``%SRCROOT%`` (declared in
``originalUriBaseIds``) so code scanning finds them in the checkout; a file
outside the repository becomes an absolute ``file:`` URI. Line and column
appear only when known (a drift finding gets the line its diff first
changes, ``where``); columns count characters (``unicodeCodePoints``), as
the loaders do. The summary and the exit code are the invocation's; the plan
of a dry run and the summary also go to standard error as text.
"""

from __future__ import annotations

import json
import urllib.parse
from functools import cache
from typing import Any

from paladin_obs import __version__
from paladin_obs.diagnostics import Diagnostic, format_path
from paladin_obs.report import Rendered, Report
from paladin_obs.report.paths import Repository
from paladin_obs.report.rules import describe, rule_id
from paladin_obs.report.text import for_people
from paladin_obs.report.where import located

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@cache
def information_uri() -> str | None:
    """The project's home page as its packaging declares it, if it does."""
    from importlib import metadata

    try:
        meta = metadata.metadata("paladin-obs")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    homes = meta.get_all("Home-page") or []
    return str(homes[0]) if homes else None


def _sentence(text: str) -> str:
    """A check's docstring text as a reader sees it: capitalised, ``code`` as `code`."""
    text = text.replace("``", "`")
    return text[:1].upper() + text[1:]


def _rule(rule: str) -> dict[str, Any]:
    text = describe(rule)
    full = _sentence(text.doc or text.summary)
    help_text = f"{full}\n\n`paladin-obs explain {rule}` prints this." if text.explained else full
    return {
        "id": rule,
        "shortDescription": {"text": _sentence(text.summary)},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[text.severity]},
    }


def _location(d: Diagnostic, repository: Repository) -> dict[str, Any]:
    relative = repository.relative(d.location.file)
    if relative is None:
        artifact = {"uri": repository.absolute(d.location.file).as_uri()}
    else:
        artifact = {"uri": urllib.parse.quote(relative, safe="/"), "uriBaseId": SRCROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if d.location.line > 0:
        region = {"startLine": d.location.line}
        if d.location.column > 0:
            region["startColumn"] = d.location.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if d.path:
        location["logicalLocations"] = [{"fullyQualifiedName": format_path(d.path)}]
    return location


def _result(d: Diagnostic, index: dict[str, int], repository: Repository) -> dict[str, Any]:
    rule = rule_id(d)
    text = d.message + (f" (at {format_path(d.path)})" if d.path else "")
    if d.detail:
        text += "\n" + d.detail.rstrip("\n")
    result: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": index[rule],
        "level": _LEVEL[d.severity],
        "message": {"text": text},
    }
    if d.location.file:
        result["locations"] = [_location(d, repository)]
    return result


def document(report: Report, repository: Repository) -> dict[str, Any]:
    everything = tuple(located(d) for d in (*report.problems, *report.findings))
    rules = sorted({rule_id(d) for d in everything})
    index = {rule: i for i, rule in enumerate(rules)}
    driver: dict[str, Any] = {"name": "paladin-obs", "version": __version__}
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [_rule(r) for r in rules]
    invocation: dict[str, Any] = {
        "executionSuccessful": report.exit_code in (0, 1),
        "exitCode": report.exit_code,
    }
    if report.summary:
        invocation["exitCodeDescription"] = report.summary
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": repository.root.as_uri().rstrip("/") + "/"}},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index, repository) for d in everything],
            }
        ],
    }


def render(report: Report, _command: str, repository: Repository | None = None) -> Rendered:
    repo = Repository.here() if repository is None else repository
    text = json.dumps(document(report, repo), indent=2, ensure_ascii=True)
    return Rendered(text + "\n", for_people(report))
