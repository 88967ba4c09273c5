"""One resolved SLO as OpenSLO v1 documents: Service, SLI, SLO, alert conditions and policies.

Everything comes from the resolved model, so an export shows what
``generate`` builds (environment labels and overrides applied). The layout
per SLO, in one multi-document file so each file imports on its own:

- ``Service``: the service (its description from the spec);
- ``SLI``: ``ratioMetric`` on Prometheus queries with Sloth's ``{{.window}}``
  placeholder: ``bad``/``total`` for events SLIs (errors, classic latency),
  ``raw`` with ``rawType: failure`` for ratio SLIs (raw queries, native
  histograms);
- ``SLO``: ``indicatorRef``, one objective (``target = objective / 100``), a
  rolling ``timeWindow`` of the period, ``Occurrences`` budgeting;
- per enabled alert tier (page, ticket) two ``AlertCondition``/``AlertPolicy``
  pairs, one per multi-window clause (quick, slow): OpenSLO allows one
  condition per policy and one lookback window per condition, so the
  condition is ``burnrate`` over the clause's long window with the clause's
  burn-rate factor as threshold and the tier's ``for`` as ``alertAfter``; the
  short window and exact budget share are ``paladin-obs/`` annotations. The
  policy carries the alert's name (annotation), labels and annotations.
- the opt-in no-data alert: a policy with ``alertWhenNoData`` over the
  shortest window;
- one ``AlertNotificationTarget``, ``alertmanager``: the alerts are routed by
  Alertmanager on their labels.

What OpenSLO has no field for (rule mode, interval, custom windows, names it
cannot spell) is a ``paladin-obs/`` annotation, read back by the importer.
"""

from __future__ import annotations

import json
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.escape import go_template_unliteral
from paladin_obs.importers.openslo_common import (
    ALERT_NAME,
    ALERTMANAGER,
    BUDGET_PERCENT,
    INFO_LABELS,
    INTERVAL,
    MISSING_ERRORS,
    MODE,
    NAME,
    RECORDINGS,
    SHORT_WINDOW,
    TIER,
    TOTAL_QUERY,
    V1,
    WINDOWS,
    dns_name,
    percent_to_ratio,
    shorthand,
)
from paladin_obs.model import SLO, AlertWindows, BurnWindow, SLOAlert, render_query
from paladin_obs.resolve.slo_windows import BUILT_IN

_DAY = 86_400_000


class ExportError(ValueError):
    """An SLO that OpenSLO cannot carry (a window under a minute...)."""


