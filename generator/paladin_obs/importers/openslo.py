"""OpenSLO → our spec: v1, and v1alpha exactly as Sloth reads it.

Only what our rules can reproduce is accepted: ratio SLIs on Prometheus
queries, Occurrences budgeting, rolling windows of whole days, and burn-rate
alert policies of the shape we export (see ``openslo_alerts``). Anything else
is an error at the field, never silently dropped. v1alpha follows Sloth's
mapping to the letter (``<name>-<index>`` per objective, the good/total query
turned into Sloth's raw error-ratio text, ``target * 100`` as a float, alerts
off), so ``generate`` reproduces Sloth's rules for the same file.
"""

from __future__ import annotations

import json
import re
from typing import Any

from paladin_obs.conventions import slo as sconv
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.document import Document
from paladin_obs.durations import Duration, parse_duration
from paladin_obs.importers.openslo_alerts import AlertImport
from paladin_obs.importers.openslo_common import (
    INFO_LABELS,
    INTERVAL,
    MISSING_ERRORS,
    MODE,
    RECORDINGS,
    TOTAL_QUERY,
    V1,
    V1ALPHA,
    WINDOWS,
    Obj,
    parse_shorthand,
    ratio_to_percent,
    schema_errors,
    sloth_error_ratio,
)
from paladin_obs.importers.openslo_v1alpha import v1alpha_slos
from paladin_obs.loader import load_file_documents
from paladin_obs.resolve.slo_windows import BUILT_IN
from paladin_obs.spec_schema import validate_spec

