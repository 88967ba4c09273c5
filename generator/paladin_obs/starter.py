"""The starter spec ``paladin-obs init`` writes: text with comments, not dumped data.

A new user learns the spec from this file, so every section says what it is
for and where to read more; a YAML dumper cannot write comments, hence text.
Every value that comes from a flag goes through ``scalar``, so no team name,
job or path can change the document's structure (a ``#``, a ``: `` or a
newline stays inside its string) or its type (``yes`` stays text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: The longest alert name suffix the starter uses (``…AvailabilityBudgetBurn``)
#: must fit the spec's 40-character limit on alert names.
_LONGEST_SUFFIX = len("AvailabilityBudgetBurn")
PREFIX_MAX = 40 - _LONGEST_SUFFIX
#: Text that YAML reads back as the same string when written plain.
_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Starter:
    """What the flags of ``paladin-obs init`` decided; names already validated."""

    service: str
    job: str
    environments: tuple[str, ...]
    team: str | None = None
    logs: tuple[str, ...] = ()
    log_format: str = "json"
    slos: bool = True


def scalar(value: str) -> str:
    """``value`` as a YAML scalar that loads back as exactly this string.

    Plain when that is unambiguous (``checkout``), else double-quoted with
    escapes (ASCII only, one line), so the text survives any editor.
    """
    if _PLAIN.match(value) and yaml.safe_load(value) == value:
        return value
    text = yaml.dump(
        value, Dumper=_Dumper, default_style='"', allow_unicode=False, width=2**31 - 1
    )
    text = text.removesuffix("\n...\n").rstrip("\n")
    if yaml.safe_load(text) != value:  # a guard: never write a value that changed
        raise ValueError(f"cannot write {value!r} as a YAML scalar")
    return text


def matcher_value(value: str) -> str:
    """An exact-match matcher value: a leading operator (``=~``, ``!=``) would
    make it a regex or a negation, so such a value gets the explicit ``=``."""
    return "=" + value if value.startswith(("=", "!")) else value


def alert_prefix(service: str) -> str:
    """``checkout-api`` → ``CheckoutApi``, cut so every alert name fits 40 characters."""
    words = [w[0].upper() + w[1:] for w in re.split(r"[-_]", service) if w]
    prefix = words[0][:PREFIX_MAX]
    for word in words[1:]:  # whole words only: CheckoutApi, not CheckoutAp
        if len(prefix) + len(word) > PREFIX_MAX:
            break
        prefix += word
    return prefix


def render(starter: Starter) -> str:
    """The whole commented spec."""
    sections = [
        _header(starter),
        _defaults(starter),
        _environments(starter),
        _service(starter),
    ]
    return "\n".join(sections)


def _header(s: Starter) -> str:
    return f"""\
# Monitoring of {s.service}, written by `paladin-obs init`: a starting point, not a
# finished setup. The metric names, thresholds and objectives below are common
# defaults; make them your service's. The README's "Spec reference" explains
# every field; `paladin-obs schema` prints the JSON Schema for your editor.
#
#   paladin-obs generate      # write rules/, dashboards/{" and loki/" if s.logs else ""}
#   paladin-obs lint --strict # what would page wrongly; `paladin-obs explain ID` says why
#   paladin-obs check         # in CI: the committed files match this spec
version: 1
# Who owns the generated files (recorded in each one), wherever you generate from.
id: {scalar(s.service)}
"""


def _defaults(s: Starter) -> str:
    team = (
        f"  alert_labels:\n    team: {scalar(s.team)}\n"
        if s.team is not None
        else "  # alert_labels: {team: my-team}   # added to every alert, for Alertmanager routing\n"
    )
    loki = (
        "  # Where the log agents push (default http://loki:3100/loki/api/v1/push).\n"
        "  # loki: {url: \"http://loki-gateway.monitoring.svc/loki/api/v1/push\"}\n"
        if s.logs
        else ""
    )
    return f"""\
defaults:
  # Rules are validated against this Prometheus version's PromQL ("2.x" or "3.x").
  prometheus_version: "2.53"
  evaluation_interval: 30s
  # How often Prometheus scrapes the service; lint wants rate() windows of 4 scrapes.
  scrape_interval: 30s
{team}  # Every alert links to its runbook; {{service}} and {{alert_lower}} are filled in.
  runbook_url: "https://runbooks.example.com/{{service}}/{{alert_lower}}"
{loki}"""


def _environments(s: Starter) -> str:
    out = [
        "# One tree of rules and dashboards per environment (rules/<env>/, dashboards/<env>/).",
        "# Each may override any alert's fields, e.g. a looser threshold in staging:",
        f"#   alerts: {{{alert_prefix(s.service)}HighErrorRate: {{threshold: 0.10}}}}",
        "# When environments share one Prometheus, give each a selector too",
        "# (selector: {env: staging}): it scopes every generated query.",
        "environments:",
    ]
    for env in s.environments:
        out.append(f"  {scalar(env)}:")
        out.append(f"    labels: {{env: {scalar(env)}}}")
    return "\n".join(out) + "\n"


def _service(s: Starter) -> str:
    parts = [_catalog(s), _rules(s), _dashboards(s)]
    if s.slos:
        parts.append(_slos(s))
    if s.logs:
        parts.append(_logs(s))
    return "\n".join(parts)


def _catalog(s: Starter) -> str:
    return f"""\
