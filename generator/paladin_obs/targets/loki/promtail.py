"""The legacy Promtail config for a service: the same stages as the Alloy module.

Promtail reached end of life on 2026-03-02; this output exists for fleets still
migrating (``defaults.loki.promtail: true``). It is a whole Promtail config
(server, positions, one client, one scrape config), so it runs as written.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.model_logs import LogMetric, LogSource, Loki, ServiceLogs
from paladin_obs.targets.loki.stages import Stage, metric_fields, plan

HTTP_PORT = 9080
POSITIONS = "/var/lib/promtail/positions.yaml"
#: Kubernetes writes container logs here, one directory per pod uid.
POD_LOGS = "/var/log/pods/*$1/*.log"


def config(service: str, logs: ServiceLogs, loki: Loki) -> dict[str, Any]:
    client: dict[str, Any] = {"url": loki.url}
    if loki.tenant:
        client["tenant_id"] = loki.tenant
    return {
        "server": {"http_listen_port": HTTP_PORT, "grpc_listen_port": 0},
        "positions": {"filename": POSITIONS},
        "clients": [client],
        "scrape_configs": [_scrape(service, logs)],
    }


def _scrape(service: str, logs: ServiceLogs) -> dict[str, Any]:
    scrape: dict[str, Any] = {"job_name": service, **_discovery(logs.source)}
    stages = [_stage(s) for s in plan(logs)]
    if logs.source.kubernetes is not None:
        # Files under /var/log/pods wrap each line in the CRI format, and their
        # path (with the pod's uid) would be a filename label Alloy's API-based
        # source does not have: both agents give a stream the same labels.
        stages[:0] = [{"cri": {}}, {"labeldrop": [lconv.FILENAME_LABEL]}]
    scrape["pipeline_stages"] = stages
    return scrape


def _discovery(source: LogSource) -> dict[str, Any]:
    k8s = source.kubernetes
    if k8s is None:
        return {
            "static_configs": [
                {"targets": ["localhost"], "labels": {"__path__": path}} for path in source.files
            ]
        }
    sd: dict[str, Any] = {"role": "pod"}
    if k8s.namespaces:
        sd["namespaces"] = {"names": list(k8s.namespaces)}
    sd["selectors"] = [{"role": "pod", "label": k8s.selector}]
    relabel: list[dict[str, Any]] = []
    if k8s.container:
        relabel.append(
            {
                "source_labels": ["__meta_kubernetes_pod_container_name"],
                "regex": k8s.container,
                "action": "keep",
            }
        )
    relabel += [
        {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
        {"source_labels": ["__meta_kubernetes_pod_container_name"], "target_label": "container"},
        {
            "source_labels": ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"],
            "separator": "/",
            "target_label": "__path__",
            "replacement": POD_LOGS,
        },
    ]
    return {"kubernetes_sd_configs": [sd], "relabel_configs": relabel}


def _stage(stage: Stage) -> dict[str, Any]:
    s = dict(stage.settings)
    if stage.name == "metrics":
        return {"metrics": {m.name: _metric(m) for m in s["metrics"]}}
    if stage.name in ("labels", "structured_metadata", "static_labels"):
        return {stage.name: dict(s["values"])}
    return {stage.name: s}


def _metric(metric: LogMetric) -> dict[str, Any]:
    fields = metric_fields(metric)
    out: dict[str, Any] = {
        "type": metric.type.capitalize(),
        "description": fields["description"],
        # Promtail's own default is promtail_custom_: one name whichever agent runs.
        "prefix": lconv.METRICS_PREFIX,
    }
    if "source" in fields:
        out["source"] = fields["source"]
    if "max_idle_duration" in fields:
        out["max_idle_duration"] = fields["max_idle_duration"]
    cfg: dict[str, Any] = {}
    if "value" in fields:
        cfg["value"] = fields["value"]
    if metric.type == "counter":
        if not metric.source:
            cfg["match_all"] = True
        cfg["action"] = metric.action
    elif metric.type == "gauge":
        cfg["action"] = metric.action
    else:
        cfg["buckets"] = list(metric.buckets)
    out["config"] = cfg
    return out
