"""An SLO's alert tiers: page, ticket and the opt-in no-data alert.

In ``sloth`` mode an alert is exactly Sloth's (its ``title`` and ``summary``
annotations, the user's labels, ``sloth_severity``), so dashboards and routes
built on Sloth keep working. In ``guarded`` mode every SLO alert also meets the
conventions of the spec's other alerts (severity, static summary, templated
description, runbook, alert and environment labels): a page from an SLO must be
as actionable as any other page.
"""

from __future__ import annotations

import re
from typing import Any

from paladin_obs import conventions as conv
from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Path
from paladin_obs.escape import go_template_literal
from paladin_obs.gofloat import go_g
from paladin_obs.model import SLOAlert, SLOMode, SLOTier
from paladin_obs.resolve.alerts import runbook
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.resolve.overlay import Field

_ALERT_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,127}$")
TIERS: tuple[SLOTier, ...] = ("page", "ticket", "no_data")


def _camel(text: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^A-Za-z0-9]+", text) if p)


def default_name(service: str, slo: str) -> str:
    return f"{_camel(service)}{_camel(slo)}SLO"


def merged_tier(
    raw: dict[str, Any], tier: SLOTier, path: Path, override: dict[str, Any], opath: Path
) -> dict[str, Field]:
    """The tier's fields with the environment's override on top (labels and
    annotations merge key by key), each with the path it came from."""
    tpath = (*path, "alerting", tier)
    own = raw.get("alerting", {}).get(tier, {})
    fields = {k: Field(v, (*tpath, k)) for k, v in own.items()}
    for key, value in override.get("alerting", {}).get(tier, {}).items():
        where = (*opath, "alerting", tier, key)
        if key in ("labels", "annotations") and key in fields:
            fields[key] = Field({**fields[key].value, **value}, where)
        else:
            fields[key] = Field(value, where)
    return fields


def build_alerts(
    res: Resolution,
    scope: ServiceScope,
    slo: dict[str, Any],
    name: str,
    path: Path,
    override: dict[str, Any],
    opath: Path,
    mode: SLOMode,
    facts: dict[str, str],
) -> tuple[SLOAlert, ...]:
    """Every enabled tier; problems reported, invalid tiers left out."""
    alerting = slo.get("alerting", {})
    apath = (*path, "alerting")
    if mode == "sloth":
        _refuse_conventions(res, alerting, apath, slo, path, override, opath)
    out = []
    for tier in TIERS:
        fields = merged_tier(slo, tier, path, override, opath)
        enabled = fields["enabled"].value if "enabled" in fields else tier != "no_data"
        if not enabled:
            continue
        base = alerting.get("name") or default_name(scope.service, name)
        alert_name = (
            fields["name"].value
            if "name" in fields
            else base + ("NoData" if tier == "no_data" else "")
        )
        name_path = (
            fields["name"].path if "name" in fields else (apath if "alerting" in slo else path)
        )
        if not _ALERT_NAME.match(alert_name):
            res.err(
                name_path,
                f"alert name {alert_name!r} is not a valid alert name (letters, digits, _; at most 128); set alerting.name",
            )
            continue
        location = res.doc.where(
            fields["name"].path if "name" in fields else path, key="name" not in fields
        )
        for_ = res.duration(fields["for"].value, fields["for"].path) if "for" in fields else None
        if tier == "no_data" and "for" not in fields:
            for_ = res.duration("10m", path)
        labels = {
            **alerting.get("labels", {}),
            **(fields["labels"].value if "labels" in fields else {}),
        }
        notes = {
            **alerting.get("annotations", {}),
            **(fields["annotations"].value if "annotations" in fields else {}),
        }
        for key in labels:
            if key in sconv.RESERVED_LABELS and key != sconv.SEVERITY_LABEL:
                res.err(
                    fields["labels"].path if "labels" in fields else (*apath, "labels"),
                    f"label {key!r} is set by the SLO rules; remove it",
                )
        built: tuple[dict[str, str], dict[str, str]] | None
        if mode == "sloth":
            built = _sloth(tier, labels, notes)
        else:
            built = _guarded(
                res, scope, alerting, fields, tier, alert_name, labels, notes, apath, facts
            )
        if built is None:
            continue
        out.append(SLOAlert(tier, alert_name, for_, built[0], built[1], location))
    return tuple(out)


#: Fields of our alert conventions: Sloth's alerts have none of them.
_CONVENTION_FIELDS = ("severity", "summary", "description", "runbook_url")


def _refuse_conventions(
    res: Resolution,
    alerting: dict[str, Any],
    apath: Path,
    slo: dict[str, Any],
    path: Path,
    override: dict[str, Any],
    opath: Path,
) -> None:
    """In sloth mode these fields would be dropped without a word: refuse them."""
    found = [(*apath, k) for k in _CONVENTION_FIELDS if k in alerting]
    for tier in TIERS:
        found += [
            f.path
            for k, f in merged_tier(slo, tier, path, override, opath).items()
            if k in _CONVENTION_FIELDS
        ]
    for where in found:
        res.err(
            where,
            f"{where[-1]} applies to guarded mode; in sloth mode alerts are exactly Sloth's "
            "(set labels and annotations instead, or mode: guarded)",
            key=True,
        )