services:
  {scalar(s.service)}:
    description: Describe what {s.service} does; dashboards show it.
    # Matchers added to every query of this service: its Prometheus job.
    selector: {{job: {scalar(matcher_value(s.job))}}}
    # The metric catalog: every metric a signal, alert or dashboard uses, with its
    # type, so lint can tell a counter from a gauge. These are the names most HTTP
    # instrumentation libraries export; rename them to what /metrics shows.
    metrics:
      http_requests_total:
        type: counter
        help: HTTP requests served, by route and status code
        labels: [route, code]
      http_request_duration_seconds:
        type: histogram
        unit: seconds
        help: HTTP request latency
        labels: [route]
        # The histogram's bucket bounds: a latency SLO's threshold must be one of them.
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
      # Charted in the dashboard's saturation row (every catalog metric no signal uses).
      process_cpu_seconds_total: {{type: counter, unit: seconds, help: CPU time used}}
      process_resident_memory_bytes: {{type: gauge, unit: bytes, help: Resident memory}}
    # RED signals the templates build on: requests and errors are counters,
    # latency a histogram.
    signals:
      requests: http_requests_total
      errors: {{metric: http_requests_total, match: {{code: "=~5.."}}}}
      latency: http_request_duration_seconds
"""


def _rules(s: Starter) -> str:
    prefix = alert_prefix(s.service)
    level = s.service.replace("-", "_")
    return f"""\
    # Recording rules, named level:metric:operations; dashboards and other rules
    # can read these instead of recomputing them.
    records:
      "{level}:http_requests:rate5m": {{template: signal_rate, signal: requests}}
      "{level}:http_request_error:ratio5m": {{template: error_ratio}}
    # Alerts from the built-in templates: `paladin-obs templates` lists them with
    # their parameters, `paladin-obs templates error_ratio` shows one. An alert
    # may instead give a raw PromQL `expr` with its own summary and description.
    alerts:
      {prefix}HighErrorRate:
        template: error_ratio
        threshold: 0.05         # 5% of requests failing (5xx)
        for: 5m
        severity: critical      # critical pages; warning and info do not
      {prefix}HighLatency:
        template: latency_quantile
        quantile: 0.95
        threshold: 1s
        for: 10m
        severity: warning
      # No series at all: the service or its scrape is gone, and every other
      # alert above is silent because of it.
      {prefix}MetricsAbsent:
        template: absent
        metric: http_requests_total
        for: 10m
        severity: warning
"""


def _dashboards(s: Starter) -> str:
    return f"""\
    # Grafana dashboards (dashboards/<env>/{s.service}/): an overview whose panels
    # mirror the alerts{", and an SLO dashboard" if s.slos else ""}. Everything here is optional.
    dashboards:
      folder: {scalar(s.service)}
"""


def _slos(s: Starter) -> str:
    prefix = alert_prefix(s.service)
    return f"""\
    # Service level objectives, as Sloth writes them (rules/<env>/{s.service}.slo.rules.yaml):
    # recording rules per window and multi-window burn-rate alerts that page when
    # the 30-day error budget burns fast and open a ticket when it burns slowly.
    slos:
      availability:
        description: Requests answered without a server error (5xx).
        objective: 99.9
        period: 30d
        sli: {{events: {{errors: errors, total: requests}}}}
        alerting: {{name: {prefix}AvailabilityBudgetBurn}}
      latency:
        description: Requests served in under one second.
        objective: 99
        sli: {{latency: {{signal: latency, threshold: 1s}}}}
        alerting: {{name: {prefix}LatencyBudgetBurn}}
"""


def _logs(s: Starter) -> str:
    prefix = alert_prefix(s.service)
    files = ", ".join(scalar(path) for path in s.logs)
    return f"""\
    # Logs (loki/<env>/): a Grafana Alloy pipeline and Loki ruler alerts. Only
    # bounded fields may become labels; ids belong in structured_metadata.
    logs:
      source: {{files: [{files}]}}
      format: {s.log_format}
      fields:
        level: {{role: level}}    # the `level` label, normalised (WARNING -> warn)
      min_level: info           # lines below are dropped before they reach Loki
      alerts:
        {prefix}ErrorLogRate:
          template: log_rate
          levels: [error, fatal]
          threshold: 1          # error lines per second
          for: 5m
          severity: warning
"""
