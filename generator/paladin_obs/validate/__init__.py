"""Validation of artifacts, by kind: rule files (shape, PromQL, Go templates, regexes),
Grafana dashboards, Loki rule files (LogQL) and log pipelines.

``VALIDATORS`` maps an artifact kind to its validator; the pipeline refuses
an artifact whose kind has none, so nothing is ever written unchecked. A
validator's module is imported when its kind is first looked up: validating
a rule file needs none of the dashboard and log-pipeline validators (about
40 ms of imports, a third of a small ``validate``'s start).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

from paladin_obs import conventions as conv
from paladin_obs.conventions import grafana as gconv
from paladin_obs.conventions import loki as lconv
from paladin_obs.validate.base import Checked, Settings, Source, Validator

#: Kind -> (module under ``paladin_obs.validate``, attribute; "" for the module itself).
_WHERE: dict[str, tuple[str, str]] = {
    conv.PROMETHEUS_RULES_KIND: ("prometheus_rules", ""),
    gconv.DASHBOARD_KIND: ("grafana_dashboard", ""),
    gconv.PROVISIONING_KIND: ("grafana_delivery", "Provisioning"),
    gconv.OPERATOR_KIND: ("grafana_delivery", "Operator"),
    lconv.ALLOY_KIND: ("loki_pipeline", "Alloy"),
    lconv.PROMTAIL_KIND: ("loki_pipeline", "Promtail"),
    lconv.RULES_KIND: ("loki_rules", ""),
}


class _Registry(MutableMapping[str, Validator]):
    """A dict of validators whose built-in entries are imported on first lookup
    (entries may be added, replaced and removed as in a dict: tests do)."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, Validator] = {}

    def __getitem__(self, kind: str) -> Validator:
        found = self._loaded.get(kind)
        if found is not None:
            return found
        module_name, attribute = self._where[kind]  # KeyError: no validator
        module = importlib.import_module(f"{__name__}.{module_name}")
        validator: Validator = getattr(module, attribute) if attribute else module
        self._loaded[kind] = validator
        return validator

    def __setitem__(self, kind: str, validator: Validator) -> None:
        self._loaded[kind] = validator

    def __delitem__(self, kind: str) -> None:
        if kind not in self:
            raise KeyError(kind)
        self._where.pop(kind, None)
        self._loaded.pop(kind, None)

    def __contains__(self, kind: object) -> bool:
        return kind in self._loaded or kind in self._where

    def __iter__(self) -> Iterator[str]:
        # The built-in kinds in their order, then any added: the same order
        # whatever has been looked up.
        return iter(dict.fromkeys([*self._where, *self._loaded]))

    def __len__(self) -> int:
        return len(self._loaded.keys() | self._where.keys())


VALIDATORS: MutableMapping[str, Validator] = _Registry(_WHERE)

__all__ = ["VALIDATORS", "Checked", "Settings", "Source", "Validator"]
