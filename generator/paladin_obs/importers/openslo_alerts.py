"""OpenSLO v1 alert policies → our SLO alerting and burn-window catalog.

Our alerts are Sloth's multi-window multi-burn-rate alerts: a page and a
ticket tier, each firing when either of two clauses (quick, slow) burns too
fast over both of its windows, plus an opt-in no-data alert. OpenSLO allows
one condition per policy and one lookback window per condition, so one clause
is one policy whose condition's ``lookbackWindow`` is the clause's long window
(the short one is an annotation, else a twelfth of the long one, the
convention of Sloth and the SRE workbook). A tier is therefore exactly two
burn-rate policies; any other shape is refused at the field that breaks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Diagnostic
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.importers.openslo_common import (
    ALERT_NAME,
    ALERTMANAGER,
    BUDGET_PERCENT,
    SHORT_WINDOW,
    TIER,
    Obj,
    parse_shorthand,
)
from paladin_obs.resolve.slo_windows import factor

_HOUR = 3_600_000
_SEVERITY_TIER = {"page": "page", "critical": "page", "ticket": "ticket", "warning": "ticket"}
_FIELDS = ("summary", "description", "runbook_url")

Lookup = Callable[[str, str], Obj | None]


@dataclass
class _Policy:
    obj: Obj
    tier: str
    alert: dict[str, Any]
    condition: Obj
    long: Duration | None = None
    clause: dict[str, Any] = field(default_factory=dict)


class AlertImport:
    """Turns one SLO's ``alertPolicies`` into ``alerting`` and, when the
    conditions describe them, its burn windows; problems go to ``errors``."""

    def __init__(
        self, lookup: Lookup, errors: list[Diagnostic], period: Duration, mode: str
    ) -> None:
        self.lookup = lookup
        self.errors = errors
        self.period = period
        self.mode = mode

    def run(self, slo: Obj) -> tuple[dict[str, Any], dict[str, Any]]:
        """``alerting`` for the spec, and the window clauses found, by tier."""
        policies: list[_Policy] = []
        failed = False
        for i, item in enumerate(slo.get("spec", "alertPolicies") or []):
            ref = item.get("alertPolicyRef") if isinstance(item, dict) else None
            if ref is not None:
                obj = self._find(
                    slo, ("spec", "alertPolicies", i, "alertPolicyRef"), "AlertPolicy", ref
                )
            else:
                obj = slo.sub("spec", "alertPolicies", i)
            policy = self._policy(obj) if obj is not None else None
            if policy is None:
                failed = True
            else:
                policies.append(policy)
        alerting: dict[str, Any] = {}
        windows: dict[str, Any] = {}
        if failed:
            return alerting, windows  # the tiers' shape would only repeat the problem
        for tier in ("page", "ticket", "no_data"):
            mine = [p for p in policies if p.tier == tier]
            if tier == "no_data":
                if len(mine) > 1:
                    self._err(
                        mine[1].obj,
                        ("metadata", "name"),
                        "only one no-data policy (alertWhenNoData) per SLO",
                    )
                if mine:
                    alerting[tier] = {"enabled": True, **mine[0].alert}
                continue
            if not mine:
                alerting[tier] = {"enabled": False}
                continue
            if len(mine) != 2:
                self._err(
                    mine[-1].obj,
                    ("metadata", "name"),
                    f"the {tier} alert needs exactly two burn-rate policies, quick and slow "
                    f"(multi-window multi-burn-rate alerts); found {len(mine)}",
                )
                continue
            quick, slow = sorted(mine, key=lambda p: p.long or Duration(0))
            if quick.long == slow.long:
                self._err(
                    slow.condition,
                    ("spec", "condition", "lookbackWindow"),
                    f"both {tier} policies look back {slow.long}; the quick and slow clauses need different windows",
                )
                continue
            if quick.alert != slow.alert:
                self._err(
                    slow.obj,
                    ("metadata",),
                    f"the two {tier} policies describe different alerts (alert name, labels, annotations "
                    "or alertAfter differ); they are one Prometheus alert and must agree",
                )
                continue
            alerting[tier] = quick.alert
            windows[tier] = {"quick": quick.clause, "slow": slow.clause}
        return alerting, windows

    def _err(
        self, obj: Obj, rel: tuple[str | int, ...], message: str, *, key: bool = False
    ) -> None:
        self.errors.append(obj.at(rel, message, key=key))

    def _find(self, holder: Obj, rel: tuple[str | int, ...], kind: str, name: Any) -> Obj | None:
        found = self.lookup(kind, str(name))
        if found is None:
            self._err(holder, rel, f"no {kind} named {name!r} in this file")
        return found

    def _policy(self, obj: Obj) -> _Policy | None:
        spec = obj.sub("spec")
        ok = True
        if spec.get("alertWhenResolved"):
            self._err(
                spec,
                ("alertWhenResolved",),
                "resolved notifications are Alertmanager's (send_resolved), "
                "not the rule's: remove alertWhenResolved and configure it in Alertmanager",
            )
            ok = False
        breaching, no_data = bool(spec.get("alertWhenBreaching")), bool(spec.get("alertWhenNoData"))
        if breaching and no_data:
            self._err(
                spec,
                ("alertWhenNoData",),
                "a policy alerts on burn rate (alertWhenBreaching) or on missing "
                "data (alertWhenNoData), not both: they are separate alerts here; split the policy",
            )
            ok = False
        elif not breaching and not no_data:
            self._err(
                spec,
                ("alertWhenBreaching",),
                "this policy never alerts: set alertWhenBreaching (burn rate) "
                "or alertWhenNoData (missing data)",
            )
            ok = False
        for j, item in enumerate(spec.get("notificationTargets") or []):
            ref = item.get("targetRef") if isinstance(item, dict) else None
            if ref is not None:
                target = self._find(
                    spec, ("notificationTargets", j, "targetRef"), "AlertNotificationTarget", ref
                )
            else:
                target = spec.sub("notificationTargets", j)
            if target is not None and str(target.get("spec", "target")).lower() != ALERTMANAGER:
                self._err(
                    target,
                    ("spec", "target"),
                    f"notification target {target.get('spec', 'target')!r}: "
                    "these alerts are Prometheus rules, routed by Alertmanager on their labels; use target: "
                    "alertmanager and route in Alertmanager's configuration",
                )
                ok = False
        item = (spec.get("conditions") or [None])[0]
        ref = item.get("conditionRef") if isinstance(item, dict) else None
        if ref is not None:
            condition = self._find(spec, ("conditions", 0, "conditionRef"), "AlertCondition", ref)
        else:
            condition = spec.sub("conditions", 0)
        if condition is None or not ok:
            return None
        tier = self._tier(obj, condition, no_data)
        after = self._duration(condition, ("spec", "condition", "alertAfter"))
        if tier is None or after is False:
            return None
        alert = self._alert(obj, tier, after)
        if alert is None:
            return None
        policy = _Policy(obj, tier, alert, condition)
        if tier != "no_data" and not self._clause(policy):
            return None
        return policy

    def _tier(self, policy: Obj, condition: Obj, no_data: bool) -> str | None:
        given = policy.annotations.get(TIER)
        if given is not None:
            if given not in ("page", "ticket", "no_data") or (given == "no_data") != no_data:
                self._err(
                    policy,
                    ("metadata", "annotations", TIER),
                    f"{TIER} {given!r} must be page or ticket (alertWhenBreaching), or no_data (alertWhenNoData)",
                )
                return None
            return str(given)
        if no_data:
            return "no_data"
        severity = str(condition.get("spec", "severity"))
        tier = _SEVERITY_TIER.get(severity.lower())
        if tier is None:
            self._err(
                condition,
                ("spec", "severity"),
                f"severity {severity!r}: cannot tell whether this is the page or the ticket alert; use "
                f"page or ticket (or critical, warning), or annotate the policy with {TIER}",
            )
        return tier

    def _duration(self, obj: Obj, rel: tuple[str, ...]) -> Duration | bool | None:
        """A shorthand as a Duration (None for 0), or False when reported."""
        parsed = parse_shorthand(str(obj.get(*rel)))
        if isinstance(parsed, str):
            self._err(obj, rel, parsed)
            return False
        return parsed if parsed.millis else None

    def _alert(
        self, policy: Obj, tier: str, after: Duration | bool | None
    ) -> dict[str, Any] | None:
        """The tier's fields, undoing what the rule mode adds (conventions are
        applied again when the spec is resolved)."""
        out: dict[str, Any] = {}
        name = policy.annotations.get(ALERT_NAME)
        if name is not None:
            out["name"] = name
        if isinstance(after, Duration):
            out["for"] = str(after)
        labels: dict[str, str] = {}
        for key, value in policy.labels.items():
            if not isinstance(value, str):
                self._err(
                    policy,
                    ("metadata", "labels", key),
                    "an alert label value must be one string, not a list",
                )
                return None
            if not re.match(r"^[a-zA-Z_][a-zA-Z0-9_]*$", key):
                self._err(
                    policy,
                    ("metadata", "labels", key),
                    f"{key!r} is not a Prometheus label name",
                    key=True,
                )
                return None
            labels[key] = value
        labels.pop(sconv.SEVERITY_LABEL, None)
        notes = {k: v for k, v in policy.annotations.items() if "/" not in k}
        if self.mode == "guarded":
            if "severity" in labels:
                out["severity"] = labels.pop("severity")
            for key in _FIELDS:
                if key in notes:
                    out[key] = notes.pop(key)
        if labels:
            out["labels"] = dict(sorted(labels.items()))
        if notes:
            out["annotations"] = dict(sorted(notes.items()))
        return out

    def _clause(self, policy: _Policy) -> bool:
        cond = policy.condition
        spec = ("spec", "condition")
        if cond.get(*spec, "kind") not in (None, "burnrate"):
            self._err(cond, (*spec, "kind"), "only burnrate conditions are supported")
            return False
        long = self._duration(cond, (*spec, "lookbackWindow"))
        if not isinstance(long, Duration):
            if long is None:
                self._err(
                    cond, (*spec, "lookbackWindow"), "the lookback window must be longer than 0"
                )
            return False
        short_text = cond.annotations.get(SHORT_WINDOW)
        short = Duration(long.millis // 12)
        if short_text is not None:
            try:
                short = parse_duration(str(short_text))
            except ValueError as exc:
                self._err(cond, ("metadata", "annotations", SHORT_WINDOW), str(exc))
                return False
        threshold = float(cond.get(*spec, "threshold"))
        derived = threshold * (long.millis / _HOUR) * 100 / (self.period.millis / _HOUR)
        percent = round(derived, 9)
        given = cond.annotations.get(BUDGET_PERCENT)
        if given is not None:
            try:
                percent = float(given)
            except ValueError:
                self._err(
                    cond, ("metadata", "annotations", BUDGET_PERCENT), f"{given!r} is not a number"
                )
                return False
            if abs(factor(self.period, percent, long) - threshold) > 1e-9 * max(1.0, threshold):
                self._err(
                    cond,
                    (*spec, "threshold"),
                    f"threshold {threshold} is not the burn rate of "
                    f"{percent}% of the budget over {long} in a {self.period} period",
                )
                return False
        policy.long = long
        policy.clause = {
            "error_budget_percent": int(percent) if percent.is_integer() else percent,
            "short_window": str(short),
            "long_window": str(long),
        }
        return True
