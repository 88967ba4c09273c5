"""Big Prometheus rule files for timing `validate` against `promtool check rules`.

Two kinds, both accepted by promtool and the same bytes for the same arguments:

``templated``
    ``--alerts`` alerts in groups of varying size, each with templated labels and
    annotations (``$labels``, ``$value``, ``humanize*``, pipelines, ``if``/``with``),
    varied per alert the way an exported or generated file is: many services,
    metrics and thresholds, so no cache keyed on a whole text sees one text
    repeated 10,000 times.
``mixed``
    about ``--alerts`` rules written the way people write them by hand: recording
    rules and alerts interleaved, comments, plain, single- and double-quoted
    scalars, literal and folded block scalars, rate, histogram_quantile,
    aggregations, binary operators with matching, offsets and regex matchers.

Usage::

    python benchmarks/bigrules.py --kind templated --alerts 10000 -o big.yaml [--seed 1]

The text is built from a seeded ``random.Random`` only (no clock, no hash order),
so the output is a pure function of the arguments.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

_SERVICES = (
    "api", "checkout", "cart", "payments", "search", "auth", "billing", "catalog",
    "inventory", "shipping", "email", "frontend", "gateway", "ledger", "orders",
    "profile", "recommend", "reviews", "session", "notify",
)
_TEAMS = ("core", "commerce", "platform", "identity", "data", "edge")
_SEVERITIES = ("critical", "warning", "info")
_FOR = ("1m", "2m", "5m", "10m", "15m", "30m", "1h")
_WINDOWS = ("1m", "5m", "10m", "30m", "1h")
_QUANTILES = ("0.5", "0.9", "0.95", "0.99")

# (alert stem, expression template, summary templates, description templates)
# ``{s}`` is the service, ``{w}`` a range, ``{t}`` a threshold, ``{n}`` a serial.
_ALERT_KINDS = (
    (
        "HighErrorRate",
        'sum by (job, instance) (rate(http_requests_total{{job="{s}",code=~"5.."}}[{w}]))'
        ' / sum by (job, instance) (rate(http_requests_total{{job="{s}"}}[{w}])) > {t}',
        ("High error rate on {{{{ $labels.instance }}}}",
         "{{{{ $labels.job }}}}: {{{{ $value | humanizePercentage }}}} of requests fail"),
        ("{{{{ $labels.job }}}} on {{{{ $labels.instance }}}} has error ratio"
         " {{{{ $value | humanizePercentage }}}} (threshold {t}) for {f}.",
         "Errors on {{{{ $labels.instance }}}} at {{{{ printf \"%.3f\" $value }}}}"
         " for job {{{{ $labels.job | toUpper }}}}, serial {n}."),
    ),
    (
        "LatencyHigh",
        'histogram_quantile({q}, sum by (le, job) (rate(http_request_duration_seconds_bucket'
        '{{job="{s}"}}[{w}]))) > {t}',
        ("p{qp} latency of {{{{ $labels.job }}}} is {{{{ $value | humanizeDuration }}}}",
         "Slow {s} ({{{{ $value | humanizeDuration }}}})"),
        ("The {q} quantile of request latency for {{{{ $labels.job }}}} is"
         " {{{{ $value | humanizeDuration }}}}, above {t}s for {f}.",
         "{{{{ with $labels.job }}}}Job {{{{ . }}}}{{{{ end }}}} answers slowly: {{{{ humanize $value }}}}s."),
    ),
    (
        "InstanceDown",
        'up{{job="{s}"}} == 0',
        ("{{{{ $labels.instance }}}} of {{{{ $labels.job }}}} is down",
         "Target {{{{ $labels.instance }}}} unreachable"),
        ("{{{{ $labels.instance }}}} ({{{{ $labels.job }}}}) has been down for more than {f}.",
         "{{{{ if eq $labels.job \"{s}\" }}}}Service {s}{{{{ else }}}}Job {{{{ $labels.job }}}}{{{{ end }}}}"
         " lost {{{{ $labels.instance }}}} ({n})."),
    ),
    (
        "DiskFillingUp",
        'predict_linear(node_filesystem_avail_bytes{{job="{s}",fstype!~"tmpfs|overlay"}}[{w}], 4 * 3600) < 0',
        ("Disk on {{{{ $labels.instance }}}} fills within 4h",
         "{{{{ $labels.mountpoint }}}} on {{{{ $labels.instance }}}} is filling up"),
        ("Filesystem {{{{ $labels.device }}}} at {{{{ $labels.mountpoint }}}} on"
         " {{{{ $labels.instance }}}} is predicted to run out of space ({{{{ $value | humanize1024 }}}}B).",
         "{{{{ $labels.mountpoint }}}}: {{{{ humanize1024 $value }}}}B predicted, job {s} #{n}."),
    ),
    (
        "MemoryPressure",
        '(1 - node_memory_MemAvailable_bytes{{job="{s}"}} / node_memory_MemTotal_bytes{{job="{s}"}}) * 100 > {tp}',
        ("Memory on {{{{ $labels.instance }}}} is {{{{ $value | printf \"%.1f\" }}}}% used",
         "High memory use on {{{{ $labels.instance }}}}"),
        ("{{{{ $labels.instance }}}} uses {{{{ $value | humanize }}}}% of its memory (threshold {tp}%).",
         "Memory {{{{ printf \"%.0f\" $value }}}}% on {{{{ $labels.instance | reReplaceAll \":.*\" \"\" }}}} ({n})."),
    ),
    (
        "QueueBacklog",
        'max by (queue) (queue_depth{{service="{s}"}} offset {o}) > {ti}',
        ("Queue {{{{ $labels.queue }}}} backlog is {{{{ $value }}}}",
         "{{{{ $labels.queue }}}} has {{{{ humanize $value }}}} waiting messages"),
        ("Queue {{{{ $labels.queue }}}} of {s} holds {{{{ $value | humanize }}}} messages (limit {ti}).",
         "{{{{ $labels.queue | title }}}} backlog {{{{ $value }}}} since {f}, alert {n}."),
    ),
)


def _dq(text: str) -> str:
    """A double-quoted YAML scalar of ``text`` (Go template quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sq(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Templated label values and the runbook's query string (``_dq`` quotes them).
_GROUP_LABELS = tuple(_dq(text) for text in (
    '{{ $labels.instance | reReplaceAll ":[0-9]+$" "" }}',
    '{{ reReplaceAll "-[a-z0-9]+$" "" $labels.pod }}',
    '{{ $labels.job }}-{{ $labels.namespace | toLower }}',
))
_RUNBOOK_QUERY = "?job={{ $labels.job | urlquery }}&value={{ $value | humanize }}"


def _threshold(rng: random.Random) -> str:
    return rng.choice(("0.01", "0.02", "0.05", "0.1", "0.25", "0.5", "1", "2.5"))


def _fill(text: str, rng: random.Random, service: str, serial: int, for_: str) -> str:
    quantile = rng.choice(_QUANTILES)
    return text.format(
        s=service, w=rng.choice(_WINDOWS), t=_threshold(rng), n=serial, f=for_,
        q=quantile, qp=quantile[2:].ljust(2, "0"), tp=rng.choice((80, 85, 90, 95)),
        ti=rng.choice((100, 500, 1000, 5000)), o=rng.choice(("1m", "5m", "1h")),
    )


def templated(alerts: int, rng: random.Random) -> str:
    """Alerts only, every one with templated labels and three annotations."""
    out = ["groups:"]
    serial = 0
    group = 0
    while serial < alerts:
        size = min(alerts - serial, rng.randint(40, 160))
        service = _SERVICES[group % len(_SERVICES)]
        out.append(f"- name: {service}-alerts-{group}")
        out.append(f"  interval: {rng.choice(('30s', '1m', '2m'))}")
        out.append("  rules:")
        for _ in range(size):
            stem, expr, summaries, descriptions = _ALERT_KINDS[rng.randrange(len(_ALERT_KINDS))]
            for_ = rng.choice(_FOR)
            out.append(f"  - alert: {stem}{service.title()}{serial}")
            out.append(f"    expr: {_fill(expr, rng, service, serial, for_)}")
            out.append(f"    for: {for_}")
            out.append("    labels:")
            out.append(f"      severity: {rng.choice(_SEVERITIES)}")
            out.append(f"      team: {rng.choice(_TEAMS)}")
            out.append(f"      instance_group: {rng.choice(_GROUP_LABELS)}")
            out.append("    annotations:")
            out.append(f"      summary: {_dq(_fill(rng.choice(summaries), rng, service, serial, for_))}")
            out.append(f"      description: {_dq(_fill(rng.choice(descriptions), rng, service, serial, for_))}")
            runbook = f"https://runbooks.example.com/{service}/{stem.lower()}-{serial}" + _RUNBOOK_QUERY
            out.append(f"      runbook_url: {_dq(runbook)}")
            serial += 1
        group += 1
    return "\n".join(out) + "\n"


def _record_lines(rng: random.Random, service: str, serial: int) -> list[str]:
    """One recording rule, in one of several hand-written styles."""
    window = rng.choice(_WINDOWS)
    style = rng.randrange(5)
    if style == 0:
        name = f"job:http_requests:rate{window}"
        expr = f'sum by (job) (rate(http_requests_total{{job="{service}"}}[{window}]))'
        return [f"  - record: {name}", f"    expr: {expr}",
                "    labels:", f"      service: {service}", f"      serial: '{serial}'"]
    if style == 1:
        quantile = rng.choice(_QUANTILES)
        name = f"job:http_request_duration_seconds:p{quantile[2:]}_{window}"
        return [f"  - record: {name}",
                "    expr: |",
                f"      histogram_quantile({quantile},",
                "        sum by (le, job) (",
                f'          rate(http_request_duration_seconds_bucket{{job=~"{service}|{service}-canary"}}[{window}])',
                "        )",
                "      )",
                "    labels:", f"      serial: \"{serial}\""]
    if style == 2:
        name = f"instance:node_cpu_utilisation:rate{window}"
        return [f"  - record: '{name}'",
                "    expr: >-",
                f'      1 - avg without (cpu) (rate(node_cpu_seconds_total{{mode="idle",job="{service}"}}[{window}]))',
                "    labels:", f"      serial: '{serial}'"]
    if style == 3:
        name = f"job:request_errors:ratio_rate{window}"
        return [f'  - record: "{name}"', "    expr: |-",
                f'        sum by (job) (rate(http_requests_total{{job="{service}",code=~"5..|429"}}[{window}]))',
                "        /",
                f'        sum by (job) (rate(http_requests_total{{job="{service}"}}[{window}]))',
                "    labels:", f"      serial: '{serial}'"]
    name = f"namespace:container_memory_working_set_bytes:sum_offset{window}"
    expr = (f'sum by (namespace) (container_memory_working_set_bytes{{namespace!~"kube-.*",'
            f'container!="",service="{service}"}} offset {window})')
    return [f"  - record: {name}", f"    expr: {_sq(expr)}",
            "    labels:", f"      serial: '{serial}'"]


def _alert_lines(rng: random.Random, service: str, serial: int) -> list[str]:
    """One alert, in one of several hand-written styles."""
    stem, expr, summaries, descriptions = _ALERT_KINDS[rng.randrange(len(_ALERT_KINDS))]
    for_ = rng.choice(_FOR)
    expr_text = _fill(expr, rng, service, serial, for_)
    lines = [f"  - alert: {stem}{service.title()}{serial}"]
    style = rng.randrange(4)
    if style == 0:
        lines.append(f"    expr: {expr_text}")
    elif style == 1:
        lines += ["    expr: |", f"      {expr_text}"]
    elif style == 2:
        lines += ["    # threshold agreed with the service owners", f"    expr: {_sq(expr_text)}"]
    else:
        if "by (" in expr_text:
            lines += ["    expr: |", f"      {expr_text}"]
        else:
            lines += ["    expr: >", f'        {expr_text.rsplit(" ", 2)[0]}',
                      f'        and on (job) (kube_deployment_spec_replicas{{deployment=~"{service}.*"}} > 0)']
    lines.append(f"    for: {for_}")
    lines += ["    labels:", f"      severity: {rng.choice(_SEVERITIES)}", f"      team: {rng.choice(_TEAMS)}"]
    lines.append("    annotations:")
    summary = _fill(rng.choice(summaries), rng, service, serial, for_)
    description = _fill(rng.choice(descriptions), rng, service, serial, for_)
    lines.append(f"      summary: {_dq(summary)}")
    if rng.random() < 0.4:
        lines += ["      description: |", f"        {description}", f"        Owner: team of {service}."]
    else:
        lines.append(f"      description: {_dq(description)}")
    if rng.random() < 0.5:
        lines.append(f"      runbook_url: https://runbooks.example.com/{service}/{stem.lower()}")
    return lines


def mixed(rules: int, rng: random.Random) -> str:
    """About ``rules`` recording rules and alerts, interleaved as people write them."""
    out = ["# Rules for the shop's services.", "# Edited by hand; keep groups per service.", "", "groups:"]
    serial = 0
    group = 0
    while serial < rules:
        size = min(rules - serial, rng.randint(10, 80))
        service = _SERVICES[group % len(_SERVICES)]
        out.append("")
        out.append(f"  # --- {service} ({group}) ---")
        quote = rng.randrange(3)
        name = f"{service}.rules.{group}"
        out.append("  - name: " + (name if quote == 0 else _sq(name) if quote == 1 else _dq(name)))
        if rng.random() < 0.3:
            out.append(f"    interval: {rng.choice(('15s', '30s', '1m'))}")
        out.append("    rules:")
        for _ in range(size):
            make = _record_lines if rng.random() < 0.45 else _alert_lines
            out += ["  " + line for line in make(rng, service, serial)]
            serial += 1
        group += 1
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=("templated", "mixed"), required=True)
    parser.add_argument("--alerts", type=int, default=10000, help="number of rules (templated: all alerts)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.alerts < 1:
        parser.error("--alerts must be at least 1")
    rng = random.Random(args.seed)
    text = templated(args.alerts, rng) if args.kind == "templated" else mixed(args.alerts, rng)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
