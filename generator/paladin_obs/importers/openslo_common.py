"""What the OpenSLO importer and exporter agree on: names, annotations, durations, schema.

OpenSLO v1 has no field for several things our rules depend on (rule mode,
custom burn windows, the short window of a multi-window clause, names with
``_`` or ``.``). The exporter writes them as ``paladin-obs/...`` annotations
(implementation metadata, which is what OpenSLO annotations are for) and the
importer reads them back, so export → import reproduces the same rules; files
written by other tools simply lack them and get Sloth's conventions.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.diagnostics import Path as DocPath
from paladin_obs.document import Document
from paladin_obs.durations import Duration
from paladin_obs.spec_schema import _diagnostics

V1 = "openslo/v1"
V1ALPHA = "openslo/v1alpha"

PREFIX = "paladin-obs/"
#: Our name of an object whose OpenSLO name had to be changed (``_``, ``.``, length).
NAME = PREFIX + "name"
#: SLO: rule mode (guarded or sloth).
MODE = PREFIX + "mode"
#: SLO: rule-group interval.
INTERVAL = PREFIX + "interval"
#: SLO: "false" when only alerts are generated.
RECORDINGS = PREFIX + "recordings"
#: SLO: extra sloth_slo_info labels, as a JSON object.
INFO_LABELS = PREFIX + "info-labels"
#: SLO: the alert window catalog when it is not the built-in one, as JSON.
WINDOWS = PREFIX + "windows"
#: SLI: "none" when an events SLI records nothing, not 0, while its errors
#: query returns nothing (latency SLIs: the errors come from the histogram).
MISSING_ERRORS = PREFIX + "missing-errors"
#: SLI: the traffic query of a raw ratio (native histograms): the guard records
#: the ratio only while there is traffic. OpenSLO's raw ratio has no total.
TOTAL_QUERY = PREFIX + "total-query"
#: AlertPolicy: page, ticket or no_data.
TIER = PREFIX + "tier"
#: AlertPolicy: the Prometheus alert name (OpenSLO names cannot be CamelCase).
ALERT_NAME = PREFIX + "alert-name"
#: AlertCondition: the short window of the clause (lookbackWindow is the long one).
SHORT_WINDOW = PREFIX + "short-window"
#: AlertCondition: the share of the budget the clause alerts on (exact, where
#: the threshold is a derived float).
BUDGET_PERCENT = PREFIX + "error-budget-percent"

#: Notification target we export: alerts are routed by Alertmanager on their labels.
ALERTMANAGER = "alertmanager"

_DNS = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_MINUTE = 60_000
_SHORTHAND = re.compile(r"^([0-9]+)([mhdwMQY])$")
_SHORTHAND_MS = {"m": _MINUTE, "h": 60 * _MINUTE, "d": 1440 * _MINUTE, "w": 7 * 1440 * _MINUTE}


def dns_name(*parts: str) -> str:
    """An RFC 1123 name for OpenSLO's ``metadata.name``: ``_`` and ``.`` become
    ``-``; past 63 characters the tail is replaced by a digest, so names stay
    unique and the same on every run."""
    joined = "-".join(parts)
    text = re.sub(r"[^a-z0-9-]+", "-", joined.lower()).strip("-") or "x"
    if len(text) > 63:
        tail = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:8]
        text = text[:54].rstrip("-") + "-" + tail
    return text


def is_dns_name(text: str) -> bool:
    return bool(_DNS.match(text))


def shorthand(duration: Duration) -> str | None:
    """A duration as OpenSLO's shorthand (one unit of m, h, d); None below a minute."""
    millis = duration.millis
    if millis == 0:
        return "0m"
    for unit, size in (("d", _SHORTHAND_MS["d"]), ("h", _SHORTHAND_MS["h"]), ("m", _MINUTE)):
        if millis % size == 0:
            return f"{millis // size}{unit}"
    return None


def parse_shorthand(text: str) -> Duration | str:
    """A shorthand as a Duration, or why it cannot be one: months, quarters and
    years have no fixed length, and our rules need exact windows."""
    match = _SHORTHAND.match(text)
    if match is None:
        return f"{text!r} is not a duration shorthand (a whole number and one of m, h, d, w)"
    count, unit = int(match.group(1)), match.group(2)
    if unit not in _SHORTHAND_MS:
        return (
            f"{text!r}: months, quarters and years have no fixed length; "
            "give the window in days or weeks (30d, 4w)"
        )
    return Duration(count * _SHORTHAND_MS[unit])


def percent_to_ratio(percent: float) -> float:
    """99.9 -> 0.999 in decimal arithmetic, so the ratio reads as written."""
    return float(Decimal(repr(percent)) / 100)


def ratio_to_percent(ratio: float) -> float:
    """0.999 -> 99.9 in decimal arithmetic (the inverse of ``percent_to_ratio``)."""
    return float(Decimal(repr(ratio)) * 100)


def sloth_error_ratio(good: str, total: str) -> str:
    """Sloth's raw error-ratio text for good/total queries, byte for byte
    (its openSLOErrorRatioRawQueryTpl), so generated rules match Sloth's."""
    return f"\n  1 - (\n    (\n      {good}\n    )\n    /\n    (\n      {total}\n    )\n  )\n"


def schema_text() -> str:
    return (
        resources.files("paladin_obs").joinpath("schema/openslo-v1.schema.json").read_text("utf-8")
    )


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema_text()))


def schema_errors(doc: Document) -> list[Diagnostic]:
    """Every violation of our OpenSLO v1 schema, located in ``doc``."""
    out: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        out.extend(_diagnostics(doc, error))
    return out


@dataclass(frozen=True)
class Obj:
    """An OpenSLO object: a document, or an object inlined in one (an SLO's
    ``indicator``, a policy's condition), with located access to its fields."""

    doc: Document
    base: DocPath
    data: dict[str, Any]

    def at(self, rel: DocPath, message: str, *, key: bool = False) -> Diagnostic:
        return self.doc.at((*self.base, *rel), message, key=key)

    def get(self, *rel: str | int) -> Any:
        value: Any = self.data
        for part in rel:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        return value

    def sub(self, *rel: str | int) -> Obj:
        value = self.get(*rel)
        return Obj(self.doc, (*self.base, *rel), value if isinstance(value, dict) else {})

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        return str(self.get("metadata", "name") or "")

    @property
    def annotations(self) -> dict[str, Any]:
        found = self.get("metadata", "annotations")
        return found if isinstance(found, dict) else {}

    @property
    def labels(self) -> dict[str, Any]:
        found = self.get("metadata", "labels")
        return found if isinstance(found, dict) else {}

    def our_name(self) -> str:
        """Our name for the object: the exporter's annotation, else its OpenSLO name."""
        kept = self.annotations.get(NAME)
        return kept if isinstance(kept, str) and kept else self.name


def schema_messages(data: Any) -> list[str]:
    """Violations of our OpenSLO v1 schema in plain data, as ``path: message``."""
    out = []
    for error in _validator().iter_errors(data):
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        out.append(f"{where}: {error.message}")
    return out