def _sloth(
    tier: SLOTier, labels: dict[str, str], notes: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    svc, slo = f"{{{{$labels.{sconv.SERVICE_LABEL}}}}}", f"{{{{$labels.{sconv.SLO_LABEL}}}}}"
    if tier == "no_data":
        extra = {
            "title": f"(no data) {svc} {slo} SLO has no SLI data.",
            "summary": f"{svc} {slo} SLO error budget cannot be measured: its SLI records nothing.",
        }
    else:
        extra = {
            "title": f"({tier}) {svc} {slo} SLO error budget burn rate is too fast.",
            "summary": f"{svc} {slo} SLO error budget burn rate is over expected.",
        }
    out_labels: dict[str, str] = {} if tier == "no_data" else {sconv.SEVERITY_LABEL: tier}
    out_labels.update(labels)
    return dict(sorted(out_labels.items())), dict(sorted({**extra, **notes}.items()))


def _guarded(
    res: Resolution,
    scope: ServiceScope,
    alerting: dict[str, Any],
    fields: dict[str, Field],
    tier: SLOTier,
    alert_name: str,
    labels: dict[str, str],
    notes: dict[str, str],
    apath: Path,
    facts: dict[str, str],
) -> tuple[dict[str, str], dict[str, str]] | None:
    severity = fields["severity"].value if "severity" in fields else sconv.TIER_SEVERITY[tier]
    sources = (res.defaults.get("alert_labels", {}), scope.env.labels, labels)
    out_labels = {k: go_template_literal(v) for source in sources for k, v in source.items()}
    out_labels[conv.SEVERITY_LABEL] = severity
    if tier != "no_data":
        out_labels[sconv.SEVERITY_LABEL] = tier
    for reserved in (conv.SUMMARY, conv.DESCRIPTION, conv.RUNBOOK_URL):
        if reserved in notes:
            res.err(
                (*apath, "annotations"),
                f"set {reserved} as a field of alerting (or of the tier), not under annotations",
            )
            return None
    summary_f = fields.get("summary") or _field(alerting, "summary", apath)
    if summary_f is not None:
        summary = summary_f.value
        if "{{" in summary:
            res.err(
                summary_f.path,
                "summary must be static text (no {{ }}); put templated text in description",
            )
            return None
        if not summary.endswith("."):
            res.err(
                summary_f.path, f"summary must be one sentence ending with a period: {summary!r}"
            )
            return None
        summary = go_template_literal(summary)
    else:
        summary = _default_summary(tier, facts)
    description_f = fields.get("description") or _field(alerting, "description", apath)
    if description_f is not None:
        description = description_f.value
        if "{{" not in description:
            res.err(
                description_f.path,
                "description must be a Go template that uses $labels or $value, so the page says which series fired",
            )
            return None
    else:
        description = _default_description(tier, facts)
    annotations = {**notes, conv.SUMMARY: summary, conv.DESCRIPTION: description}
    link = runbook(
        res, scope, alert_name, fields.get("runbook_url") or _field(alerting, "runbook_url", apath)
    )
    if not link:
        res.err(
            apath,
            "SLO alert has no runbook_url: set one under alerting, or defaults.runbook_url with {alert}",
        )
        return None
    annotations[conv.RUNBOOK_URL] = link
    return dict(sorted(out_labels.items())), dict(sorted(annotations.items()))


def _field(raw: dict[str, Any], key: str, path: Path) -> Field | None:
    return Field(raw[key], (*path, key)) if key in raw else None


def _default_summary(tier: SLOTier, facts: dict[str, str]) -> str:
    who = go_template_literal(f"{facts['service']} {facts['slo']}")
    if tier == "no_data":
        return f"The {who} SLO has no SLI data, so its error budget cannot be measured."
    speed = "fast enough to page" if tier == "page" else "faster than it can last the period"
    return f"The {who} SLO is burning its error budget {speed}."


def _default_description(tier: SLOTier, facts: dict[str, str]) -> str:
    slo = f"{{{{ $labels.{sconv.SERVICE_LABEL} }}}}/{{{{ $labels.{sconv.SLO_LABEL} }}}}"
    if tier == "no_data":
        return (
            f"{slo} recorded no {facts['window']} SLI: no traffic, or the SLI's metrics are gone. "
            "Its burn-rate alerts cannot fire until data returns."
        )
    return (
        f"{slo}: error ratio {{{{ $value | humanizePercentage }}}} against an error budget of "
        f"{facts['budget']} ({facts['objective']}% over {facts['period']}); at this rate the budget "
        f"runs out {'within days' if tier == 'page' else 'before the period ends'}."
    )


def facts_of(service: str, slo: str, objective: float, period: str, window: str) -> dict[str, str]:
    """Values the default texts quote; computed once per SLO."""
    budget = go_g(round(100 - objective, 10))
    return {
        "service": service,
        "slo": slo,
        "objective": go_g(objective),
        "budget": f"{budget}%",
        "period": period,
        "window": window,
    }
