"""Write a paladin-obs spec for a fleet of N services, for benchmarks.

A benchmark on one hand-tuned spec says little about a platform team's
monorepo, so this draws a fleet that exercises every output the product has:
metric catalogs with counters, gauges and histograms, RED signals, recording
rules, template and raw-expression alerts, dependencies, one or two SLOs,
dashboards and a ``logs`` section with log alerts, in two environments whose
labels, selectors and overrides differ. Services come in three shapes (HTTP
APIs, queue workers, APIs backed by Postgres) and vary in thresholds, buckets,
labels, log formats and sources, so the fleet is not N copies of one service.

Usage:

    python benchmarks/fleet.py --services 50 -o /tmp/fleet-50.yaml [--seed 1]

The same N and seed always give the same bytes (one seeded ``random.Random``,
dicts written in insertion order). Service i is drawn from the seed and i
alone, so the first services of a 500-service fleet are those of a 50 one.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Spec = dict[str, Any]

# Business domains a platform's services are named after; cycled with a
# numeric suffix past the end, so names stay readable at N = 500.
DOMAINS = (
    "checkout", "payments", "orders", "inventory", "catalog", "search", "pricing",
    "shipping", "billing", "invoices", "accounts", "auth", "profiles", "sessions",
    "notifications", "emails", "webhooks", "reports", "ledger", "refunds", "carts",
    "reviews", "ratings", "recommendations", "media", "thumbnails", "uploads",
    "exports", "imports", "audit", "fraud", "risk", "loyalty", "coupons", "tax",
    "geo", "routing", "dispatch", "tracking", "support",
)

SHAPES = ("http_api", "queue_worker", "db_api")

ENVIRONMENTS: Spec = {
    "production": {
        "labels": {"env": "production"},
        "selector": {"cluster": "prod-eu1"},
    },
    "staging": {
        "labels": {"env": "staging"},
        "selector": {"cluster": "staging-eu1"},
        "alerts": {},
        "slos": {},
        "logs": {},
    },
}


def service_name(index: int) -> str:
    """`checkout`, …, `support`, then `checkout-2`, …: unique, lowercase, readable."""
    cycle, position = divmod(index, len(DOMAINS))
    base = DOMAINS[position]
    return base if cycle == 0 else f"{base}-{cycle + 1}"


def camel(name: str) -> str:
    """The alert-name prefix of a service: `checkout-2` → `Checkout2`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def ident(name: str) -> str:
    """The record-name level of a service: `checkout-2` → `checkout_2`."""
    return name.replace("-", "_")


def common_metrics(name: str) -> Spec:
    """What every Kubernetes service exports or has exported about it."""
    kube = {"job": "kube-state-metrics", "namespace": name}
    return {
        "process_cpu_seconds_total": {"type": "counter", "unit": "seconds", "help": "CPU time used"},
        "process_resident_memory_bytes": {"type": "gauge", "unit": "bytes", "help": "Resident memory"},
        "kube_pod_container_status_restarts_total": {
            "type": "counter", "labels": ["namespace", "pod", "container"], "selector": kube},
        "kube_horizontalpodautoscaler_status_current_replicas": {
            "type": "gauge", "labels": ["namespace", "horizontalpodautoscaler"], "selector": kube},
        "kube_horizontalpodautoscaler_spec_max_replicas": {
            "type": "gauge", "labels": ["namespace", "horizontalpodautoscaler"], "selector": kube},
        "kube_horizontalpodautoscaler_spec_min_replicas": {
            "type": "gauge", "labels": ["namespace", "horizontalpodautoscaler"], "selector": kube},
    }


def common_alerts(name: str, prefix: str, rng: random.Random) -> Spec:
    """Restarts, autoscaling, memory and a raw `up` alert: every service has them."""
    memory_gi = rng.choice((1, 2, 4, 8))
    return {
        f"{prefix}PodCrashLooping": {"template": "crash_looping", "for": "15m", "severity": "critical"},
        f"{prefix}HPAAtMaxReplicas": {
            "template": "hpa_at_max", "match": {"horizontalpodautoscaler": name},
            "for": "15m", "severity": "warning"},
        f"{prefix}MemoryNearLimit": {
            "template": "saturation", "metric": "process_resident_memory_bytes",
            "capacity": f"{memory_gi}Gi", "threshold": 0.9, "by": ["instance"],
            "for": "10m", "severity": "warning"},
        f"{prefix}TargetDown": {
            "expr": "up == 0", "for": "5m", "severity": "critical",
            "summary": f"A {name} target is down.",
            "description": "{{ $labels.instance }} has failed its scrapes for 5 minutes."},
    }


