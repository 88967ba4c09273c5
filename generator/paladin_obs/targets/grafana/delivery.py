"""How Grafana gets the dashboards: file provisioning, or grafana-operator.

Provisioning has one file and provider per service, reading that service's
directory into its folder, so folders follow services and a dashboard can
never land in another team's folder. Files in git are the source of truth:
UI edits are off unless the spec allows them, and deleting a file removes the
dashboard.
"""

from __future__ import annotations

from typing import Any

from paladin_obs.conventions import grafana as gconv
from paladin_obs.model import Grafana, GrafanaOperator


def provisioning(grafana: Grafana, service: str, folder: str) -> dict[str, Any]:
    """``apiVersion: 1`` with the service's provider: its directory, its folder."""
    interval = int(grafana.update_interval.seconds) if grafana.update_interval else 30
    provider = {
        "name": f"paladin-obs-{service}",
        "orgId": 1,
        "folder": folder,
        "type": "file",
        "disableDeletion": False,
        "allowUiUpdates": grafana.allow_ui_updates,
        "updateIntervalSeconds": max(interval, 1),
        "options": {
            "path": f"{grafana.provisioning_path.rstrip('/')}/{service}",
            "foldersFromFilesStructure": False,
        },
    }
    return {"apiVersion": 1, "providers": [provider]}


def operator_resource(
    operator: GrafanaOperator, name: str, folder: str, dashboard_json: str
) -> dict[str, Any]:
    """A ``GrafanaDashboard`` holding the dashboard's JSON text, for grafana-operator."""
    spec: dict[str, Any] = {
        "instanceSelector": {"matchLabels": dict(operator.instance_selector)},
        "folder": folder,
        "json": dashboard_json,
    }
    if operator.resync_period is not None:
        spec["resyncPeriod"] = str(operator.resync_period)
    return {
        "apiVersion": gconv.OPERATOR_API_VERSION,
        "kind": "GrafanaDashboard",
        "metadata": {
            "name": name,
            "namespace": operator.namespace,
            "labels": {"app.kubernetes.io/managed-by": "paladin-obs"},
        },
        "spec": spec,
    }
