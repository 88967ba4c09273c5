"""Loki outputs per service and environment, all under ``loki/<env>/``: the Alloy
pipeline, the opt-in Promtail config and the ruler's rule file."""

from __future__ import annotations

from paladin_obs.artifacts import Artifact
from paladin_obs.conventions import loki as lconv
from paladin_obs.diagnostics import Location, Path
from paladin_obs.model import Model
from paladin_obs.model_logs import Loki
from paladin_obs.targets.loki import alloy, promtail, ruler

NAME: str = "loki"
OUTPUT_DIRS: tuple[str, ...] = (lconv.LOKI_DIR,)


def generate(model: Model) -> list[Artifact]:
    loki = model.loki or Loki(url="", tenant="")
    env = model.environment.name
    interval = str(model.evaluation_interval) if model.evaluation_interval is not None else None
    out: list[Artifact] = []
    for service in model.services:
        logs = service.logs
        if logs is None:
            continue
        origin: dict[Path, Location] = {(): logs.location} if logs.location else {}
        out.append(
            Artifact(
                path=lconv.alloy_file(service.name, env),
                kind=lconv.ALLOY_KIND,
                format="alloy",
                data=alloy.document(service.name, logs, loki),
                origins=origin,
            )
        )
        if loki.promtail:
            out.append(
                Artifact(
                    path=lconv.promtail_file(service.name, env),
                    kind=lconv.PROMTAIL_KIND,
                    format="yaml",
                    data=promtail.config(service.name, logs, loki),
                    origins=origin,
                )
            )
        if logs.alerts or logs.records:
            data, origins, suppressions = ruler.rules(service.name, logs, interval)
            out.append(
                Artifact(
                    path=lconv.rules_file(service.name, env, loki.tenant or lconv.DEFAULT_TENANT),
                    kind=lconv.RULES_KIND,
                    format="yaml",
                    data=data,
                    origins={**origin, **origins},
                    directives=suppressions,
                )
            )
    return out
