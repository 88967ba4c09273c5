"""Property-based tests of the command-line interface (hypothesis).

1. Random *valid* specs, built from the spec's real vocabulary (services with a
   metrics catalog, signals with hostile matcher values and regexes, 0-3
   environments with labels, selectors and alert overrides, every built-in
   template with valid random parameters, raw ``expr`` alerts, records,
   dependencies; names now and then PromQL words such as ``sum`` or ``nan``):
   ``generate`` exits 0, real promtool accepts every generated rule file (one
   call per example), ``check`` right after reports no drift, ``validate``
   accepts each environment's tree and the spec, and the files hold exactly the
   spec's enabled alerts and its records.
2. Random *invalid* specs: a valid spec with one to three mutations (deleted
   keys, wrong types, unknown keys, templates, parameters and metrics, bad
   durations, out-of-range and huge numbers, empty strings, YAML 1.1 scalars,
   duplicate keys, byte garbage, truncation). ``generate``, ``check`` and
   ``validate`` never raise, exit 0, 1 or 2, locate every refusal
   (``file:line:col:`` or ``file:``) and agree with one another.
3. Random Prometheus rule files: a type-aware PromQL grammar builds clean files,
   most of which get one perturbation; some are random YAML. ``validate`` never
   raises and locates its messages, and against the installed promtool (2.42):
   what promtool rejects, ``validate --prometheus-version 2.42`` rejects; what
   it accepts is never "unusable" (exit 2); a clean file passes both.

``KNOWN_SPECS`` are minimal reproductions of bugs this file found (fixed); they
run as their own tests and first in the random ones.
Everything goes through the CLI in-process (``click.testing.CliRunner``), and
runs the same every time (``derandomize=True``, no example database).
"""

from __future__ import annotations

import copy
import json
import math
import operator
import re
import subprocess
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as _event
from hypothesis import note as _note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from paladin_obs.cli import cli
from paladin_obs.model import Metric
from paladin_obs.resolve.catalog_checks import TARGET_LABELS, looks_like_regex, metric_unit
from paladin_obs.values import parse_matcher

Draw = Callable[[st.SearchStrategy[Any]], Any]
PromtoolRun = Callable[..., subprocess.CompletedProcess[str]]

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": False,
}

# ---------------------------------------------------------------------------------
# Running the CLI
# ---------------------------------------------------------------------------------


def note(text: str) -> None:
    """Shown with a failing example; the known cases below run outside Hypothesis."""
    if currently_in_test_context():
        _note(text)


def event(text: str) -> None:
    if currently_in_test_context():
        _event(text)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_no_crash(result: Result, what: str) -> None:
    """An exception other than SystemExit escaping the CLI is a bug (exit 70 for users)."""
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        raise AssertionError(f"{what}: unexpected exception (exit 70 for users)\n{tb}")
    assert result.exit_code in (0, 1, 2), f"{what}: exit {result.exit_code}\n{result.output}"


_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LOCATED = re.compile(r"^(?P<file>[^\n:]+?)(?::(?P<line>\d+):(?P<col>\d+))?: \S", re.M)


def located_files(output: str) -> list[tuple[str, int]]:
    """Files (and line numbers, 0 when absent) named at the start of output lines."""
    return [
        (m.group("file"), int(m.group("line") or 0))
        for m in _LOCATED.finditer(output)
        if not m.group("file").startswith("paladin-obs")
    ]


def assert_located(result: Result, inputs: list[Path], what: str) -> None:
    """At least one message names one of ``inputs`` (or a file that exists, such as
    a template), and every line number given is within that file."""
    found = located_files(result.output)
    names = {str(p): p for p in inputs}
    good = [(f, line) for f, line in found if f in names or Path(f).is_file()]
    assert good, f"{what}: exit {result.exit_code} without a located message:\n{result.output}"
    for file, line in good:
        path = names.get(file, Path(file))
        if line and path.is_file():
            # YAML's line breaks; one line past the last is the end of the file.
            text = path.read_bytes().decode("utf-8", errors="replace")
            lines = len(_LINE_BREAKS.split(text)) + 1
            assert 1 <= line <= lines, f"{what}: line {line} of {file} ({lines} lines):\n{result.output}"


# ---------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = LOWER.upper()
DIGITS = "0123456789"


def names(first: str, rest: str, max_size: int) -> st.SearchStrategy[str]:
    """``[first][rest]{0,max_size}``, cheaper to draw than ``from_regex``."""
    return st.builds(operator.add, st.sampled_from(first), st.text(rest, max_size=max_size))


#: PromQL's words: each is also a valid metric and label name, so specs and rule
#: files may use them (case does not matter to PromQL).
PROMQL_WORDS = [
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "atan2", "nan", "inf", "NaN", "Inf", "sum", "avg", "count", "min", "max", "group", "stddev",
    "stdvar", "topk", "bottomk", "count_values", "quantile", "offset", "start", "end", "limitk",
    "limit_ratio",
]
#: Words PromQL 2.x (promtool 2.42) does not take as a bare metric name: a selector
#: of such a metric has to be written {__name__="..."}.
NOT_BARE_METRICS = frozenset({"on", "ignoring", "group_left", "group_right", "bool", "atan2", "nan", "inf"})
#: Words PromQL 2.x does not take in by/without/on/ignoring lists, with no way to quote them.
NOT_GROUPING = frozenset({"nan", "inf", "without"})


@st.composite
def with_words(draw: Draw, base: st.SearchStrategy[str]) -> str:
    """Names from ``base``, and now and then one of PromQL's words."""
    if draw(st.integers(1, 12)) == 12:
        return str(draw(st.sampled_from(PROMQL_WORDS)))
    return str(draw(base))


slugs = names(LOWER, LOWER + DIGITS + "_-", 10)
label_names = with_words(
    names(LOWER + UPPER + "_", LOWER + UPPER + DIGITS + "_", 8).filter(
        lambda s: not s.startswith("__") and s not in ("severity", "alertname")
    )
)
#: Label names our own PromQL may group by.
grouping_names = label_names.filter(lambda n: n.lower() not in NOT_GROUPING)
metric_names = with_words(names(LOWER + UPPER + "_:", LOWER + UPPER + DIGITS + "_:", 14))

#: The spec's JSON Schema, from the tool itself: spec names are drawn from what it
#: accepts, so the strategy follows the spec language as it changes.
SCHEMA = json.loads(invoke("schema").output)
SPEC_KEYS = frozenset(SCHEMA["properties"])


def schema_accepts(definition: str) -> Callable[[Any], bool]:
    validator = jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"})
    return validator.is_valid


#: Words promtool 2.42 takes as names but ``validate`` does not (issue #9): left
#: out of specs until that is fixed.
ISSUE_9_WORDS = frozenset({"smoothed", "anchored"})
spec_label_names = label_names.filter(schema_accepts("labelName")).filter(lambda n: n not in ISSUE_9_WORDS)
spec_metric_names = metric_names.filter(schema_accepts("metricName")).filter(lambda n: n not in ISSUE_9_WORDS)
spec_grouping_names = spec_label_names.filter(lambda n: n.lower() not in NOT_GROUPING)
#: A template's ``by``: any label name (the tool must render it or refuse it).
by_lists = st.lists(label_names.filter(lambda n: n not in ISSUE_9_WORDS), max_size=3)
alert_bases = names(UPPER, LOWER + UPPER + DIGITS, 20)
record_parts = names(LOWER + UPPER + "_", LOWER + UPPER + DIGITS + "_", 8)

HOSTILE = [
    '"', "'", "\\", "\n", "\r\n", "\t", "{{", "}}", "{{ .Evil }}", "{{- end }}", "${ x }",
    "{% if x %}", "{#", "é", "→", "日本語", "🚀", "\u2028", "\x85", "\x00", "\x7f", "`", "$",
    "\\n", '"}', "} or vector(1) or up{a=\"", " ", "#", ": ", "- ", "&a", "*a", "!x", "%",
    "@", "|", ">", "[", "]", "=~", "!=", "---", "...", "?", "\ufeff",
]
hostile = st.lists(
    st.sampled_from(HOSTILE) | st.text(max_size=4), max_size=5
).map("".join)
nonempty_hostile = hostile.map(lambda s: s or "x")
# Text for Go-template fields (descriptions, annotations): no "{", which could
# start an action next to one of ours; everything else goes.
template_text = hostile.map(lambda s: s.replace("{", "("))
RE2_SPECIAL = set("\\.+*?()|[]{}^$")


def re2_literal(text: str) -> str:
    out = []
    for ch in text:
        if ch in RE2_SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


RE_ATOMS = [".", ".*", ".+", "[a-z]+", "[0-9]{1,3}", "\\d", "\\w+", "5..", "(a|b)", "(?i)ok",
            "[^/]*", "\\.", "x?", "(?:ab)+", "\\pL", "[[:alpha:]]", "\\Qa.b\\E"]
regexes = st.lists(
    st.sampled_from(RE_ATOMS) | hostile.map(re2_literal), max_size=4
).flatmap(lambda parts: st.sampled_from(["", "|"]).map(lambda sep: sep.join(parts)))


#: An exact matcher's value: anything but regex syntax, which without ``=~`` is a
#: located error (issue #9: ``code: "5.."`` matches only the text ``5..``).
exact_values = hostile.filter(lambda v: not looks_like_regex(v))


@st.composite
def matcher_values(draw: Draw) -> str:
    kind = draw(st.sampled_from(["exact", "eq", "ne", "re", "nre"]))
    if kind == "exact":
        value = draw(exact_values)
        if value.startswith(("=", "!=", "!~")):
            value = "=" + value  # "==~x" means exactly "=~x"
        return str(value)
    if kind == "eq":
        return "=" + draw(exact_values)
    if kind == "ne":
        return "!=" + draw(exact_values)
    return ("=~" if kind == "re" else "!~") + draw(regexes)


