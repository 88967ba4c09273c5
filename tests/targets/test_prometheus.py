from __future__ import annotations

from pathlib import Path

from paladin_obs.loader import load_file
from paladin_obs.resolve import resolve
from paladin_obs.targets import prometheus

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_one_file_per_service_with_groups_by_scope() -> None:
    (model,) = resolve(load_file(FIXTURES / "small.yaml"))
    (artifact,) = prometheus.generate(model)
    assert artifact.path == "rules/api.rules.yaml"
    groups = artifact.data["groups"]
    assert [g["name"] for g in groups] == ["api-records", "api-alerts"]
    assert [r["record"] for r in groups[0]["rules"]] == [
        "api:requests:rate5m", "api:errors:ratio5m", "api:latency:p99", "api:up:sum"]
    raw = groups[1]["rules"][-1]
    assert list(raw) == ["alert", "expr", "for", "labels", "annotations"]
    assert raw["for"] == "1m"
    # Every rule can be traced back to the spec line that produced it.
    assert artifact.origin(("groups", 1, "rules", 9, "expr")).line > 0  # type: ignore[union-attr]


def test_paladin_groups_per_dependency(repo) -> None:  # type: ignore[no-untyped-def]
    models = resolve(load_file(repo / "paladin-obs.yaml"))
    (prod,) = [m for m in models if m.environment.name == "production"]
    (artifact,) = prometheus.generate(prod)
    assert artifact.path == "rules/production/paladin.rules.yaml"
    names = [g["name"] for g in artifact.data["groups"]]
    assert names == ["paladin-records", "paladin-alerts", "paladin-llm-alerts",
                     "paladin-minio-alerts", "paladin-redis-alerts"]
    assert all(g["interval"] == "30s" for g in artifact.data["groups"])
    # mixtool's limit: at most 20 rules a group.
    assert max(len(g["rules"]) for g in artifact.data["groups"]) <= 20
