"""Dashboard names, uids, paths and links, decided once.

Uids are what links, bookmarks and alert annotations point at, so they are
derived from what the dashboard is (service, dashboard, environment), never
from its title or content: renaming a panel keeps every link working, and each
environment's dashboard has its own uid so two environments can share one
Grafana.
"""

from __future__ import annotations

import hashlib
import re

DASHBOARDS_DIR = "dashboards"
DASHBOARD_KIND = "grafana-dashboard"
PROVISIONING_KIND = "grafana-provisioning"
OPERATOR_KIND = "grafana-operator"
#: Grafana refuses longer uids.
UID_MAX = 40
OPERATOR_API_VERSION = "grafana.integreatly.org/v1beta1"
#: The dashboards' datasource variable; every query goes through it.
DATASOURCE_VARIABLE = "datasource"
#: Annotation linking an alert to the panel that mirrors it.
DASHBOARD_URL = "dashboard_url"

_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]+")


def dashboard_uid(service: str, dashboard: str, environment: str) -> str:
    """``<service>-<dashboard>-<environment>`` when it fits; else a readable
    prefix plus a hash of the full name, so it stays unique and ≤ 40 chars."""
    full = "-".join(p for p in (service, dashboard, environment) if p)
    clean = _UNSAFE.sub("-", full).strip("-")
    if len(clean) <= UID_MAX and clean == full:
        return clean
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:10]
    return f"{clean[: UID_MAX - len(digest) - 1].rstrip('-')}-{digest}"


def dashboard_file(service: str, dashboard: str, environment: str) -> str:
    """``dashboards/<env>/<service>/<dashboard>.json``: one directory per
    service, so a provisioning provider (one folder) reads exactly one."""
    parts = [DASHBOARDS_DIR, environment, service, f"{dashboard}.json"]
    return "/".join(p for p in parts if p)


def provisioning_file(service: str, environment: str) -> str:
    """``dashboards/<env>/provisioning/<service>.yaml``: one file per service, so
    specs sharing a tree never write the same file; mount the directory as
    Grafana's ``provisioning/dashboards``."""
    return "/".join(p for p in (DASHBOARDS_DIR, environment, "provisioning", f"{service}.yaml") if p)


def operator_file(service: str, dashboard: str, environment: str) -> str:
    parts = [DASHBOARDS_DIR, environment, "operator", f"{service}-{dashboard}.yaml"]
    return "/".join(p for p in parts if p)


def title(service: str, dashboard: str, environment: str) -> str:
    # Titles are unique per folder in Grafana: environments sharing one
    # Grafana must not collide.
    suffix = f" ({environment})" if environment else ""
    return f"{service} / {dashboard}{suffix}"


def slug(text: str) -> str:
    """Grafana's URL slug of a title (lower case, runs of other characters → -)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def with_dashboard_url(annotations: dict[str, str], url: str) -> dict[str, str]:
    """An alert's annotations with ``dashboard_url`` added (keys sorted); one
    the user set wins, and without a URL nothing changes."""
    if not url or DASHBOARD_URL in annotations:
        return annotations
    return dict(sorted({**annotations, DASHBOARD_URL: url}.items()))


def panel_url(base: str, uid: str, title_text: str, panel_id: int) -> str:
    """The URL that opens one panel alone (Grafana's ``viewPanel``, the panel id:
    the form every version since 7 reads)."""
    return f"{base}/d/{uid}/{slug(title_text)}?viewPanel={panel_id}"


#: The overview's Loki datasource variable (services with logs only); every Loki
#: target goes through it, as every Prometheus one goes through ``datasource``.
LOKI_DATASOURCE_VARIABLE = "loki_datasource"