def matchers(keys: st.SearchStrategy[str] | None = None, max_size: int = 3) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(spec_label_names if keys is None else keys, matcher_values(), max_size=max_size)


label_maps = st.dictionaries(spec_label_names, hostile, max_size=3)
UNITS = ("y", "w", "d", "h", "m", "s", "ms")


@st.composite
def durations(draw: Draw, zero: bool = False) -> str:
    """A positive Prometheus duration, largest unit first (``zero`` adds "0")."""
    special = ["1ms", "292y", "1h30m", "26h", "90d", "4w", "1y2w3d4h5m6s7ms"]
    if zero:
        special.append("0")
    if one_in(draw, 6):
        return str(draw(st.sampled_from(special)))
    units = sorted(draw(st.sets(st.integers(0, len(UNITS) - 1), min_size=1, max_size=3)))
    return "".join(f"{draw(st.integers(1, 9 if UNITS[u] == 'y' else 999))}{UNITS[u]}" for u in units)


finite = st.floats(allow_nan=False, allow_infinity=False)
ratios = st.one_of(st.floats(0, 1), st.sampled_from([0, 1, 0.05, 0.1, 1e-9]))
quantiles = st.one_of(
    st.floats(0, 1, exclude_min=True, exclude_max=True), st.sampled_from([0.5, 0.9, 0.95, 0.99, 0.999])
)
seconds = st.one_of(durations(), st.floats(0, 1e12), st.integers(0, 10**6))
sizes = st.one_of(
    st.builds(
        "{}{}{}{}".format,
        st.integers(1, 99999),
        st.sampled_from(["", ".5", ".25", ".125"]),
        st.sampled_from(["", "Ki", "Mi", "Gi", "Ti", "Pi", "K", "M", "G", "T", "P"]),
        st.sampled_from(["", "B"]),
    ),
    st.floats(1e-9, 1e300),
    st.integers(1, 10**18),
)
severities = st.sampled_from(["critical", "warning", "info"])
COMPARISONS = (">", ">=", "<", "<=", "==", "!=")


def promql_quote(value: str, style: int) -> str:
    """A double-quoted PromQL string (Go string-literal rules), two ways to write controls."""
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}" if style == 0 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def number_text(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


# ---------------------------------------------------------------------------------
# Valid specs
# ---------------------------------------------------------------------------------

WELL_KNOWN = {
    "kube_pod_container_status_restarts_total": "counter",
    "probe_success": "gauge",
    "kube_horizontalpodautoscaler_status_current_replicas": "gauge",
    "kube_horizontalpodautoscaler_spec_max_replicas": "gauge",
    "kube_horizontalpodautoscaler_spec_min_replicas": "gauge",
}


def one_in(draw: Draw, n: int) -> bool:
    """True about once in ``n`` draws. Hypothesis favours the smallest value
    (about a quarter of draws), so that one means the common case."""
    return bool(draw(st.integers(1, n)) == n)


