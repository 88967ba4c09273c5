"""Validation of artifacts, by kind: rule-file shape, PromQL, Go templates, regexes.

``VALIDATORS`` maps an artifact kind to its validator; the pipeline refuses
an artifact whose kind has none, so nothing is ever written unchecked.
"""

from __future__ import annotations

from paladin_obs import conventions as conv
from paladin_obs.validate import prometheus_rules
from paladin_obs.validate.base import Checked, Settings, Source, Validator

VALIDATORS: dict[str, Validator] = {
    conv.PROMETHEUS_RULES_KIND: prometheus_rules,
}

__all__ = ["VALIDATORS", "Checked", "Settings", "Source", "Validator"]
