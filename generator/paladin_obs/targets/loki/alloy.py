"""A service's log pipeline as a Grafana Alloy module: source → loki.process → loki.write.

Component labels are the service name made an identifier, so one Alloy can
load every service's file from one directory without a clash. The stages are
``stages.plan``'s, in its order; only their Alloy spelling is decided here.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import loki as lconv
from paladin_obs.formats.alloy import Attribute, Block, Document, Ref, Value
from paladin_obs.model_logs import LogMetric, LogSource, Loki, ServiceLogs
from paladin_obs.targets.loki.stages import Stage, metric_fields, plan


def document(service: str, logs: ServiceLogs, loki: Loki) -> Document:
    label = lconv.component_label(service)
    process = Ref(f"loki.process.{label}.receiver")
    return Document(
        (
            *_source(label, logs.source, process),
            Block(
                "loki.process",
                label,
                (
                    Attribute("forward_to", [Ref(f"loki.write.{label}.receiver")]),
                    *(_stage(stage) for stage in plan(logs)),
                ),
            ),
            Block("loki.write", label, (Block("endpoint", None, _endpoint(loki)),)),
        )
    )


def _endpoint(loki: Loki) -> tuple[Attribute, ...]:
    attrs = [Attribute("url", loki.url)]
    if loki.tenant:
        attrs.append(Attribute("tenant_id", loki.tenant))
    return tuple(attrs)


def _source(label: str, source: LogSource, forward: Ref) -> tuple[Block, ...]:
    k8s = source.kubernetes
    if k8s is None:
        targets: list[Value] = [{"__path__": path} for path in source.files]
        return (
            Block("local.file_match", label, (Attribute("path_targets", targets),)),
            Block(
                "loki.source.file",
                label,
                (
                    Attribute("targets", Ref(f"local.file_match.{label}.targets")),
                    Attribute("forward_to", [forward]),
                ),
            ),
        )
    discovery: list[Attribute | Block] = [Attribute("role", "pod")]
    if k8s.namespaces:
        discovery.append(Block("namespaces", None, (Attribute("names", list(k8s.namespaces)),)))
    discovery.append(
        Block("selectors", None, (Attribute("role", "pod"), Attribute("label", k8s.selector)))
    )
    rules: list[Block] = []
    if k8s.container:
        rules.append(
            _rule(
                source_labels=["__meta_kubernetes_pod_container_name"],
                regex=k8s.container,
                action="keep",
            )
        )
    rules += [
        _rule(source_labels=["__meta_kubernetes_namespace"], target_label="namespace"),
        _rule(source_labels=["__meta_kubernetes_pod_container_name"], target_label="container"),
    ]
    return (
        Block("discovery.kubernetes", label, tuple(discovery)),
        Block(
            "discovery.relabel",
            label,
            (Attribute("targets", Ref(f"discovery.kubernetes.{label}.targets")), *rules),
        ),
        Block(
            "loki.source.kubernetes",
            label,
            (
                Attribute("targets", Ref(f"discovery.relabel.{label}.output")),
                Attribute("forward_to", [forward]),
            ),
        ),
    )


def _rule(**settings: Value) -> Block:
    return Block("rule", None, tuple(Attribute(k, v) for k, v in settings.items()))


def _stage(stage: Stage) -> Block:
    if stage.name == "metrics":
        return Block("stage.metrics", None, tuple(_metric(m) for m in stage.settings["metrics"]))
    return Block(
        f"stage.{stage.name}",
        None,
        tuple(Attribute(k, _value(v)) for k, v in stage.settings.items()),
    )


def _value(value: Any) -> Value:
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise TypeError(f"no Alloy value for {type(value).__name__}")


def _metric(metric: LogMetric) -> Block:
    attrs: list[Attribute] = [Attribute(k, v) for k, v in metric_fields(metric).items()]
    if metric.type == "counter":
        if not metric.source:
            attrs.append(Attribute("match_all", True))
        attrs.append(Attribute("action", metric.action))
    elif metric.type == "gauge":
        attrs.append(Attribute("action", metric.action))
    else:
        attrs.append(Attribute("buckets", list(metric.buckets)))
    return Block(f"metric.{metric.type}", None, tuple(attrs))