def maybe(draw: Draw, out: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        out[key] = draw(strategy)


def draw_metric(draw: Draw, mtype: str) -> dict[str, Any]:
    metric: dict[str, Any] = {"type": mtype}
    maybe(draw, metric, "help", hostile)
    maybe(draw, metric, "unit", st.sampled_from(["seconds", "bytes", "ratio", "total_ops"]))
    maybe(draw, metric, "labels", st.lists(spec_label_names, max_size=4, unique=True))
    if mtype == "histogram":
        maybe(draw, metric, "buckets", st.lists(finite, min_size=1, max_size=5))
    if one_in(draw, 4):
        metric["selector"] = draw(matchers())
    return metric


def draw_catalog(draw: Draw) -> dict[str, dict[str, Any]]:
    names = draw(st.lists(spec_metric_names, min_size=1, max_size=5, unique=True))
    catalog = {
        n: draw_metric(draw, draw(st.sampled_from(["counter", "gauge", "histogram", "summary"])))
        for n in names
    }
    for name, mtype in WELL_KNOWN.items():
        if one_in(draw, 4):
            catalog[name] = draw_metric(draw, mtype)
    return catalog


def of_type(catalog: dict[str, dict[str, Any]], *types: str) -> list[str]:
    return sorted(n for n, m in catalog.items() if m["type"] in types)


def draw_signal(draw: Draw, catalog: dict[str, dict[str, Any]], mtype: str) -> Any:
    name = draw(st.sampled_from(of_type(catalog, mtype)))
    declared = catalog[name].get("labels")
    if declared is not None and not declared:
        return name
    keys = st.sampled_from(declared) if declared else spec_label_names
    match = draw(matchers(keys))
    if not match and draw(st.booleans()):
        return name
    signal: dict[str, Any] = {"metric": name}
    if match or draw(st.booleans()):
        signal["match"] = match
    return signal


def draw_signals(draw: Draw, catalog: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if of_type(catalog, "counter"):
        for name in ("requests", "errors"):
            if not one_in(draw, 4):
                out[name] = draw_signal(draw, catalog, "counter")
    if of_type(catalog, "histogram") and not one_in(draw, 4):
        out["latency"] = draw_signal(draw, catalog, "histogram")
    return out


def known_labels(catalog: dict[str, dict[str, Any]], names: list[str]) -> list[str] | None:
    """The labels a ``by`` or ``match`` over these metrics may name: those every
    metric that declares labels has (declared, target labels, ``le`` of a
    histogram); None when none declares any (any label goes)."""
    found: list[set[str]] = []
    for name in names:
        metric = catalog[name]
        if "labels" in metric:
            labels = {*metric["labels"], *TARGET_LABELS}
            if metric["type"] == "histogram":
                labels.add("le")
            found.append(labels)
    return sorted(set.intersection(*found)) if found else None


def label_lists(catalog: dict[str, dict[str, Any]], names: list[str]) -> st.SearchStrategy[list[str]]:
    """A ``by`` over these metrics: labels they have, or any label if they declare none."""
    known = known_labels(catalog, names)
    return by_lists if known is None else st.lists(st.sampled_from(known), max_size=3)


def match_maps(catalog: dict[str, dict[str, Any]], names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    known = known_labels(catalog, names)
    return matchers(None if known is None else st.sampled_from(known))


def unit_of(catalog: dict[str, dict[str, Any]], name: str) -> str:
    """The unit the tool reads for a metric: declared, else its name's suffix."""
    metric = catalog[name]
    return metric_unit(Metric(name, metric["type"], unit=metric.get("unit", "")))


def latency_thresholds(catalog: dict[str, dict[str, Any]], name: str) -> st.SearchStrategy[Any] | None:
    """A latency_quantile threshold (seconds) the histogram can cross: inside its
    declared buckets (at or above the smallest, below the largest); None if none can."""
    metric = catalog[name]
    if unit_of(catalog, name) not in ("", "seconds"):
        return None
    finite = sorted(b for b in metric.get("buckets", []) if math.isfinite(b))
    if not finite:
        return seconds
    low, high = max(finite[0], 0.0), finite[-1]
    if not low < high:
        return None
    inside = [b for b in finite if low <= b < high]
    between = st.floats(low, high, exclude_max=True)
    return st.one_of(between, st.sampled_from(inside)) if inside else between


def capacities(catalog: dict[str, dict[str, Any]], name: str) -> st.SearchStrategy[Any]:
    """A saturation capacity: sizes (bytes) only for a metric in bytes or of no known unit."""
    if unit_of(catalog, name) in ("", "bytes"):
        return sizes
    return st.one_of(st.floats(1e-9, 1e300), st.integers(1, 10**18))


def template_params(
    draw: Draw,
    template: str,
    catalog: dict[str, dict[str, Any]],
    signals: dict[str, Any],
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Valid parameters for a built-in alert template; with ``base`` (the alert's
    own parameters), any subset of them for an environment's override, valid
    together with the alert's."""
    partial = base is not None
    p: dict[str, Any] = {}

    def req(key: str, strategy: st.SearchStrategy[Any]) -> None:
        if partial:
            maybe(draw, p, key, strategy)
        else:
            p[key] = draw(strategy)

    def metric(key: str, types: tuple[str, ...], default: str | None = None) -> None:
        choices = of_type(catalog, *types) if types else sorted(catalog)
        if default is not None and catalog.get(default, {}).get("type") in types:
            maybe(draw, p, key, st.sampled_from(choices))
        else:
            req(key, st.sampled_from(choices))

    def used(key: str, default: str | None = None) -> str:
        """The metric a parameter names once the override applies."""
        return str(p.get(key, (base or {}).get(key, default)))

    def moved(*keys: str) -> bool:
        """An override that names other metrics: what depends on them is drawn again."""
        return partial and any(k in p for k in keys)

    def dependent(key: str, strategy: st.SearchStrategy[Any], changed: bool, required: bool = False) -> None:
        if changed:
            p[key] = draw(strategy)
        elif required:
            req(key, strategy)
        else:
            maybe(draw, p, key, strategy)

    def sig(name: str) -> str:
        return signal_metric(signals[name])

    if template == "error_ratio":
        req("threshold", ratios)
        maybe(draw, p, "window", durations())
        maybe(draw, p, "by", label_lists(catalog, [sig("requests"), sig("errors")]))
        maybe(draw, p, "min_rate", finite)
    elif template == "latency_quantile":
        thresholds = latency_thresholds(catalog, sig("latency"))
        assert thresholds is not None  # possible_templates left it out
        req("threshold", thresholds)
        maybe(draw, p, "quantile", quantiles)
        maybe(draw, p, "window", durations())
        # histogram_quantile drops le: a quantile per le is a mistake lint refuses
        # (alerts/template-labels: the description would name a label that is gone).
        maybe(draw, p, "by", label_lists(catalog, [sig("latency")]).filter(lambda b: "le" not in b))
    elif template == "absent":
        metric("metric", ())
    elif template == "crash_looping":
        metric("metric", ("counter",), "kube_pod_container_status_restarts_total")
        maybe(draw, p, "window", durations())
        maybe(draw, p, "threshold", finite)
    elif template == "probe_down":
        metric("metric", ("gauge",), "probe_success")
        dependent("match", match_maps(catalog, [used("metric", "probe_success")]), moved("metric"))
        maybe(draw, p, "endpoint", hostile)
    elif template == "hpa_at_max":
        metric("current", ("gauge",), "kube_horizontalpodautoscaler_status_current_replicas")
        metric("maximum", ("gauge",), "kube_horizontalpodautoscaler_spec_max_replicas")
        metric("minimum", ("gauge",), "kube_horizontalpodautoscaler_spec_min_replicas")
        three = [
            used("current", "kube_horizontalpodautoscaler_status_current_replicas"),
            used("maximum", "kube_horizontalpodautoscaler_spec_max_replicas"),
            used("minimum", "kube_horizontalpodautoscaler_spec_min_replicas"),
        ]
        dependent("match", match_maps(catalog, three), moved("current", "maximum", "minimum"), required=True)
    elif template == "stale_timestamp":
        metric("metric", ("gauge",))
        req("max_age", durations())
        dependent("by", label_lists(catalog, [used("metric")]), moved("metric"))
    elif template == "gauge_threshold":
        metric("metric", ("gauge",))
        req("threshold", finite)
        maybe(draw, p, "op", st.sampled_from(COMPARISONS))
        maybe(draw, p, "aggregation", st.sampled_from(["sum", "min", "max", "avg", "count"]))
        dependent("by", label_lists(catalog, [used("metric")]), moved("metric"))
        dependent("match", match_maps(catalog, [used("metric")]), moved("metric"))
    elif template == "saturation":
        metric("metric", ("gauge",))
        dependent("capacity", capacities(catalog, used("metric")), moved("metric"), required=True)
        req("threshold", ratios)
        dependent("by", label_lists(catalog, [used("metric")]), moved("metric"))
        dependent("match", match_maps(catalog, [used("metric")]), moved("metric"))
    else:  # pragma: no cover - the list below is the vocabulary
        raise AssertionError(template)
    return p


def possible_templates(signals: dict[str, Any], catalog: dict[str, dict[str, Any]]) -> list[str]:
    out = ["absent"]
    if "requests" in signals and "errors" in signals:
        out.append("error_ratio")
    if "latency" in signals and latency_thresholds(catalog, signal_metric(signals["latency"])) is not None:
        out.append("latency_quantile")
    if of_type(catalog, "counter"):
        out.append("crash_looping")
    if of_type(catalog, "gauge"):
        out += ["probe_down", "hpa_at_max", "stale_timestamp", "gauge_threshold", "saturation"]
    return out


def selector_text(draw: Draw, name: str, catalog: dict[str, dict[str, Any]], suffix: str = "") -> str:
    mtype = catalog[name]["type"]
    if mtype in ("histogram", "summary") and not suffix:
        suffix = "_count"
    match = draw(st.dictionaries(spec_label_names, st.tuples(st.sampled_from(["=", "!=", "=~", "!~"]), hostile), max_size=2))
    style = draw(st.integers(0, 1))
    inner = []
    for label, (op, value) in match.items():
        text = re2_literal(value) if "~" in op else value
        inner.append(f"{label}{op}{promql_quote(text, style)}")
    return promql_selector(name + suffix, inner, style)


def promql_selector(name: str, inner: list[str], style: int = 0, braces: bool = False) -> str:
    """``name{inner}``, or ``{__name__="name", inner}`` for a name PromQL reads as a word."""
    if name.lower() in NOT_BARE_METRICS:
        return "{" + ", ".join([f"__name__={promql_quote(name, style)}", *inner]) + "}"
    return name + ("{" + ", ".join(inner) + "}" if inner or braces else "")


def raw_alert_expr(draw: Draw, catalog: dict[str, dict[str, Any]]) -> str:
    name = draw(st.sampled_from(sorted(catalog)))
    sel = selector_text(draw, name, catalog)
    num = number_text(draw(finite))
    op = draw(st.sampled_from(COMPARISONS))
    # Descriptions may name $labels.instance and $labels.job: aggregations keep
    # them (alerts/template-labels refuses a description naming a label that is gone).
    by = ", ".join(dict.fromkeys(["instance", "job", *draw(st.lists(spec_grouping_names, max_size=3))]))
    window = draw(durations())
    nl = draw(st.sampled_from([" ", "\n", "\n  "]))
    forms = [
        f"{sel} {op} {num}",
        f"absent({sel})",
        f"{sel} > {num}{nl}and{nl}{sel} < {num}",
        f"time() - max by ({by}) ({sel}) > {num}",
        f"avg_over_time({sel}[{window}]) {op} bool {num} == 1",
        f"(\n  {sel}\n) unless on ({by}) {sel} {op} {num}",
    ]
    counters = of_type(catalog, "counter")
    if counters:  # rate() only over a counter: on a gauge it is a lint error (rate-on-gauge)
        csel = selector_text(draw, draw(st.sampled_from(counters)), catalog)
        forms.append(f"sum by ({by}) (rate({csel}[{window}])) {op}{nl}{num}")
    hists = of_type(catalog, "histogram")
    if hists:
        hsel = selector_text(draw, draw(st.sampled_from(hists)), catalog, "_bucket")
        forms.append(
            f"histogram_quantile({number_text(draw(quantiles))},{nl}sum by (le) (rate({hsel}[{window}]))) > {num}"
        )
    return str(draw(st.sampled_from(forms)))


def raw_record_expr(draw: Draw, catalog: dict[str, dict[str, Any]]) -> str:
    name = draw(st.sampled_from(sorted(catalog)))
    sel = selector_text(draw, name, catalog)
    by = ", ".join(draw(st.lists(spec_grouping_names, max_size=3)))
    window = draw(durations())
    forms = [
        f"sum by ({by}) ({sel})",
        f"max without ({by}) ({sel}) / {number_text(draw(finite))}",
        f'label_replace({sel}, "dst", "$1", "src", "(.*)")',
        f"count({sel}) or vector(0)",
    ]
    counters = of_type(catalog, "counter")
    if counters:
        csel = selector_text(draw, draw(st.sampled_from(counters)), catalog)
        forms.append(f"sum(rate({csel}[{window}]))")
    return str(draw(st.sampled_from(forms)))


def description_text(draw: Draw) -> str:
    # Labels only under `with`: an expression may aggregate them away, and a bare
    # $labels.x of a label that is gone is a lint error (alerts/template-labels).
    actions = [
        "{{ with $labels.instance }}{{ . }}{{ end }}", "{{ $value }}", "{{ $value | humanize }}",
        "{{ with $labels.job }}job {{ . }}{{ end }}", "{{ with $labels.job }}{{ . | toUpper }}{{ end }}",
        '{{ printf "%.2f" $value }}', "{{ if gt $value 1.0 }}big{{ else }}small{{ end }}",
    ]
    parts = draw(st.lists(template_text, min_size=1, max_size=3))
    acts = draw(st.lists(st.sampled_from(actions), min_size=1, max_size=3))
    out = []
    for i, part in enumerate(parts):
        out.append(part)
        if i < len(acts):
            out.append(acts[i])
    out.extend(acts[len(parts):])
    return "".join(out)


def summary_text(draw: Draw) -> str:
    """Static text (a summary may not hold "{{"), one sentence ending with a period."""
    return str(draw(hostile)).replace("{", "{ ") + "."


class Names:
    """Unique alert and record names across the whole spec."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count

    def alert(self, draw: Draw) -> str:
        return f"{draw(alert_bases)}{self.next()}"

    def record(self, draw: Draw) -> str:
        return f"{draw(record_parts)}:{draw(record_parts)}:{draw(record_parts)}{self.next()}"


def alert_fields(draw: Draw, runbook_needed: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {"severity": draw(severities)}
    maybe(draw, fields, "for", durations(zero=True))
    if one_in(draw, 4):
        fields["keep_firing_for"] = draw(durations(zero=True))
    maybe(draw, fields, "labels", label_maps)
    if one_in(draw, 3):
        fields["annotations"] = draw(
            st.dictionaries(
                spec_label_names.filter(lambda n: n not in ("summary", "description", "runbook_url")),
                template_text,
                max_size=2,
            )
        )
    if runbook_needed or one_in(draw, 4):
        fields["runbook_url"] = draw(nonempty_hostile)
    if one_in(draw, 6):
        fields["enabled"] = draw(st.booleans())
    return fields


def draw_alerts(
    draw: Draw,
    names: Names,
    catalog: dict[str, dict[str, Any]],
    signals: dict[str, Any],
    runbook_needed: bool,
    registry: dict[str, tuple[str | None, dict[str, dict[str, Any]], dict[str, Any], dict[str, Any]]],
    max_alerts: int,
) -> dict[str, Any]:
    alerts: dict[str, Any] = {}
    templates = possible_templates(signals, catalog)
    for _ in range(draw(st.integers(0, max_alerts))):
        name = names.alert(draw)
        alert = alert_fields(draw, runbook_needed)
        if one_in(draw, 4):
            alert["expr"] = raw_alert_expr(draw, catalog)
            alert["summary"] = summary_text(draw)
            alert["description"] = description_text(draw)
            registry[name] = (None, catalog, signals, {})
        else:
            red = [t for t in templates if t in ("error_ratio", "latency_quantile")]
            template = draw(st.sampled_from(red if red and one_in(draw, 3) else templates))
            alert["template"] = template
            params = template_params(draw, template, catalog, signals)
            alert.update(params)
            if one_in(draw, 6):
                alert["summary"] = summary_text(draw)
            if one_in(draw, 6):
                alert["description"] = description_text(draw)
            registry[name] = (template, catalog, signals, params)
        alerts[name] = alert
    return alerts


def draw_records(
    draw: Draw, names: Names, catalog: dict[str, dict[str, Any]], signals: dict[str, Any]
) -> dict[str, Any]:
    records: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 3))):
        options = ["expr"]
        if signals:
            options.append("signal_rate")
        if "requests" in signals and "errors" in signals and not same_series(signals["requests"], signals["errors"]):
            options.append("error_ratio")
        if "latency" in signals:
            options.append("latency_quantile")
        kind = draw(st.sampled_from(options))
        record: dict[str, Any]
        if kind == "expr":
            record = {"expr": raw_record_expr(draw, catalog)}
        else:
            record = {"template": kind}
            if kind == "signal_rate":
                record["signal"] = draw(st.sampled_from(sorted(signals)))
            if kind == "latency_quantile":
                maybe(draw, record, "quantile", quantiles)
            maybe(draw, record, "window", durations())
            used = {"signal_rate": [record.get("signal", "")], "error_ratio": ["requests", "errors"]}
            queried = [signal_metric(signals[n]) for n in used.get(kind, ["latency"])]
            maybe(draw, record, "by", label_lists(catalog, queried))
        maybe(draw, record, "labels", label_maps)
        records[names.record(draw)] = record
    return records


spec_ids = names(LOWER + UPPER + DIGITS, LOWER + UPPER + DIGITS + "._/-", 20)
slo_names = names(LOWER + DIGITS, LOWER + DIGITS + "._-", 8).map(lambda s: s.rstrip("._-") or "s")
objectives = st.floats(0.001, 99.999).filter(lambda x: 0 < x < 100)


def signal_metric(signal: Any) -> str:
    return signal if isinstance(signal, str) else str(signal["metric"])


def same_series(a: Any, b: Any) -> bool:
    """Two signals select the same series (the SLO would have a ratio of 1)."""

    def key(signal: Any) -> tuple[str, frozenset[Any]]:
        match = {} if isinstance(signal, str) else signal.get("match", {})
        return signal_metric(signal), frozenset(parse_matcher(k, v) for k, v in match.items())

    return key(a) == key(b)


def draw_slos(draw: Draw, service: dict[str, Any], runbook_needed: bool) -> dict[str, Any]:
    """Valid SLOs over the service's own and its dependencies' signals."""
    options: list[dict[str, Any]] = []
    holders = [("", service.get("signals", {}))]
    holders += [(f"{d}.", dep) for d, dep in service.get("dependencies", {}).items()]
    for prefix, signals in holders:
        if "requests" in signals and "errors" in signals and not same_series(signals["requests"], signals["errors"]):
            options.append({"events": {"errors": f"{prefix}errors", "total": f"{prefix}requests"}})
        if "latency" in signals:
            buckets = service["metrics"][signal_metric(signals["latency"])].get("buckets", [])
            for bucket in (b for b in buckets if b > 0):
                options.append({"latency": {"signal": f"{prefix}latency", "threshold": bucket}})
    slos: dict[str, Any] = {}
    if not options:
        return slos
    for name in draw(st.lists(slo_names, max_size=2, unique=True)):
        slo: dict[str, Any] = {"objective": draw(objectives), "sli": draw(st.sampled_from(options))}
        maybe(draw, slo, "period", st.sampled_from(["30d", "28d", "4w"]))
        maybe(draw, slo, "mode", st.sampled_from(["guarded", "sloth"]))
        guarded = slo.get("mode", "guarded") == "guarded"
        if one_in(draw, 3):
            slo["labels"] = {k: v for k, v in draw(label_maps).items() if not k.startswith("sloth_")}
        alerting: dict[str, Any] = {}
        if runbook_needed and guarded:
            alerting["runbook_url"] = draw(nonempty_hostile)
        if one_in(draw, 3):
            alerting["no_data"] = {"enabled": True}
        if one_in(draw, 3):
            page: dict[str, Any] = {"for": draw(durations(zero=True))}
            if guarded:  # sloth mode refuses our convention fields
                page["severity"] = draw(severities)
            alerting["page"] = page
        if one_in(draw, 4):
            alerting["ticket"] = {"enabled": False}
        if alerting:
            slo["alerting"] = alerting
        slos[name] = slo
    return slos


@st.composite
def valid_specs(draw: Draw, max_services: int = 3, max_alerts: int = 4) -> dict[str, Any]:
    """A spec the tool must accept: every name, type, parameter and reference is right."""
    names = Names()
    spec: dict[str, Any] = {"version": 1}
    if "id" in SPEC_KEYS and one_in(draw, 3):
        spec["id"] = draw(spec_ids)
    defaults: dict[str, Any] = {}
    maybe(draw, defaults, "prometheus_version", st.sampled_from(["2.42", "2.53", "3.0", "3.5"]))
    maybe(draw, defaults, "evaluation_interval", durations(zero=True))
    maybe(draw, defaults, "alert_labels", label_maps)
    if not one_in(draw, 4):
        pieces = st.sampled_from(["{alert}", "{alert_lower}", "{service}", "{environment}"]) | hostile.map(
            lambda s: s.replace("{", "(").replace("}", ")")
        )
        defaults["runbook_url"] = "https://rb.example/" + "".join(draw(st.lists(pieces, max_size=4)))
    if defaults or draw(st.booleans()):
        spec["defaults"] = defaults
    runbook_needed = "runbook_url" not in defaults

    registry: dict[str, tuple[str | None, dict[str, dict[str, Any]], dict[str, Any], dict[str, Any]]] = {}
    services: dict[str, Any] = {}
    for sname in draw(st.lists(slugs, min_size=1, max_size=max_services, unique=True)):
        catalog = draw_catalog(draw)
        service: dict[str, Any] = {}
        maybe(draw, service, "description", hostile)
        maybe(draw, service, "selector", matchers())
        service["metrics"] = catalog
        signals = draw_signals(draw, catalog)
        if signals or draw(st.booleans()):
            service["signals"] = signals
        records = draw_records(draw, names, catalog, signals)
        if records:
            service["records"] = records
        alerts = draw_alerts(draw, names, catalog, signals, runbook_needed, registry, max_alerts)
        if alerts or draw(st.booleans()):
            service["alerts"] = alerts
        deps: dict[str, Any] = {}
        for dname in draw(st.lists(slugs, max_size=max_services - 1, unique=True)):
            dep: dict[str, Any] = draw_signals(draw, catalog)
            maybe(draw, dep, "description", hostile)
            dep_alerts = draw_alerts(draw, names, catalog, dep, runbook_needed, registry, max_alerts // 2)
            if dep_alerts or draw(st.booleans()):
                dep["alerts"] = dep_alerts
            deps[dname] = dep
        if deps:
            service["dependencies"] = deps
        slos = draw_slos(draw, service, runbook_needed)
        if slos:
            service["slos"] = slos
        services[sname] = service

    envs: dict[str, Any] = {}
    env_names = [] if one_in(draw, 3) else draw(st.lists(slugs, min_size=1, max_size=max_services, unique=True))
    for ename in env_names:
        env: dict[str, Any] = {}
        maybe(draw, env, "labels", label_maps)
        maybe(draw, env, "selector", matchers())
        overrides: dict[str, Any] = {}
        for aname in draw(st.lists(st.sampled_from(sorted(registry)), max_size=3, unique=True)) if registry else []:
            template, catalog, alert_signals, params = registry[aname]
            override: dict[str, Any] = {}
            maybe(draw, override, "severity", severities)
            maybe(draw, override, "for", durations(zero=True))
            maybe(draw, override, "labels", label_maps)
            if one_in(draw, 4):
                override["enabled"] = draw(st.booleans())
            if one_in(draw, 5):
                override["summary"] = summary_text(draw)
            if one_in(draw, 5):
                override["description"] = description_text(draw)
            if template is None:
                if draw(st.booleans()):
                    override["expr"] = raw_alert_expr(draw, catalog)
            else:
                override.update(template_params(draw, template, catalog, alert_signals, params))
            overrides[aname] = override
        if overrides:
            env["alerts"] = overrides
        envs[ename] = env
    if envs or one_in(draw, 4):
        spec["environments"] = envs
    spec["services"] = services
    return spec


def has_rules(spec: dict[str, Any], service: dict[str, Any], env: str) -> bool:
    """Whether the service has a record, or an alert enabled in ``env``."""
    if service.get("records"):
        return True
    overrides = ((spec.get("environments") or {}).get(env) or {}).get("alerts", {})
    for holder in (service, *service.get("dependencies", {}).values()):
        for name, alert in holder.get("alerts", {}).items():
            if overrides.get(name, {}).get("enabled", alert.get("enabled", True)):
                return True
    return False


def dump(spec: Any, draw_style: int = 0) -> str:
    """YAML text of ``spec``, in one of eight styles, that reads back as ``spec``."""
    text = yaml.safe_dump(
        spec,
        sort_keys=False,
        allow_unicode=bool(draw_style & 1),
        default_flow_style=None if draw_style & 2 else False,
        width=float("inf") if draw_style & 4 else 80,
    )
    if draw_style & 1 and yaml.safe_load(text) != spec:
        # PyYAML's emitter writes U+0085 raw in single quotes, where it reads
        # back as a space: fall back to escapes.
        return dump(spec, draw_style & ~1)
    return text


def unrenderable_words(spec: dict[str, Any]) -> set[str]:
    """Metric names and grouping labels in ``spec`` that PromQL 2.x cannot take bare."""
    found: set[str] = set()
    selectors = [env.get("selector", {}) for env in (spec.get("environments") or {}).values()]
    for service in spec["services"].values():
        found |= {m for m in service.get("metrics", {}) if m.lower() in NOT_BARE_METRICS}
        selectors.append(service.get("selector", {}))
        for holder in (service, *service.get("dependencies", {}).values()):
            for alert in holder.get("alerts", {}).values():
                found |= {b for b in alert.get("by", []) if b.lower() in NOT_GROUPING}
        for record in service.get("records", {}).values():
            found |= {b for b in record.get("by", []) if b.lower() in NOT_GROUPING}
    for env in (spec.get("environments") or {}).values():
        for override in env.get("alerts", {}).values():
            found |= {b for b in override.get("by", []) if b.lower() in NOT_GROUPING}
    found |= {k for sel in selectors for k in sel if k.lower() in NOT_GROUPING}
    return found


GO_BRACE = '{{"{"}}'  # how a literal "{" is written in a Go template


def expected_rules(spec: dict[str, Any], env: str) -> dict[str, dict[str, Any]]:
    """What each service's file must hold in environment ``env``, by rule name:
    an alert's labels (as Prometheus will print them) and, for probe_down, the
    endpoint its summary quotes; a record's labels."""
    envs = spec.get("environments") or {}
    environment = envs.get(env, {}) if env else {}
    overrides = environment.get("alerts", {})
    alert_labels = spec.get("defaults", {}).get("alert_labels", {})
    out: dict[str, dict[str, Any]] = {}
    for sname, service in spec["services"].items():
        rules: dict[str, Any] = {}
        for holder in [service, *service.get("dependencies", {}).values()]:
            for aname, alert in holder.get("alerts", {}).items():
                override = overrides.get(aname, {})
                fields = {**alert, **override}
                if not fields.get("enabled", True):
                    continue
                labels = {**alert_labels, **environment.get("labels", {}), **alert.get("labels", {}),
                          **override.get("labels", {}), "severity": fields["severity"]}
                endpoint = fields.get("endpoint", "") if fields.get("template") == "probe_down" else ""
                # Whitespace at a line's end is trimmed from rendered text by design.
                plain = endpoint and endpoint == endpoint.strip() and not re.search("[\r\n]", endpoint)
                rules[aname] = {"labels": labels, "endpoint": endpoint if plain and "summary" not in fields else None}
        for rname, record in service.get("records", {}).items():
            rules[rname] = {"labels": {**environment.get("labels", {}), **record.get("labels", {})}}
        out[sname] = rules
    return out


def assert_rules_match(path: Path, expected: dict[str, Any], context: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = {
        rule.get("alert", rule.get("record")): rule
        for group in data.get("groups") or []
        for rule in group.get("rules") or []
    }
    assert sorted(found) == sorted(expected), f"{path}: rules {sorted(found)} != {sorted(expected)}\n{context}"
    for name, want in expected.items():
        rule = found[name]
        labels = rule.get("labels") or {}
        if "alert" in rule:  # alert labels are Go templates: a literal "{" is escaped
            labels = {k: v.replace(GO_BRACE, "{") for k, v in labels.items()}
        assert labels == want["labels"], f"{path}: {name}: labels {labels!r} != {want['labels']!r}\n{context}"
        if want.get("endpoint"):
            summary = rule["annotations"]["summary"].replace(GO_BRACE, "{")
            assert want["endpoint"] in summary, (
                f"{path}: {name}: summary {summary!r} does not quote the endpoint {want['endpoint']!r}\n{context}"
            )


def small_spec(service: dict[str, Any]) -> dict[str, Any]:
    """A one-service spec around ``service`` (metrics, signals, alerts, records)."""
    return {"version": 1, "defaults": {"runbook_url": "https://rb.example/{alert}"}, "services": {"svc": service}}


# Minimal reproductions of bugs found by this file, run before the random ones.
# A label value with U+2028 (or U+0085, U+2029, \v, \f): rendered templates were
# split into lines there, so the PromQL string literal got a raw line break.
BUG_LINE_SEPARATOR = small_spec({
    "metrics": {"http_requests_total": {"type": "counter"}},
    "signals": {"requests": {"metric": "http_requests_total", "match": {"route": "a\u2028b"}}},
    "records": {"svc:requests:rate5m": {"template": "signal_rate", "signal": "requests"}},
})
# The same in a regex, in an expression that also holds a backtick: generate's own
# validation missed the raw line break and wrote a file promtool rejects.
BUG_LINE_SEPARATOR_REGEX = small_spec({
    "metrics": {"http_requests_total": {"type": "counter"}},
    "signals": {"requests": {"metric": "http_requests_total", "match": {"route": "=~a\x85b", "code": "`"}}},
    "records": {"svc:requests:rate5m": {"template": "signal_rate", "signal": "requests"}},
})
# Names PromQL reads as numbers or words: rendered, or refused up front naming
# them; never a parse error of the generated rules.
BUG_METRIC_NAN = small_spec({
    "metrics": {"nan": {"type": "gauge"}},
    "alerts": {"NanAbsent": {"template": "absent", "metric": "nan", "severity": "warning"}},
})
BUG_SELECTOR_LABEL_INF = small_spec({
    "selector": {"inf": "x"},
    "metrics": {"up": {"type": "gauge"}},
    "alerts": {"UpLow": {"template": "gauge_threshold", "metric": "up", "threshold": 1, "severity": "warning"}},
})
# A template's ``by`` naming a label PromQL 2.x cannot group by.
BUG_BY_NAN = small_spec({
    "metrics": {"up": {"type": "gauge"}},
    "alerts": {"UpLow": {"template": "gauge_threshold", "metric": "up", "threshold": 1, "by": ["nan"], "severity": "warning"}},
})
BUG_BY_WITHOUT = small_spec({
    "metrics": {"up": {"type": "gauge"}},
    "alerts": {"UpLow": {"template": "gauge_threshold", "metric": "up", "threshold": 1, "by": ["without"], "severity": "warning"}},
})
# Text a template quotes was split at U+2028 too: the summary said "/a\n/b".
BUG_ENDPOINT_LINE_SEPARATOR = small_spec({
    "metrics": {"probe_success": {"type": "gauge"}},
    "alerts": {"ProbeDown": {"template": "probe_down", "endpoint": "/a\u2028/b", "severity": "critical"}},
})
# "smoothed"/"anchored" are plain names to Prometheus 2.x (and promtool 2.42), not
# to ``validate``: issue #9 (see ISSUE_9_WORDS); add it back to KNOWN_SPECS then.
BUG_METRIC_SMOOTHED = small_spec({
    "metrics": {"smoothed": {"type": "gauge"}},
    "alerts": {"SmoothedAbsent": {"template": "absent", "metric": "smoothed", "severity": "warning"}},
})


KNOWN_SPECS = {
    "line-separator-in-label-value": BUG_LINE_SEPARATOR,
    "line-separator-in-regex-with-backtick": BUG_LINE_SEPARATOR_REGEX,
    "metric-named-nan": BUG_METRIC_NAN,
    "selector-label-named-inf": BUG_SELECTOR_LABEL_INF,
    "by-label-named-nan": BUG_BY_NAN,
    "by-label-named-without": BUG_BY_WITHOUT,
    "endpoint-with-line-separator": BUG_ENDPOINT_LINE_SEPARATOR,
}


def with_examples(cases: list[dict[str, Any]]) -> Callable[[Any], Any]:
    """Run these explicit cases before random ones (a failing one stops the run early)."""

    def decorate(test: Any) -> Any:
        for case in reversed(cases):
            test = example(**case)(test)
        return test

    return decorate


@pytest.mark.parametrize("spec", KNOWN_SPECS.values(), ids=KNOWN_SPECS.keys())
def test_known_specs(spec: dict[str, Any], run_promtool: PromtoolRun) -> None:
    check_valid_spec(spec, 0, run_promtool)


@settings(max_examples=40, **SETTINGS)
@with_examples([{"spec": spec, "style": 0} for spec in KNOWN_SPECS.values()])
@given(spec=valid_specs(), style=st.integers(0, 7))
def test_valid_specs_generate_and_pass_promtool(
    spec: dict[str, Any], style: int, run_promtool: PromtoolRun
) -> None:
    check_valid_spec(spec, style, run_promtool)


def check_valid_spec(spec: dict[str, Any], style: int, run_promtool: PromtoolRun) -> None:
    text = dump(spec, style)
    note(text)
    for service in spec["services"].values():
        for holder in (service, *service.get("dependencies", {}).values()):
            for alert in holder.get("alerts", {}).values():
                event(f"alert template {alert.get('template', '(expr)')}")
        for record in service.get("records", {}).values():
            event(f"record template {record.get('template', '(expr)')}")
    event(f"{len(spec.get('environments') or {})} environment(s)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec_path = root / "spec.yaml"
        spec_path.write_text(text, encoding="utf-8")
        out = root / "out"
        context = f"spec:\n{text}"

        result = invoke("generate", "-f", spec_path, "-o", out)
        assert_no_crash(result, "generate")
        words = unrenderable_words(spec)
        if result.exit_code == 2 and words:
            # A metric or label named like a PromQL word that PromQL 2.x cannot
            # take bare: generating it ({__name__="nan"}) and refusing the spec
            # up front are both fine, a parse error in the generated rules is not.
            assert "parse error" not in result.output, (
                f"generate produced PromQL it cannot parse for {words}:\n{result.output}\n{context}"
            )
            assert any(re.search(rf"\b{re.escape(w)}\b", result.output) for w in words), (
                f"the refusal does not name {words}:\n{result.output}\n{context}"
            )
            assert_located(result, [spec_path], "generate")
            return
        assert result.exit_code == 0, f"generate rejected a valid spec:\n{result.output}\n{context}"

        files = sorted((out / "rules").rglob("*.yaml"))
        envs = sorted(spec.get("environments") or {}) or [""]
        expected_files = {
            (f"rules/{e}/{s}{kind}.rules.yaml" if e else f"rules/{s}{kind}.rules.yaml")
            for e in envs
            for s, service in spec["services"].items()
            for kind in ("", ".slo")
            # The SLO file when there are SLOs; the rules file unless the service
            # has SLOs and no rule of its own in this environment.
            if (service.get("slos") if kind else has_rules(spec, service, e) or not service.get("slos"))
        }
        assert {f.relative_to(out).as_posix() for f in files} == expected_files, context

        for env in envs:
            for sname, expected in expected_rules(spec, env).items():
                path = out / (f"rules/{env}/{sname}.rules.yaml" if env else f"rules/{sname}.rules.yaml")
                if not expected and not path.exists():
                    continue  # an SLO-only service: no empty rules file beside its SLO file
                assert_rules_match(path, expected, context)

        checked = run_promtool("check", "rules", *files)
        rendered = "\n".join(f"--- {f}\n{f.read_text(encoding='utf-8')}" for f in files)
        assert checked.returncode == 0, (
            f"promtool rejects generated rules:\n{checked.stdout}{checked.stderr}\n{rendered}\n{context}"
        )

        result = invoke("check", "-f", spec_path, "-o", out)
        assert_no_crash(result, "check")
        assert result.exit_code == 0, f"check after generate:\n{result.output}\n{context}"

        # Each environment's tree is one Prometheus: validate it on its own (the
        # same record in two environments is not a duplicate).
        for env in envs:
            result = invoke("validate", out / "rules" / env if env else out / "rules")
            assert_no_crash(result, "validate rules")
            assert result.exit_code == 0, (
                f"validate rejects generated rules:\n{result.output}\n{rendered}\n{context}"
            )

        result = invoke("validate", spec_path)
        assert_no_crash(result, "validate spec")
        assert result.exit_code == 0, f"validate rejects a spec generate accepts:\n{result.output}\n{context}"


# ---------------------------------------------------------------------------------
# Invalid specs: mutations
# ---------------------------------------------------------------------------------

BAD_DURATIONS = ["5mins", "-1m", "0", "1.5h", "", "5m ", "1h1h", "5M", "1d2h3q", "m", "1000000y",
                 "9223372036854775807ms", "300y", "1m1h", " 5m", "5m\n", "PT5M", "0x10s", "\u0661m"]
BAD_NUMBERS = [-0.1, 1.5, -1, 2, 0, 1, 1e308, -1e308, 10**30, 2**64, 10**400, float("inf"),
               float("-inf"), float("nan"), -0.0, 5e-324]
YAML11 = ["on", "off", "NO", "yes", "Yes", "OFF", "y", "n", "~", "null", "0x1F", "0o17", "1_000",
          "1:20", "2001-12-14", ".inf", ".NaN", "=", "<<"]
SENTINEL = "zzsentinelzz"
WEIRD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, "", " ", "x", [], {}, [1, "a"], {"a": 1}, {"": None},
    [[]], {"version": 1}, "{{", "\\", "\n", "é→🚀", "x" * 5000, 10**400,
]
UNKNOWN_NAMES = ["bogus", "selectr", "Template", "thresold", "alerts", "version", "metric", "le",
                 "__name__", "", "on", "1", "é", "a b", "UPPER", "zz-top"]


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(paths_of(value, (*prefix, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(paths_of(value, (*prefix, i)))
    return out


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


DURATION_KEYS = {"for", "keep_firing_for", "window", "max_age", "evaluation_interval"}
NUMBER_KEYS = {"threshold", "quantile", "min_rate", "capacity", "buckets"}
NAME_KEYS = {"template", "metric", "signal", "current", "maximum", "minimum", "requests", "errors",
             "latency", "op", "aggregation", "severity", "prometheus_version", "type", "unit"}


@st.composite
def mutated_specs(draw: Draw) -> bytes:
    """A valid spec's YAML text with one to three random mutations."""
    spec = copy.deepcopy(draw(valid_specs(max_services=2, max_alerts=2)))
    data: Any = spec
    text_ops: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([
            "delete", "retype", "unknown_key", "unknown_name", "duration", "number",
            "empty", "yaml11", "duplicate", "garbage", "truncate", "swap_kind", "unknown_param",
        ]))
        paths = paths_of(data)
        path = draw(st.sampled_from(paths))
        if kind == "delete":
            if path:
                parent = get(data, path[:-1])
                del parent[path[-1]]
        elif kind == "retype":
            data = set_at(data, path, draw(st.sampled_from(WEIRD_VALUES) | st.integers() | finite))
        elif kind == "swap_kind":
            node = get(data, path)
            if isinstance(node, dict):
                data = set_at(data, path, [[k, v] for k, v in node.items()])
            elif isinstance(node, list):
                data = set_at(data, path, {str(i): v for i, v in enumerate(node)})
            elif isinstance(node, str):
                data = set_at(data, path, [node])
        elif kind == "unknown_key":
            holders = [p for p in paths if isinstance(get(data, p), dict)]
            if not holders:
                continue
            holder = get(data, draw(st.sampled_from(holders)))
            holder[draw(st.sampled_from(UNKNOWN_NAMES) | label_names)] = draw(st.sampled_from(WEIRD_VALUES))
        elif kind in ("unknown_name", "duration", "number", "unknown_param"):
            keys = {"unknown_name": NAME_KEYS, "duration": DURATION_KEYS, "number": NUMBER_KEYS,
                    "unknown_param": {"template"}}[kind]
            targets = [p for p in paths if p and p[-1] in keys]
            if not targets:
                continue
            target = draw(st.sampled_from(targets))
            if kind == "unknown_name":
                value: Any = draw(st.sampled_from(UNKNOWN_NAMES) | metric_names)
            elif kind == "duration":
                value = draw(st.sampled_from(BAD_DURATIONS) | st.builds(
                    "{}{}".format, st.integers(-(10**25), 10**25), st.sampled_from(UNITS)
                ))
            elif kind == "number":
                value = draw(st.sampled_from(BAD_NUMBERS) | finite | st.integers())
            else:
                holder = get(data, target[:-1])
                holder[draw(st.sampled_from(UNKNOWN_NAMES))] = draw(st.sampled_from(WEIRD_VALUES) | finite)
                continue
            data = set_at(data, target, value)
        elif kind == "empty":
            strings = [p for p in paths if p and isinstance(get(data, p), str)]
            if strings:
                data = set_at(data, draw(st.sampled_from(strings)), "")
        elif kind == "yaml11":
            scalars = [p for p in paths if p and not isinstance(get(data, p), dict | list)]
            if scalars:
                data = set_at(data, draw(st.sampled_from(scalars)), SENTINEL)
                text_ops.append(draw(st.sampled_from(YAML11)))
        else:
            text_ops.append(kind)
    style = draw(st.integers(0, 7)) & ~2  # block style, so lines are keys
    raw = dump(data, style).encode("utf-8")
    for op in text_ops:
        if op == "duplicate":
            lines = raw.split(b"\n")
            keyed = [i for i, line in enumerate(lines) if re.match(rb"^\s*(- )?[^\s#'\"-][^:]*:( |$)", line)]
            if keyed:
                i = draw(st.sampled_from(keyed))
                lines.insert(i + 1, re.sub(rb"^(\s*)- ", rb"\1  ", lines[i]))
                raw = b"\n".join(lines)
        elif op == "garbage":
            pos = draw(st.integers(0, len(raw)))
            junk = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b"\xff\xfe", b"\t", b"{", b"[", b": :", b"&a *a", b"*nope", b"!!python/object:os.system",
                 b"\x00", b"---\n", b"%YAML 1.1\n", b"<<: *x\n", b"\xe2\x80\xa8", b"\r"]))
            raw = raw[:pos] + junk + raw[pos:]
        elif op == "truncate":
            raw = raw[: draw(st.integers(0, len(raw)))]
        else:  # a YAML 1.1 scalar in place of the sentinel
            raw = raw.replace(SENTINEL.encode(), op.encode(), 1)
    return raw


@settings(max_examples=120, **SETTINGS)
@given(text=mutated_specs())
def test_invalid_specs_are_reported_not_crashed(text: bytes) -> None:
    note(repr(text))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec_path = root / "spec.yaml"
        spec_path.write_bytes(text)
        out = root / "out"
        context = f"spec:\n{text.decode('utf-8', errors='backslashreplace')}"

        gen = invoke("generate", "-f", spec_path, "-o", out)
        assert_no_crash(gen, "generate")
        event(f"generate exit {gen.exit_code}")
        assert gen.exit_code in (0, 2), f"generate: exit {gen.exit_code}\n{gen.output}\n{context}"
        if gen.exit_code == 2:
            assert_located(gen, [spec_path], "generate")
            assert not out.exists() or not any(out.rglob("*.yaml")), "generate wrote files on exit 2"

        chk = invoke("check", "-f", spec_path, "-o", out)
        assert_no_crash(chk, "check")
        if gen.exit_code == 0:
            assert chk.exit_code == 0, f"check after generate:\n{chk.output}\n{context}"
        else:  # 2 for bad input, 1 for lint errors (which generate refuses)
            assert chk.exit_code != 0, f"check accepts what generate rejects:\n{chk.output}\n{context}"
            assert_located(chk, [spec_path], "check")

        val = invoke("validate", spec_path)
        assert_no_crash(val, "validate")
        if val.exit_code:
            assert_located(val, [spec_path], "validate")
        if gen.exit_code == 0:
            assert val.exit_code == 0, f"validate rejects what generate accepts:\n{val.output}\n{context}"
        else:
            try:
                loaded = yaml.safe_load(spec_path.read_bytes())
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                loaded = None
            if isinstance(loaded, dict) and ("version" in loaded or "services" in loaded):
                assert val.exit_code != 0, f"validate accepts a spec generate rejects:\n{gen.output}\n{context}"


# ---------------------------------------------------------------------------------
# Random Prometheus rule files
# ---------------------------------------------------------------------------------

# A small type-aware PromQL grammar for Prometheus 2.42 (the installed promtool):
# every expression it builds is valid there, so a clean rule file from it must
# pass both promtool and ``validate``.
RANGE_FUNCS = [
    "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "avg_over_time",
    "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "stddev_over_time",
    "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time",
]
UNARY_FUNCS = ["abs", "ceil", "floor", "round", "sqrt", "exp", "ln", "log2", "log10", "sgn",
               "timestamp", "sort", "sort_desc", "-"]
AGGREGATIONS = ["sum", "avg", "min", "max", "count", "stddev", "stdvar", "group"]
ARITHMETIC = ["+", "-", "*", "/", "%", "^"]
SET_OPS = ["and", "or", "unless"]
SCALAR_LITERALS = ["0", "1", "-1", "0.5", "1e3", "1e-3", "0x1f", "NaN", "Inf", "-Inf", "+5"]


@st.composite
def plain_selectors(draw: Draw) -> str:
    name = draw(metric_names)
    style = draw(st.integers(0, 1))
    match = draw(st.dictionaries(label_names, matcher_values(), max_size=2))
    inner = []
    for label, text in match.items():
        for op in ("=~", "!~", "!=", "="):
            if text.startswith(op):
                inner.append(f"{label}{op}{promql_quote(text[len(op):], style)}")
                break
        else:
            inner.append(f"{label}={promql_quote(text, style)}")
    return promql_selector(name, inner, style, braces=one_in(draw, 6))


modifiers = st.sampled_from(["", "", "", " offset 5m", " offset -1h", " @ 1609746000", " @ start()", " @ end()"])
selectors = st.builds(operator.add, plain_selectors(), modifiers)


def scalar_text(draw: Draw) -> str:
    return str(draw(st.sampled_from(SCALAR_LITERALS) | finite.map(number_text)))


def grouping(draw: Draw) -> str:
    labels = ", ".join(draw(st.lists(grouping_names, max_size=2, unique=True)))
    return str(draw(st.sampled_from([f" by ({labels}) ", f" without ({labels}) ", " "])))


@st.composite
def vector_exprs(draw: Draw, depth: int = 0) -> str:
    kinds = ["selector", "range", "vector"]
    if depth < 3:
        kinds += ["agg", "agg", "binop", "scalarop", "paren", "unary", "subquery", "call", "range"]
    kind = draw(st.sampled_from(kinds))
    inner = vector_exprs(depth + 1)
    window = draw(durations())
    if kind == "selector":
        return str(draw(selectors))
    if kind == "vector":
        return str(draw(st.sampled_from(["vector(1)", "vector(time())", "absent(up)"])))
    if kind == "range":
        ranged = f"{draw(plain_selectors())}[{window}]{draw(modifiers)}"
        if one_in(draw, 5):
            return f"quantile_over_time({number_text(draw(quantiles))}, {ranged})"
        return f"{draw(st.sampled_from(RANGE_FUNCS))}({ranged})"
    if kind == "agg":
        agg = draw(st.sampled_from([*AGGREGATIONS, "topk", "bottomk", "quantile", "count_values"]))
        param = {"topk": "3, ", "bottomk": "1, ", "quantile": "0.9, ", "count_values": '"value", '}.get(agg, "")
        return f"{agg}{grouping(draw)}({param}{draw(inner)})"
    if kind == "binop":
        op = draw(st.sampled_from([*ARITHMETIC, *COMPARISONS, *SET_OPS]))
        labels = ", ".join(draw(st.lists(grouping_names.filter(lambda n: n != "x"), max_size=2, unique=True)))
        matching = draw(st.sampled_from(["", f" on ({labels})", f" ignoring ({labels})"]))
        if matching and op not in SET_OPS and draw(st.booleans()):
            matching += draw(st.sampled_from([" group_left ()", " group_right ()", " group_left (x)"]))
        if op in COMPARISONS and draw(st.booleans()):
            matching = " bool" + matching
        return f"({draw(inner)} {op}{matching} {draw(inner)})"  # parenthesised: no precedence surprises
    if kind == "scalarop":
        op = draw(st.sampled_from([*ARITHMETIC, *COMPARISONS]))
        a, b = draw(inner), scalar_text(draw)
        return f"({a} {op} {b})" if draw(st.booleans()) else f"({b} {op} {a})"
    if kind == "paren":
        return f"({draw(inner)})"
    if kind == "unary":
        fn = draw(st.sampled_from(UNARY_FUNCS))
        return f"-({draw(inner)})" if fn == "-" else f"{fn}({draw(inner)})"
    if kind == "subquery":
        step = draw(st.sampled_from(["", "1m", "30s"]))
        return f"{draw(st.sampled_from(RANGE_FUNCS[8:]))}(({draw(inner)})[{window}:{step}])"
    call = draw(st.sampled_from(["clamp_min", "clamp", "label_replace", "label_join", "histogram_quantile"]))
    if call == "clamp_min":
        return f"clamp_min({draw(inner)}, {scalar_text(draw)})"
    if call == "clamp":
        return f"clamp({draw(inner)}, 0, 1)"
    if call == "label_replace":
        regex = promql_quote(draw(regexes), 0)
        return f'label_replace({draw(inner)}, "dst", "$1", {promql_quote(draw(label_names), 0)}, {regex})'
    if call == "label_join":
        return f'label_join({draw(inner)}, "dst", {promql_quote(draw(hostile), 0)}, "a", "b")'
    return f"histogram_quantile({number_text(draw(quantiles))}, {draw(inner)})"


def go_template(draw: Draw) -> str:
    actions = [
        "{{ $labels.instance }}", "{{ $value }}", "{{ $value | humanize }}", "{{ $value | humanizePercentage }}",
        "{{ $value | humanizeDuration }}", "{{ with $labels.job }}{{ . }}{{ end }}", "{{ $externalURL }}",
        "{{ $externalLabels.cluster }}", '{{ printf "%.2f" $value }}', "{{ if gt $value 1.0 }}x{{ else }}y{{ end }}",
        "{{ $labels.job | toUpper }}", '{{ reReplaceAll "a" "b" $labels.job }}', "{{- /* comment */ -}}",
        '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}', '{{ "{" }}',
    ]
    parts = draw(st.lists(template_text | st.sampled_from(actions), max_size=4))
    return "".join(parts)


@st.composite
def clean_rules(draw: Draw, names: Names) -> dict[str, Any]:
    if draw(st.booleans()):
        rule: dict[str, Any] = {"alert": names.alert(draw)}
        cmp = draw(st.sampled_from(COMPARISONS))
        rule["expr"] = draw(
            st.sampled_from(["{e} {c} {n}", "{e}\n  {c} {n}", "absent({s})", "({e}) {c} {n} and {e2}"])
        ).format(e=draw(vector_exprs()), e2=draw(vector_exprs()), c=cmp, n=scalar_text(draw), s=draw(selectors))
        maybe(draw, rule, "for", durations(zero=True))
        if one_in(draw, 4):
            rule["keep_firing_for"] = draw(durations(zero=True))
        if draw(st.booleans()):
            rule["labels"] = {k: draw(template_text) for k in draw(st.lists(label_names, max_size=3, unique=True))}
        if draw(st.booleans()):
            rule["annotations"] = {k: go_template(draw) for k in draw(st.lists(label_names, max_size=3, unique=True))}
        return rule
    rule = {"record": draw(metric_names) + f":r{names.next()}", "expr": draw(vector_exprs())}
    maybe(draw, rule, "labels", label_maps)
    return rule


@st.composite
def clean_rule_files(draw: Draw) -> dict[str, Any]:
    names = Names()
    groups = []
    for gname in draw(st.lists(slugs | st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True)):
        group: dict[str, Any] = {"name": gname}
        maybe(draw, group, "interval", durations(zero=True))
        if one_in(draw, 5):
            group["limit"] = draw(st.integers(0, 10**6))
        group["rules"] = draw(st.lists(clean_rules(names), min_size=1, max_size=4))
        groups.append(group)
    return {"groups": groups}


PROMQL_TOKENS = [
    "up", "rate(", "sum", " by ", "(", ")", "{", "}", "[5m]", "[1h:1m]", " offset 5m", " @ 100",
    'job="a"', "job=~\"a.*\"", 'job!~"(("', ",", " > ", " == ", " and ", " or ", " unless ",
    " bool ", " on(", " ignoring(", " group_left ", "1", "0.5", "-", "+", "*", "/", "%", "^",
    "histogram_quantile(", "absent(", "label_replace(", '"x"', "time()", "vector(1)", "topk(3,",
    "avg_over_time(", "http_requests_total", "__name__", "le", "NaN", "Inf", "1e3", "0x1f",
    "`raw`", "'s'", "\\", "\n", "#c\n", "{{", "}}", "$labels", "keep_last_value(", "limitk(",
    "info(", "sort_by_label(", "double_exponential_smoothing(", "mad_over_time(", "@ start()",
]
NEWER_FUNCTIONS = ["mad_over_time(up[5m])", "sort_by_label(up)", "limitk(2, up)", "info(up)",
                   "histogram_avg(up)", "double_exponential_smoothing(up[5m], 0.5, 0.5)",
                   "holt_winters(up[5m], 0.5, 0.5)", "ts_of_max_over_time(up[5m])", "histogram_stddev(up)"]
BAD_REGEXES = ["(", "[z-a]", "a**", "\\8", "x{1001}", "(?P<n>a)(?P<n>b)", "(?=x)", "(?<n>x)", "\\C",
               "[[:word:]]", "\\z", "a{,5}", "(?i", "\\p{Foo}", "x{2,1}", "\\Q", "é{1}", "\\"]
BAD_TEMPLATES = ["{{ .Bad", "{{ nosuchfunc }}", "{{ $undefined }}", "{{ end }}", "{{ if }}",
                 "{{ template \"x\" }}", "{{ $labels.a.b.c }}", "{{ humanize }}", "{{ 1 | printf }}",
                 "{{ range $labels }}{{ end }}", "{{/* open", "{{ \"unterminated }}", "{{ .Value }}"]
BAD_NAMES = ["", "a-b", "1x", "é", "__name__", "a b", "le", "alertname", "a:b"]


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), finite, st.text(max_size=10),
    st.sampled_from(["5m", "0", "-1m", "1h30m", "", "critical", "{{ $value }}", "{{ .Bad", "x" * 300]),
)
any_yaml = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def perturb(draw: Draw, doc: dict[str, Any]) -> str:
    """One change that may (or may not) make the file invalid; promtool decides."""
    groups = doc["groups"]
    rules = [r for g in groups for r in g["rules"]]
    kind = draw(st.sampled_from([
        "unknown_key", "delete", "duration", "record_fields", "label_name", "template", "dup_group",
        "expr_tokens", "expr_insert", "wrong_type", "query_offset", "newer_function", "dup_rule",
        "bad_regex", "empty_group_name", "no_groups", "raw_newline",
    ]))
    if kind == "no_groups":
        doc.clear()
        doc.update(draw(st.sampled_from([{}, {"groups": None}, {"groups": []}, {"groups": {}}, {"rule_files": []}])))
        return kind
    if kind in ("empty_group_name", "dup_group", "query_offset", "unknown_key") and not groups:
        groups.append({"name": "g", "rules": []})
    if kind == "empty_group_name":
        groups[0]["name"] = draw(st.sampled_from(["", None, 5, ["g"]]))
    elif kind == "dup_group":
        groups.append({"name": groups[0]["name"], "rules": []})
    elif kind == "query_offset":
        groups[0]["query_offset"] = draw(durations(zero=True))
    elif kind == "unknown_key":
        holder = draw(st.sampled_from([doc, *groups, *rules]))
        holder[draw(st.sampled_from(["bogus", "Expr", "labels ", "interval", "limit", "record", "alert", "for"]))] = draw(any_yaml)
    elif not rules:
        return "none"
    else:
        rule = draw(st.sampled_from(rules))
        if kind == "delete":
            key = draw(st.sampled_from(sorted(rule)))
            del rule[key]
        elif kind == "duration":
            rule[draw(st.sampled_from(["for", "keep_firing_for"]))] = draw(st.sampled_from(BAD_DURATIONS))
        elif kind == "record_fields":
            rule[draw(st.sampled_from(["for", "keep_firing_for", "annotations", "alert", "record"]))] = draw(
                st.sampled_from(["5m", {"a": "b"}, "X", ""])
            )
        elif kind == "label_name":
            rule.setdefault(draw(st.sampled_from(["labels", "annotations"])), {})
            target = rule.get("labels", rule.get("annotations"))
            if isinstance(target, dict):
                target[draw(st.sampled_from(BAD_NAMES))] = "v"
        elif kind == "template":
            rule.setdefault("annotations", {})["x"] = draw(st.sampled_from(BAD_TEMPLATES))
        elif kind == "expr_tokens":
            rule["expr"] = "".join(draw(st.lists(st.sampled_from(PROMQL_TOKENS), max_size=10)))
        elif kind == "expr_insert":
            expr = str(rule.get("expr", ""))
            pos = draw(st.integers(0, len(expr)))
            rule["expr"] = expr[:pos] + draw(st.sampled_from(PROMQL_TOKENS)) + expr[pos:]
        elif kind == "wrong_type":
            rule[draw(st.sampled_from(["expr", "for", "labels", "annotations", "record", "alert"]))] = draw(
                st.sampled_from(WEIRD_VALUES)
            )
        elif kind == "newer_function":
            rule["expr"] = draw(st.sampled_from(NEWER_FUNCTIONS)) + (" > 0" if "alert" in rule else "")
        elif kind == "dup_rule":
            next(g for g in groups if rule in g["rules"])["rules"].append(dict(rule))
        elif kind == "raw_newline":  # a line break inside a string literal, unescaped
            expr = str(rule.get("expr", ""))
            quote = expr.find('"')
            rule["expr"] = expr.replace("\\n", "\n") if "\\n" in expr else expr[: quote + 1] + "\n" + expr[quote + 1 :]
        elif kind == "bad_regex":
            rule["expr"] = f"up{{job=~{promql_quote(draw(st.sampled_from(BAD_REGEXES)), 0)}}}" + (
                " > 0" if "alert" in rule else ""
            )
    return kind


@st.composite
def rule_files(draw: Draw) -> tuple[bytes, str]:
    """A rule file's bytes and what was done to it ("clean" when nothing)."""
    if one_in(draw, 10):
        return dump(draw(any_yaml)).encode("utf-8"), "random"
    doc = draw(clean_rule_files())
    how = "clean"
    if not one_in(draw, 3):
        how = perturb(draw, doc)
    raw = dump(doc, draw(st.integers(0, 7))).encode("utf-8")
    if one_in(draw, 15):
        pos = draw(st.integers(0, len(raw)))
        raw = raw[:pos] + draw(st.binary(min_size=1, max_size=6) | st.sampled_from([b"\t", b"{", b"\xff"])) + raw[pos:]
        how = "garbage"
    elif one_in(draw, 15):
        raw = raw[: draw(st.integers(0, len(raw)))]
        how = "truncated"
    return raw, how


def one_rule(rule: str) -> bytes:
    return f"groups:\n- name: g\n  rules:\n  - {rule}\n".encode()


# Minimal reproductions of divergences from promtool 2.42 found by this file.
KNOWN_RULE_FILES: dict[str, tuple[bytes, str]] = {
    # Divergences of the rule validator from promtool 2.42 found by this file are
    # issue #9's ("validate gives promtool's verdict"); they are listed in its
    # notes, not run here.
}


if KNOWN_RULE_FILES:  # an empty parameter set would show as a skipped test

    @pytest.mark.parametrize("case", KNOWN_RULE_FILES.values(), ids=KNOWN_RULE_FILES.keys())
    def test_known_rule_files(case: tuple[bytes, str], run_promtool: PromtoolRun) -> None:
        check_rule_file(case, "2.42", run_promtool)


@settings(max_examples=100, **SETTINGS)
@with_examples([{"case": case, "version": "2.42"} for case in KNOWN_RULE_FILES.values()])
@given(case=rule_files(), version=st.sampled_from(["2.42", "2.42", "2.42", None, "3.5"]))
def test_random_rule_files_agree_with_promtool(
    case: tuple[bytes, str], version: str | None, run_promtool: PromtoolRun
) -> None:
    """``validate`` never crashes and locates its messages; against the installed
    promtool (2.42): what promtool rejects we reject, what it accepts we do not
    call unusable (exit 2), and a clean file passes both."""
    check_rule_file(case, version, run_promtool)


def check_rule_file(case: tuple[bytes, str], version: str | None, run_promtool: PromtoolRun) -> None:
    text, how = case
    note(f"{how}: {text!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.yaml"
        path.write_bytes(text)
        args: list[str | Path] = ["validate", path]
        if version:
            args += ["--prometheus-version", version]
        result = invoke(*args)
        assert_no_crash(result, "validate")
        event(f"{how}: validate exit {result.exit_code}")
        if result.exit_code:
            assert_located(result, [path], "validate")
        if version != "2.42":
            return
        checked = run_promtool("check", "rules", path)
        verdicts = (
            f"promtool exit {checked.returncode}:\n{checked.stdout}{checked.stderr}\n"
            f"validate exit {result.exit_code}:\n{result.output}\n{how}: {text!r}"
        )
        if checked.returncode != 0:
            assert result.exit_code != 0, f"validate accepts a rule file promtool rejects\n{verdicts}"
        elif how == "clean":
            assert result.exit_code == 0, f"validate rejects a valid rule file\n{verdicts}"
        elif has_groups(text):  # without "groups", validate cannot tell a rule file (exit 2 by design)
            assert result.exit_code != 2, f"validate calls unusable a file promtool accepts\n{verdicts}"


def has_groups(text: bytes) -> bool:
    try:
        doc = next(yaml.safe_load_all(text), None)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return True  # not YAML to PyYAML, yet promtool took it: worth a look
    return isinstance(doc, dict) and "groups" in doc