_SERVICE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_SLO = re.compile(r"^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_WINDOW = re.compile(sconv.WINDOW_PLACEHOLDER_RE)
_DAY = 86_400_000


def load_openslo(path: str) -> dict[str, Any]:
    """Our spec data for an OpenSLO file; InputError with every problem, located."""
    return _Importer(path).run()


class _Importer:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[Diagnostic] = []
        self.objects: dict[tuple[str, str], Obj] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.windows: dict[str, tuple[dict[str, Any], Obj]] = {}
        self.recordings: list[tuple[bool, Obj]] = []
        self.version = ""
        #: Where each produced SLO came from, so the spec's problems point there.
        self.origins: dict[tuple[str, str], Location] = {}

    def run(self) -> dict[str, Any]:
        for doc in load_file_documents(self.path):
            if doc.data is not None:
                self._document(
                    Obj(doc, (), doc.data) if isinstance(doc.data, dict) else Obj(doc, (), {})
                )
        slos = [o for (kind, _), o in self.objects.items() if kind == "SLO"]
        if not slos and not self.errors:
            self.errors.append(
                Diagnostic(Location(self.path), "no OpenSLO SLO document in this file")
            )
        for slo in slos:
            if self.version == V1:
                self._slo_v1(slo)
            else:
                for name, objective, where, entry in v1alpha_slos(slo, self.errors):
                    self._add(
                        slo,
                        str(slo.get("spec", "service")),
                        ("spec", "service"),
                        name,
                        where,
                        objective,
                        entry,
                    )
        if self.errors:
            raise InputError(self.errors)
        spec = self._spec()
        problems = validate_spec(Document(self.path, spec))
        if problems:
            raise InputError([self._relocate(p) for p in problems])
        return spec

    def _relocate(self, problem: Diagnostic) -> Diagnostic:
        """A problem of the produced spec, at the source document it came from."""
        path = problem.path
        where = Location(self.path)
        if len(path) >= 4 and path[0] == "services" and path[2] == "slos":
            where = self.origins.get((str(path[1]), str(path[3])), where)
        elif len(path) >= 4 and path[:3] == ("defaults", "slos", "windows"):
            source = self.windows.get(str(path[3]))
            if source is not None:
                where = source[1].at((), "").location
        return Diagnostic(where, f"{problem.message}, in the spec made from this document", path)

    def _document(self, obj: Obj) -> None:
        if not obj.data:
            self.errors.append(
                obj.at((), "an OpenSLO document is a mapping: apiVersion, kind, metadata, spec")
            )
            return
        api = obj.data.get("apiVersion")
        if api not in (V1, V1ALPHA):
            self.errors.append(
                obj.at(
                    ("apiVersion",), f"apiVersion {api!r} is not supported; use {V1} or {V1ALPHA}"
                )
            )
            return
        if not self.version:
            self.version = str(api)
        elif api != self.version:
            self.errors.append(
                obj.at(
                    ("apiVersion",),
                    f"every document of the file must be {self.version}, as the first one",
                )
            )
            return
        if api == V1:
            problems = schema_errors(obj.doc)
            if problems:
                self.errors.extend(problems)
                return
        elif (
            obj.kind not in ("SLO", "Service")
            or not isinstance(obj.get("spec"), dict)
            or not obj.name
        ):
            self.errors.append(
                obj.at(
                    ("kind",),
                    f"{V1ALPHA}: expected kind SLO or Service with metadata.name and spec",
                )
            )
            return
        key = (obj.kind, obj.name)
        first = self.objects.get(key)
        if first is not None:
            line = first.doc.where(("metadata", "name")).line
            self.errors.append(
                obj.at(
                    ("metadata", "name"),
                    f"duplicate {obj.kind} {obj.name!r} (first at line {line})",
                )
            )
            return
        self.objects[key] = obj

    def lookup(self, kind: str, name: str) -> Obj | None:
        return self.objects.get((kind, name))

    def _err(
        self, obj: Obj, rel: tuple[str | int, ...], message: str, *, key: bool = False
    ) -> None:
        self.errors.append(obj.at(rel, message, key=key))

    # -- v1 ---------------------------------------------------------------

    def _slo_v1(self, slo: Obj) -> None:
        before = len(self.errors)
        spec = slo.sub("spec")
        method = spec.get("budgetingMethod")
        if method != "Occurrences":
            self._err(
                spec,
                ("budgetingMethod",),
                f"budgetingMethod {method}: only Occurrences (events over total) "
                "is supported; time-slice budgets have no equivalent in these rules",
            )
        period = self._period(spec)
        sli = self._indicator(slo)
        mode = slo.annotations.get(MODE, "sloth")
        if mode not in ("sloth", "guarded"):
            self._err(
                slo,
                ("metadata", "annotations", MODE),
                f"{MODE} must be sloth or guarded, not {mode!r}",
            )
            return
        objectives = []
        for i, objective in enumerate(spec.get("objectives") or []):
            at = ("objectives", i)
            for key in ("indicator", "indicatorRef", "compositeWeight"):
                if key in objective:
                    self._err(
                        spec,
                        (*at, key),
                        "composite SLOs (an indicator per objective) are not supported",
                    )
            for key in ("op", "value"):
                if key in objective:
                    self._err(
                        spec, (*at, key), f"{key} applies to thresholdMetric SLIs, not to ratios"
                    )
            for key in ("timeSliceTarget", "timeSliceWindow"):
                if key in objective:
                    self._err(
                        spec, (*at, key), "time-slice budgeting is not supported (Occurrences only)"
                    )
            if "target" in objective:
                objectives.append((ratio_to_percent(float(objective["target"])), (*at, "target")))
            else:
                objectives.append((float(objective["targetPercent"]), (*at, "targetPercent")))
        entry = self._slo_fields(slo, mode)
        alerting: dict[str, Any] = {}
        if period is not None and len(self.errors) == before:
            alerting, derived = AlertImport(self.lookup, self.errors, period, mode).run(slo)
            self._windows(slo, period, derived)
        if len(self.errors) != before or sli is None:
            return
        entry.update(sli=sli, alerting=alerting)
        if period is not None:
            entry = {"period": f"{period.millis // _DAY}d", **entry}
        base = slo.our_name()
        service_ref = str(spec.get("service"))
        service = self.lookup("Service", service_ref)
        svc_name = service.our_name() if service is not None else service_ref
        for i, (objective, where) in enumerate(objectives):
            name = base if len(objectives) == 1 else f"{base}-{i}"
            self._add(slo, svc_name, ("spec", "service"), name, ("spec", *where), objective, entry)

    def _period(self, spec: Obj) -> Duration | None:
        window = spec.get("timeWindow", 0)
        if window is None:
            return parse_duration(sconv.DEFAULT_PERIOD)
        if "calendar" in window:
            self._err(
                spec,
                ("timeWindow", 0, "calendar"),
                "calendar-aligned windows are not supported; "
                "SLO rules measure a rolling window (isRolling: true)",
            )
            return None
        parsed = parse_shorthand(str(window["duration"]))
        if isinstance(parsed, str) or parsed.millis % _DAY:
            why = parsed if isinstance(parsed, str) else "the period must be whole days"
            self._err(spec, ("timeWindow", 0, "duration"), why)
            return None
        return parsed

    def _indicator(self, slo: Obj) -> dict[str, Any] | None:
        ref = slo.get("spec", "indicatorRef")
        if ref is not None:
            sli = self.lookup("SLI", str(ref))
            if sli is None:
                self._err(slo, ("spec", "indicatorRef"), f"no SLI named {ref!r} in this file")
                return None
            spec = sli.sub("spec")
            notes = sli.annotations
        elif slo.get("spec", "indicator") is not None:
            spec = slo.sub("spec", "indicator", "spec")
            notes = slo.sub("spec", "indicator").annotations
        else:
            return None  # composite: reported with the objectives
        if "thresholdMetric" in spec.data:
            self._err(
                spec,
                ("thresholdMetric",),
                "thresholdMetric SLIs are not supported; use a ratioMetric",
            )
            return None
        ratio = spec.sub("ratioMetric")
        queries = {
            k: self._query(ratio.sub(k)) for k in ("good", "bad", "total", "raw") if k in ratio.data
        }
        if any(q is None for q in queries.values()):
            return None
        if "raw" in queries:
            raw = str(queries["raw"])
            query = raw if ratio.get("rawType") == "failure" else f"1 - ({raw})"
            out: dict[str, Any] = {"error_ratio_query": query}
            if TOTAL_QUERY in notes:
                out["total_query"] = str(notes[TOTAL_QUERY])
            return {"raw": out}
        if "good" in queries:
            return {
                "raw": {
                    "error_ratio_query": sloth_error_ratio(
                        str(queries["good"]), str(queries["total"])
                    )
                }
            }
        events: dict[str, Any] = {
            "errors": {"query": queries["bad"]},
            "total": {"query": queries["total"]},
        }
        if notes.get(MISSING_ERRORS) == "none":
            events["missing_errors"] = "none"
        return {"events": events}

    def _query(self, metric: Obj) -> str | None:
        source = metric.sub("metricSource")
        kind = source.get("type")
        ref = source.get("metricSourceRef")
        if ref is not None:
            data_source = self.lookup("DataSource", str(ref))
            if data_source is None:
                self._err(source, ("metricSourceRef",), f"no DataSource named {ref!r} in this file")
                return None
            kind = kind or data_source.get("spec", "type")
        if str(kind).lower() != "prometheus":
            self._err(
                source,
                ("type",) if "type" in source.data else ("metricSourceRef",),
                f"metric source type {kind!r}: only Prometheus queries can become Prometheus rules",
            )
            return None
        extra = sorted(k for k in source.get("spec") if k != "query")
        if extra:
            self._err(
                source,
                ("spec", extra[0]),
                f"unsupported metric source field {extra[0]!r}; only query is used",
                key=True,
            )
            return None
        query = source.get("spec", "query")
        if not isinstance(query, str) or not _WINDOW.search(query):
            self._err(
                source,
                ("spec", "query"),
                "needs a PromQL query with Sloth's {{.window}} placeholder "
                "where the range goes, e.g. sum(rate(x[{{.window}}]))",
            )
            return None
        return query

    def _slo_fields(self, slo: Obj, mode: str) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        description = slo.get("spec", "description")
        if description:
            entry["description"] = description
        if mode == "guarded":
            entry["mode"] = "guarded"
        labels = {}
        for key, value in slo.labels.items():
            where = ("metadata", "labels", key)
            if not isinstance(value, str):
                self._err(
                    slo,
                    where,
                    "a label value must be one string, not a list (it becomes a Prometheus label)",
                )
            elif not _LABEL.match(key):
                self._err(
                    slo,
                    where,
                    f"{key!r} is not a Prometheus label name (letters, digits, _)",
                    key=True,
                )
            elif key in sconv.RESERVED_LABELS:
                self._err(slo, where, f"label {key!r} is set by the SLO rules", key=True)
            else:
                labels[key] = value
        if labels:
            entry["labels"] = labels
        extra = self._json(slo, INFO_LABELS) or {}
        if MODE in slo.annotations:
            # Our own export: the SLO's provenance travels with it, so the round
            # trip gives the same sloth_slo_info.
            if extra:
                entry["info_labels"] = extra
        else:
            entry["info_labels"] = {
                **extra,
                sconv.MODE_LABEL: "cli-gen-openslo",
                sconv.SPEC_LABEL: V1,
            }
        interval = slo.annotations.get(INTERVAL)
        if interval is not None:
            try:
                entry["interval"] = str(parse_duration(str(interval)))
            except ValueError as exc:
                self._err(slo, ("metadata", "annotations", INTERVAL), str(exc))
        recordings = slo.annotations.get(RECORDINGS)
        if recordings is not None:
            if recordings not in ("true", "false"):
                self._err(
                    slo,
                    ("metadata", "annotations", RECORDINGS),
                    f"{RECORDINGS} must be true or false",
                )
            self.recordings.append((recordings != "false", slo))
        return entry

    def _json(self, slo: Obj, key: str) -> dict[str, Any] | None:
        text = slo.annotations.get(key)
        if text is None:
            return None
        try:
            value = json.loads(str(text))
        except ValueError:
            value = None
        if not isinstance(value, dict):
            self._err(slo, ("metadata", "annotations", key), f"{key} must be a JSON object")
            return None
        return value

    def _windows(self, slo: Obj, period: Duration, derived: dict[str, Any]) -> None:
        """The SLO's window catalog: the annotation, else what the conditions
        say (other tiers built in); registered when it is not the built-in one."""
        builtin = BUILT_IN.get(period)
        catalog = self._json(slo, WINDOWS)
        where: tuple[str | int, ...] = ("metadata", "annotations", WINDOWS)
        if catalog is None and derived:
            missing = [t for t in ("page", "ticket") if t not in derived]
            if missing and builtin is None:
                self._err(
                    slo,
                    ("spec", "alertPolicies"),
                    f"no {missing[0]} burn-rate policies, and no built-in "
                    f"windows for a {period} period to fill in (built in: 30d, 28d)",
                )
                return
            catalog = {**(builtin or {}), **derived}
            where = ("spec", "alertPolicies")
        if catalog is None:
            if builtin is None:
                self._err(
                    slo,
                    ("spec", "timeWindow", 0, "duration"),
                    f"no alert windows for a {period} period: "
                    f"built in are 30d and 28d; give burn-rate alert policies, or the {WINDOWS} annotation",
                )
            return
        if builtin is not None and _same(catalog, builtin):
            return
        text = f"{period.millis // _DAY}d"
        first = self.windows.get(text)
        if first is not None and not _same(first[0], catalog):
            line = first[1].doc.where(first[1].base).line
            self._err(
                slo,
                where,
                f"SLOs with a {text} period need different alert windows (the SLO at line "
                f"{line} has others); the spec keeps one window catalog per period",
            )
            return
        self.windows[text] = (catalog, slo)

    def _add(
        self,
        slo: Obj,
        service: str,
        service_at: tuple[str | int, ...],
        name: str,
        where: tuple[str | int, ...],
        objective: float,
        entry: dict[str, Any],
    ) -> None:
        if not _SERVICE.match(service):
            self._err(
                slo,
                service_at,
                f"service name {service!r} must be a slug: lowercase letter first, "
                "then letters, digits, '_' or '-' (at most 63)",
            )
            return
        if not _SLO.match(name):
            self._err(
                slo, ("metadata", "name"), f"SLO name {name!r} is not a valid paladin-obs SLO name"
            )
            return
        self.origins[(service, name)] = slo.at(("metadata", "name"), "").location
        svc = self.services.setdefault(service, {})
        described = self.lookup("Service", str(slo.get("spec", "service")))
        if (
            described is not None
            and described.get("spec", "description")
            and "description" not in svc
        ):
            svc["description"] = described.get("spec", "description")
        slos = svc.setdefault("slos", {})
        if name in slos:
            self._err(
                slo, ("metadata", "name"), f"service {service} already has an SLO named {name!r}"
            )
            return
        first = {k: entry[k] for k in ("description",) if k in entry}
        slos[name] = {
            **first,
            "objective": objective,
            **{k: v for k, v in entry.items() if k != "description"},
        }
        if not 0 < objective < 100:
            self._err(slo, where, f"objective {objective}% must be between 0 and 100")

    def _spec(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {"mode": "sloth"}
        kept = {value for value, _ in self.recordings}
        if len(kept) > 1:
            _, obj = next(r for r in self.recordings if not r[0])
            raise InputError(
                [
                    obj.at(
                        ("metadata", "annotations", RECORDINGS),
                        "SLOs of one spec either all have "
                        "recording rules or none (defaults.slos.recordings)",
                    )
                ]
            )
        if kept == {False}:
            defaults["recordings"] = False
        if self.windows:
            defaults["windows"] = {
                period: catalog for period, (catalog, _) in sorted(self.windows.items())
            }
        return {"version": 1, "defaults": {"slos": defaults}, "services": self.services}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two window catalogs mean the same windows and budget shares."""
    try:
        for tier in ("page", "ticket"):
            for speed in ("quick", "slow"):
                x, y = a[tier][speed], b[tier][speed]
                if float(x["error_budget_percent"]) != float(y["error_budget_percent"]):
                    return False
                for key in ("short_window", "long_window"):
                    if parse_duration(str(x[key])) != parse_duration(str(y[key])):
                        return False
    except (KeyError, TypeError, ValueError):
        return False
    return True