def http_metrics(rng: random.Random) -> Spec:
    """An HTTP server's RED metrics, with its own bucket layout."""
    buckets = rng.choice((
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
        [0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    ))
    return {
        "http_requests_total": {
            "type": "counter", "help": "HTTP requests served", "labels": ["route", "method", "code"]},
        "http_request_duration_seconds": {
            "type": "histogram", "unit": "seconds", "help": "HTTP request latency",
            "labels": ["route", "method"], "buckets": buckets},
        "http_requests_in_flight": {"type": "gauge", "help": "Requests being served"},
        "probe_success": {
            "type": "gauge", "help": "Blackbox probe of the health endpoint", "selector": {"job": "blackbox"}},
    }


def http_signals() -> Spec:
    return {
        "requests": "http_requests_total",
        "errors": {"metric": "http_requests_total", "match": {"code": "=~5.."}},
        "latency": "http_request_duration_seconds",
    }


def http_alerts(name: str, prefix: str, rng: random.Random) -> Spec:
    latency = rng.choice(("500ms", "1s", "2s"))
    return {
        f"{prefix}HighErrorRate": {
            "template": "error_ratio", "threshold": rng.choice((0.01, 0.02, 0.05)),
            "min_rate": 0.1, "for": "5m", "severity": "critical"},
        f"{prefix}HighLatency": {
            "template": "latency_quantile", "quantile": rng.choice((0.95, 0.99)),
            "threshold": latency, "by": ["route"], "for": "10m", "severity": "warning"},
        f"{prefix}MetricsAbsent": {
            "template": "absent", "metric": "http_requests_total", "for": "10m", "severity": "warning"},
        f"{prefix}ProbeFailing": {
            "template": "probe_down", "match": {"instance": f"http://{name}.{name}.svc:8080/healthz"},
            "endpoint": "/healthz", "for": "2m", "severity": "critical"},
    }


def http_records(level: str) -> Spec:
    return {
        f"{level}:http_requests:rate5m": {"template": "signal_rate", "signal": "requests"},
        f"{level}:http_errors:rate5m": {"template": "signal_rate", "signal": "errors"},
        f"{level}:http_request_error:ratio5m": {"template": "error_ratio"},
        f"{level}:http_request_duration_seconds:p95_5m": {"template": "latency_quantile", "quantile": 0.95},
    }


def http_slos(prefix: str, metrics: Spec, rng: random.Random, latency_slo: bool) -> Spec:
    slos: Spec = {
        "availability": {
            "description": "Requests answered without a server error (5xx).",
            "objective": rng.choice((99.0, 99.5, 99.9)),
            "sli": {"events": {"errors": "errors", "total": "requests"}},
            "alerting": {"name": f"{prefix}AvailabilityBudgetBurn"},
        },
    }
    if latency_slo:
        buckets = metrics["http_request_duration_seconds"]["buckets"]
        threshold = next(b for b in buckets if b >= 0.5)
        slos["latency"] = {
            "description": f"Requests served in under {threshold} seconds.",
            "objective": 99,
            "sli": {"latency": {"signal": "latency", "threshold": threshold}},
            "alerting": {"name": f"{prefix}LatencyBudgetBurn"},
        }
    return slos


def http_api(name: str, prefix: str, rng: random.Random) -> Spec:
    """A request/response service: the RED method and two SLOs."""
    metrics = {**http_metrics(rng), **common_metrics(name)}
    return {
        "description": f"HTTP API of the {name} domain.",
        "selector": {"job": name},
        "metrics": metrics,
        "signals": http_signals(),
        "records": http_records(ident(name)),
        "alerts": {**http_alerts(name, prefix, rng), **common_alerts(name, prefix, rng)},
        "slos": http_slos(prefix, metrics, rng, latency_slo=True),
        "dashboards": {
            "folder": name.capitalize(),
            "saturation": [
                {"metric": "process_cpu_seconds_total", "title": "CPU usage"},
                "process_resident_memory_bytes",
                {"metric": "http_requests_in_flight", "title": "Requests in flight"},
            ],
        },
    }


def queue_worker(name: str, prefix: str, rng: random.Random) -> Spec:
    """A consumer of a queue: jobs instead of requests, backlog and freshness alerts."""
    metrics = {
        "worker_jobs_processed_total": {
            "type": "counter", "help": "Jobs taken off the queue", "labels": ["queue", "outcome"]},
        "worker_job_duration_seconds": {
            "type": "histogram", "unit": "seconds", "help": "Time to process one job",
            "labels": ["queue"], "buckets": [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300]},
        "worker_queue_depth": {"type": "gauge", "help": "Jobs waiting", "labels": ["queue"]},
        "worker_retries_total": {"type": "counter", "help": "Jobs put back for a retry", "labels": ["queue"]},
        "worker_last_success_timestamp_seconds": {
            "type": "gauge", "unit": "seconds", "help": "Unix time of the last job that succeeded",
            "labels": ["queue"]},
        **common_metrics(name),
    }
    alerts: Spec = {
        f"{prefix}JobFailureRate": {
            "template": "error_ratio", "threshold": rng.choice((0.05, 0.1)), "by": ["queue"],
            "for": "10m", "severity": "warning"},
        f"{prefix}SlowJobs": {
            "template": "latency_quantile", "threshold": rng.choice(("30s", "60s", "2m")),
            "by": ["queue"], "for": "15m", "severity": "warning"},
        f"{prefix}QueueBacklog": {
            "template": "gauge_threshold", "metric": "worker_queue_depth",
            "threshold": rng.choice((1000, 5000, 20000)), "by": ["queue"], "for": "15m",
            "severity": "warning"},
        f"{prefix}NoRecentSuccess": {
            "template": "stale_timestamp", "metric": "worker_last_success_timestamp_seconds",
            "max_age": rng.choice(("30m", "1h", "6h")), "by": ["queue"], "for": "10m",
            "severity": "critical"},
        f"{prefix}RetryStorm": {
            "expr": "sum by (queue) (rate(worker_retries_total[10m])) > 5", "for": "10m",
            "severity": "warning", "summary": f"The {name} worker is retrying jobs in a loop.",
            "description": "Queue {{ $labels.queue }} retries {{ $value | humanize }} jobs a second."},
        **common_alerts(name, prefix, rng),
    }
    level = ident(name)
    return {
        "description": f"Queue worker of the {name} domain.",
        "selector": {"job": f"{name}-worker"},
        "metrics": metrics,
        "signals": {
            "requests": "worker_jobs_processed_total",
            "errors": {"metric": "worker_jobs_processed_total", "match": {"outcome": "failed"}},
            "latency": "worker_job_duration_seconds",
        },
        "records": {
            f"{level}:worker_jobs:rate5m": {"template": "signal_rate", "signal": "requests", "by": ["queue"]},
            f"{level}:worker_job_failure:ratio5m": {"template": "error_ratio", "by": ["queue"]},
        },
        "alerts": alerts,
        "slos": {
            "jobs-success": {
                "description": "Jobs that succeed on their first attempt.",
                "objective": rng.choice((99.0, 99.5)),
                "sli": {"events": {"errors": "errors", "total": "requests"}},
                "alerting": {"name": f"{prefix}JobsBudgetBurn", "page": {"enabled": False}},
            },
        },
        "dashboards": {"folder": name.capitalize()},
    }


def db_api(name: str, prefix: str, rng: random.Random) -> Spec:
    """An HTTP API on Postgres: a dependency, and connections against max_connections."""
    service = http_api(name, prefix, rng)
    pg = {"job": "postgres-exporter", "namespace": name}
    service["description"] = f"HTTP API of the {name} domain, on Postgres."
    service["metrics"].update({
        "db_queries_total": {"type": "counter", "help": "SQL queries sent", "labels": ["statement", "outcome"]},
        "db_query_duration_seconds": {
            "type": "histogram", "unit": "seconds", "help": "SQL query latency",
            "labels": ["statement"], "buckets": [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]},
        "pg_stat_activity_count": {
            "type": "gauge", "help": "Connections by database and state",
            "labels": ["datname", "state"], "selector": pg},
        "pg_settings_max_connections": {"type": "gauge", "help": "Postgres max_connections", "selector": pg},
    })
    service["alerts"][f"{prefix}PGConnectionsNearMax"] = {
        "template": "saturation", "metric": "pg_stat_activity_count",
        "capacity": "pg_settings_max_connections", "threshold": 0.8, "aggregation": "sum",
        "for": "10m", "severity": "warning"}
    service["dependencies"] = {
        "postgres": {
            "description": "Primary Postgres database",
            "requests": "db_queries_total",
            "errors": {"metric": "db_queries_total", "match": {"outcome": "error"}},
            "latency": "db_query_duration_seconds",
            "alerts": {
                f"{prefix}DBHighErrorRate": {
                    "template": "error_ratio", "threshold": 0.01, "for": "5m", "severity": "critical"},
                f"{prefix}DBSlowQueries": {
                    "template": "latency_quantile", "threshold": rng.choice(("100ms", "250ms", "500ms")),
                    "by": ["statement"], "for": "10m", "severity": "warning"},
            },
        },
    }
    service["dashboards"]["saturation"].append(
        {"metric": "pg_stat_activity_count", "title": "Postgres connections", "by": ["state"]})
    return service


def logs_section(name: str, prefix: str, shape: str, rng: random.Random) -> Spec:
    """JSON or logfmt lines from files or pods, with bounded labels and three log alerts."""
    json_format = rng.random() < 0.6
    message = "msg"
    fields: Spec = {
        "ts" if json_format else "time": {"role": "timestamp", "format": "RFC3339Nano" if json_format else "RFC3339"},
        "level": {"role": "level"},
        "trace_id": {"role": "structured_metadata"},
        message: {"role": "line"},
    }
    if shape == "queue_worker":
        fields["queue"] = {"role": "label", "values": ["default", "priority", "bulk"]}
    else:
        fields["method"] = {"role": "label", "values": ["GET", "POST", "PUT", "DELETE"]}
    if rng.random() < 0.5:
        fields["password"] = {"role": "drop"}
    if rng.random() < 0.5:
        source: Spec = {"kubernetes": {"namespaces": [name], "selector": {"app": name}, "container": name}}
    else:
        source = {"files": [f"/var/log/{name}/*.log"]}
    level = ident(name)
    return {
        "source": source,
        "format": "json" if json_format else "logfmt",
        "fields": fields,
        "min_level": "warn",
        "drop": [{"contains": "/healthz", "reason": "health_check"}],
        "metrics": {f"{level}_log_lines_total": {"type": "counter", "description": f"Log lines {name} wrote."}},
        "alerts": {
            f"{prefix}ErrorLogRate": {
                "template": "log_rate", "levels": ["error", "fatal"],
                "threshold": rng.choice((0.5, 1, 5)), "window": "5m", "for": "5m", "severity": "critical"},
            f"{prefix}NoLogs": {"template": "no_logs", "window": "30m", "severity": "warning"},
            f"{prefix}Panicked": {"template": "log_pattern", "text": "panic:", "severity": "critical"},
        },
    }


BUILDERS: dict[str, Callable[[str, str, random.Random], Spec]] = {
    "http_api": http_api,
    "queue_worker": queue_worker,
    "db_api": db_api,
}


def staging_overrides(spec: Spec, name: str, service: Spec) -> None:
    """Staging pages less: looser thresholds and objectives, more log lines."""
    staging = spec["environments"]["staging"]
    prefix = camel(name)
    for alert, fields in service["alerts"].items():
        if fields.get("template") == "error_ratio":
            staging["alerts"][alert] = {"threshold": 0.2, "severity": "warning"}
    staging["alerts"][f"{prefix}ErrorLogRate"] = {"threshold": 10, "severity": "warning"}
    slos: Spec = {}
    for slo, fields in service["slos"].items():
        slos[slo] = {"objective": 95}
        if fields["alerting"].get("page", {}).get("enabled", True):
            slos[slo]["alerting"] = {"page": {"severity": "warning"}}
    staging["slos"][name] = slos
    staging["logs"][name] = {"min_level": "info"}


def fleet(services: int, seed: int) -> Spec:
    """The spec of a fleet of `services` services."""
    spec: Spec = {
        "version": 1,
        "id": f"fleet-{services}",
        "defaults": {
            "prometheus_version": "2.53",
            "evaluation_interval": "30s",
            "scrape_interval": "30s",
            "alert_labels": {"team": "platform"},
            "runbook_url": "https://runbooks.example.com/{service}/{alert_lower}",
            "grafana_version": "11.6",
            "grafana_url": "https://grafana.example.com",
            "dashboards": {
                "variables": ["cluster", "namespace"], "tags": ["fleet"],
                "operator": {"namespace": "monitoring", "instance_selector": {"dashboards": "grafana"}},
            },
            "loki": {"url": "http://loki-gateway.monitoring.svc/loki/api/v1/push", "tenant": "fleet",
                     "promtail": True},
        },
        "environments": copy.deepcopy(ENVIRONMENTS),
        "services": {},
    }
    for index in range(services):
        rng = random.Random(f"{seed}:{index}")
        name = service_name(index)
        shape = SHAPES[index % len(SHAPES)]
        prefix = camel(name)
        service = BUILDERS[shape](name, prefix, rng)
        service["logs"] = logs_section(name, prefix, shape, rng)
        spec["services"][name] = service
        staging_overrides(spec, name, service)
    return spec


def render(spec: Spec, services: int, seed: int) -> str:
    header = (
        f"# A fleet of {services} services for benchmarks, written by\n"
        f"# `python benchmarks/fleet.py --services {services} --seed {seed}`. Do not edit.\n"
    )
    body = yaml.safe_dump(spec, sort_keys=False, default_flow_style=False, width=1000, allow_unicode=False)
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, required=True, help="number of services (at least 1)")
    parser.add_argument("-o", "--output", required=True, help="spec file to write ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=1, help="variation seed (default 1)")
    args = parser.parse_args(argv)
    if args.services < 1:
        parser.error("--services must be at least 1")
    text = render(fleet(args.services, args.seed), args.services, args.seed)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
