"""Loki names, labels, levels, limits and layout, decided once.

Everything Loki lives under ``loki/<env>/`` so a Loki ruler file is told apart
from a Prometheus one by its path alone (``validate`` relies on that), and the
Alloy pipeline, the Promtail stages, the ruler rules and the dashboards all read
the same stream labels and level names from here.
"""

from __future__ import annotations

import re

LOKI_DIR = "loki"
ALLOY_KIND = "loki-alloy"
PROMTAIL_KIND = "loki-promtail"
RULES_KIND = "loki-rules"

#: Static stream labels every service's logs carry (the environment's labels join them).
SERVICE_LABEL = "service"
#: The label the level field becomes, with its values lower-cased.
LEVEL_LABEL = "level"
#: ``loki.source.file`` labels each stream with the file it was read from.
FILENAME_LABEL = "filename"
#: Labels ``loki.source.kubernetes`` streams get from their target (bounded by the cluster).
KUBERNETES_LABELS = ("namespace", "container")
#: Where ``stage.metrics`` series land: Alloy and Promtail add this prefix.
METRICS_PREFIX = "loki_process_custom_"
#: Loki's tenant when multi-tenancy is off (its default ``auth_enabled: false``).
DEFAULT_TENANT = "fake"

#: Loki's guidance: few labels, all bounded. Above these we refuse to generate.
MAX_DYNAMIC_LABELS = 5
MAX_STREAM_LABELS = 15

#: Log levels from least to most severe; aliases map onto these names.
LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")
LEVEL_ALIASES = {
    "warning": "warn",
    "err": "error",
    "critical": "fatal",
    "crit": "fatal",
    "panic": "fatal",
    "dpanic": "fatal",
    "notice": "info",
}
#: What a bounded label (or the level) becomes when the line holds a value the
#: spec does not declare: the label keeps a fixed set of values whatever is logged.
OTHER_VALUE = "other"
#: Levels a log alert or panel counts as errors.
ERROR_LEVELS = ("error", "fatal")

#: Words that make a field name per-request, per-agent or per-user (ids, keys,
#: addresses, paths, free text): unbounded, so such a field may never be a label
#: unless its values are listed (and then enforced). Matched on the words of
#: the name's last part, snake_case, kebab-case or camelCase alike.
_UNBOUNDED_LAST = frozenset(
    [
        "id",
        "ids",
        "uuid",
        "guid",
        "key",
        "token",
        "hash",
        "email",
        "ip",
        "addr",
        "address",
        "url",
        "uri",
        "path",
        "query",
        "session",
        "trace",
        "traceid",
        "span",
        "spanid",
        "requestid",
        "sessionid",
        "userid",
        "username",
        "message",
        "msg",
        "pid",
        "tid",
    ]
)
_UNBOUNDED_FIRST = frozenset(["user", "session", "request", "trace", "span"])


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def is_identifier(field: str) -> bool:
    """True for field names that carry per-request, per-agent or per-user values
    (``paladin_id``, ``traceId``, ``user.name``, ``client_ip``, ``path``)."""
    words = _words(field.rsplit(".", 1)[-1])
    parents = _words(field.rsplit(".", 1)[0]) if "." in field else []
    if not words:
        return False
    return (
        words[-1] in _UNBOUNDED_LAST
        or (len(words) > 1 and words[0] in _UNBOUNDED_FIRST)
        or (bool(parents) and parents[-1] in _UNBOUNDED_FIRST)
    )


def level_name(text: str) -> str | None:
    """The canonical level for a spec's level name, or None when unknown."""
    low = text.lower()
    low = LEVEL_ALIASES.get(low, low)
    return low if low in LEVELS else None


def levels_below(minimum: str) -> tuple[str, ...]:
    """Canonical levels below ``minimum`` (the pipeline has normalised the label)."""
    return LEVELS[: LEVELS.index(minimum)]


def level_template() -> str:
    """The Go template the agents run on the level field: lower-case, aliases
    mapped to canonical names, so ``ERROR``, ``err`` and ``error`` are one
    stream and every query and drop rule needs only the canonical names; any
    other value becomes ``other``, so the level label stays bounded."""
    branches = []
    for canonical in LEVELS:
        aliases = sorted(a for a, c in LEVEL_ALIASES.items() if c == canonical)
        if aliases:
            # Go's eq with several arguments: equal to any of them.
            branches.append(("eq $l " + " ".join(f'"{a}"' for a in aliases), canonical))
    out = "{{ $l := ToLower .Value }}"
    for i, (test, canonical) in enumerate(branches):
        out += f"{{{{ {'if' if i == 0 else 'else if'} {test} }}}}{canonical}"
    known = " ".join(f'"{level}"' for level in (*LEVELS, ""))
    return (
        out + f"{{{{ else if eq $l {known} }}}}{{{{ $l }}}}{{{{ else }}}}{OTHER_VALUE}{{{{ end }}}}"
    )


def _env_dir(environment: str) -> str:
    return f"{LOKI_DIR}/{environment}" if environment else LOKI_DIR


def alloy_file(service: str, environment: str) -> str:
    """``loki/<env>/<service>.alloy``: one Alloy module per service."""
    return f"{_env_dir(environment)}/{service}.alloy"


def promtail_file(service: str, environment: str) -> str:
    """``loki/<env>/promtail/<service>.yaml``: the legacy agent's config."""
    return f"{_env_dir(environment)}/promtail/{service}.yaml"


def rules_file(service: str, environment: str, tenant: str) -> str:
    """``loki/<env>/rules/<tenant>/<service>.yaml``: the ruler's local storage
    layout (one directory per tenant), so the folder can be mounted as is."""
    return f"{_env_dir(environment)}/rules/{tenant}/{service}.yaml"


def is_loki_path(path: str) -> bool:
    """A file under a ``loki`` folder: ``validate`` reads its rules as LogQL."""
    parts = re.split(r"[\\/]", path)
    return LOKI_DIR in parts[:-1]


def alert_group(service: str) -> str:
    return f"{service}-log-alerts"


def record_group(service: str) -> str:
    return f"{service}-log-records"


def component_label(text: str) -> str:
    """An Alloy component label from any name: identifiers only, never empty."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not clean or clean[0].isdigit():
        clean = f"_{clean}"
    return clean if clean not in ("true", "false", "null") else f"{clean}_"
