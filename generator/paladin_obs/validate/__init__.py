"""Validation of artifacts, by kind: rule files (shape, PromQL, Go templates, regexes)
and Grafana dashboards.

``VALIDATORS`` maps an artifact kind to its validator; the pipeline refuses
an artifact whose kind has none, so nothing is ever written unchecked.
"""

from __future__ import annotations

from paladin_obs import conventions as conv
from paladin_obs.conventions import grafana as gconv
from paladin_obs.validate import grafana_dashboard, prometheus_rules
from paladin_obs.validate.base import Checked, Settings, Source, Validator
from paladin_obs.validate.grafana_delivery import Operator, Provisioning

VALIDATORS: dict[str, Validator] = {
    conv.PROMETHEUS_RULES_KIND: prometheus_rules,
    grafana_dashboard.KIND: grafana_dashboard,
    gconv.PROVISIONING_KIND: Provisioning,
    gconv.OPERATOR_KIND: Operator,
}

__all__ = ["VALIDATORS", "Checked", "Settings", "Source", "Validator"]