def _doc(
    kind: str, name: str, spec: dict[str, Any], our_name: str = "", **meta: Any
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    annotations = dict(meta.pop("annotations", {}) or {})
    if our_name and our_name != name:
        annotations[NAME] = our_name
    for key, value in meta.items():
        if value:
            metadata[key] = value
    if annotations:
        metadata["annotations"] = dict(sorted(annotations.items()))
    return {"apiVersion": V1, "kind": kind, "metadata": metadata, "spec": spec}


def _source(query: str) -> dict[str, Any]:
    return {"metricSource": {"type": "Prometheus", "spec": {"query": query}}}


def _short(duration: Any, what: str) -> str:
    text = shorthand(duration)
    if text is None:
        raise ExportError(
            f"{what} {duration} cannot be written as an OpenSLO duration "
            "(a whole number of one unit: minutes, hours, days or weeks)"
        )
    return text


def _catalog(windows: AlertWindows) -> dict[str, Any]:
    def clause(c: BurnWindow) -> dict[str, Any]:
        percent = (
            int(c.budget_percent) if float(c.budget_percent).is_integer() else c.budget_percent
        )
        return {
            "error_budget_percent": percent,
            "short_window": str(c.short),
            "long_window": str(c.long),
        }

    return {
        "page": {"quick": clause(windows.page_quick), "slow": clause(windows.page_slow)},
        "ticket": {"quick": clause(windows.ticket_quick), "slow": clause(windows.ticket_slow)},
    }


def slo_documents(slo: SLO, service_description: str = "") -> list[dict[str, Any]]:
    """The OpenSLO documents of one SLO, in a fixed order."""
    base = slo.id
    service = dns_name(slo.service)
    sli_name = dns_name(base)
    docs = [
        _doc(
            "Service",
            service,
            {"description": service_description} if service_description else {},
            slo.service,
        )
    ]
    docs.append(_doc("SLI", sli_name, {"ratioMetric": _ratio(slo)}, annotations=_sli_notes(slo)))
    annotations: dict[str, str] = {MODE: slo.mode}
    if slo.interval is not None:
        annotations[INTERVAL] = str(slo.interval)
    if not slo.recordings:
        annotations[RECORDINGS] = "false"
    if slo.info_labels:
        annotations[INFO_LABELS] = json.dumps(slo.info_labels, sort_keys=True)
    catalog = _catalog(slo.windows)
    builtin = BUILT_IN.get(slo.period)
    if builtin is None or catalog != builtin:
        annotations[WINDOWS] = json.dumps(catalog, sort_keys=True)
    if slo.period.millis % _DAY:
        raise ExportError(f"period {slo.period} is not whole days")
    spec: dict[str, Any] = {}
    if slo.description:
        spec["description"] = slo.description
    spec.update(
        service=service,
        indicatorRef=sli_name,
        budgetingMethod="Occurrences",
        timeWindow=[{"duration": f"{slo.period.millis // _DAY}d", "isRolling": True}],
        objectives=[{"target": percent_to_ratio(slo.objective)}],
    )
    alert_docs: list[dict[str, Any]] = []
    policies: list[dict[str, str]] = []
    target = dns_name(base, ALERTMANAGER)
    for alert in slo.alerts:
        for condition, policy in _alert_docs(slo, alert, target):
            alert_docs.extend((condition, policy))
            policies.append({"alertPolicyRef": policy["metadata"]["name"]})
    if policies:
        spec["alertPolicies"] = policies
    docs.append(
        _doc("SLO", dns_name(slo.name), spec, slo.name, labels=slo.labels, annotations=annotations)
    )
    docs.extend(alert_docs)
    if policies:
        docs.append(
            _doc(
                "AlertNotificationTarget",
                target,
                {
                    "description": "Prometheus alerts, routed by Alertmanager on their labels (severity, sloth_severity).",
                    "target": ALERTMANAGER,
                },
            )
        )
    return docs


def _ratio(slo: SLO) -> dict[str, Any]:
    window = sconv.WINDOW_PLACEHOLDER
    sli = slo.sli
    if sli.kind == "events":
        return {
            "counter": True,
            "bad": _source(render_query(sli.errors, window)),
            "total": _source(render_query(sli.total, window)),
        }
    return {"rawType": "failure", "raw": _source(render_query(sli.ratio, window))}


def _plain(slo: SLO, values: dict[str, str]) -> dict[str, str]:
    """Guarded mode escaped literal text for Go templates; OpenSLO is not one.
    The description stays as it is: it is a template on purpose."""
    if slo.mode != "guarded":
        return dict(values)
    return {k: v if k == "description" else go_template_unliteral(v) for k, v in values.items()}


def _sli_notes(slo: SLO) -> dict[str, str]:
    """What the guard needs and OpenSLO's ratio cannot say."""
    sli = slo.sli
    if sli.kind == "events" and not sli.zero_without_errors:
        return {MISSING_ERRORS: "none"}
    if sli.kind == "ratio" and sli.total:
        return {TOTAL_QUERY: render_query(sli.total, sconv.WINDOW_PLACEHOLDER)}
    return {}


def _alert_docs(
    slo: SLO, alert: SLOAlert, target: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(AlertCondition, AlertPolicy) per clause of the tier."""
    after = _short(alert.for_, "for") if alert.for_ is not None else "0m"
    severity = alert.labels.get("severity") or sconv.TIER_SEVERITY[alert.tier]
    windows = slo.windows
    if alert.tier == "no_data":
        clauses = [("no-data", windows.page_quick)]
    elif alert.tier == "page":
        clauses = [("page-quick", windows.page_quick), ("page-slow", windows.page_slow)]
    else:
        clauses = [("ticket-quick", windows.ticket_quick), ("ticket-slow", windows.ticket_slow)]
    out = []
    for suffix, clause in clauses:
        name = dns_name(slo.id, suffix)
        no_data = alert.tier == "no_data"
        look = clause.short if no_data else clause.long
        condition_notes = (
            {}
            if no_data
            else {
                SHORT_WINDOW: str(clause.short),
                BUDGET_PERCENT: repr(float(clause.budget_percent)),
            }
        )
        what = "no SLI data" if no_data else f"burn rate over {clause.long} and {clause.short}"
        condition = _doc(
            "AlertCondition",
            name,
            {
                "description": f"{slo.id}: {alert.tier} alert, {what}.",
                "severity": severity,
                "condition": {
                    "kind": "burnrate",
                    "threshold": clause.factor,
                    "lookbackWindow": _short(look, "window"),
                    "alertAfter": after,
                },
            },
            annotations=condition_notes,
        )
        policy = _doc(
            "AlertPolicy",
            name,
            {
                "description": f"{alert.name} ({alert.tier}) of SLO {slo.id}.",
                "alertWhenNoData": no_data,
                "alertWhenResolved": False,
                "alertWhenBreaching": not no_data,
                "conditions": [{"conditionRef": name}],
                "notificationTargets": [{"targetRef": target}],
            },
            labels=_plain(slo, alert.labels),
            annotations={
                **_plain(slo, alert.annotations),
                ALERT_NAME: alert.name,
                TIER: alert.tier,
            },
        )
        out.append((condition, policy))
    return out
