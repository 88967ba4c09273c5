"""Alert → the URL of the panel that mirrors it (the ``dashboard_url`` annotation).

The rule targets ask here rather than computing ids themselves: the id comes
from the same layout that writes the dashboard, so the link cannot point at
the wrong panel after panels are added or moved.
"""

from __future__ import annotations

from paladin_obs.conventions import grafana as gconv
from paladin_obs.escape import go_template_literal
from paladin_obs.grafana.board import Dashboard, panel_ids
from paladin_obs.model import Model
from paladin_obs.targets.grafana.boards import generated

_LAST: tuple[Model, dict[str, str]] | None = None


def alert_urls(model: Model) -> dict[str, str]:
    """Alert name → panel URL; empty unless ``defaults.grafana_url`` is set.

    Every service's rule file asks, so the answer is kept per model: worked
    out per service, a fleet's links cost grew with the square of its size.
    """
    global _LAST
    if _LAST is None or _LAST[0] is not model:
        _LAST = (model, _urls(model))
    return _LAST[1]


def _urls(model: Model) -> dict[str, str]:
    if model.grafana is None or not model.grafana.url or not model.grafana.enabled:
        return {}
    urls: dict[str, str] = {}
    for _service, _name, board in generated(model):
        urls.update(_board_urls(model.grafana.url, board))
    return urls


def _board_urls(base: str, board: Dashboard) -> dict[str, str]:
    return {
        alert: go_template_literal(gconv.panel_url(base, board.uid, board.title, pid))
        for alert, pid in panel_ids(board).items()
    }
