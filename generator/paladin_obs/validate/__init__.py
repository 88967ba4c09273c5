"""Validation of artifacts, by kind: rule files (shape, PromQL, Go templates, regexes),
Grafana dashboards, Loki rule files (LogQL) and log pipelines.

``VALIDATORS`` maps an artifact kind to its validator; the pipeline refuses
an artifact whose kind has none, so nothing is ever written unchecked.
"""

from __future__ import annotations

from paladin_obs import conventions as conv
from paladin_obs.conventions import grafana as gconv
from paladin_obs.conventions import loki as lconv
from paladin_obs.validate import grafana_dashboard, loki_rules, prometheus_rules
from paladin_obs.validate.base import Checked, Settings, Source, Validator
from paladin_obs.validate.grafana_delivery import Operator, Provisioning
from paladin_obs.validate.loki_pipeline import Alloy, Promtail

VALIDATORS: dict[str, Validator] = {
    conv.PROMETHEUS_RULES_KIND: prometheus_rules,
    grafana_dashboard.KIND: grafana_dashboard,
    gconv.PROVISIONING_KIND: Provisioning,
    gconv.OPERATOR_KIND: Operator,
    lconv.ALLOY_KIND: Alloy,
    lconv.PROMTAIL_KIND: Promtail,
    lconv.RULES_KIND: loki_rules,
}

__all__ = ["VALIDATORS", "Checked", "Settings", "Source", "Validator"]
