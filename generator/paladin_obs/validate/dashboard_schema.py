"""The dashboard's required structure (our JSON Schema), as located messages naming the panel.

The schema lives in ``schema/grafana-dashboard.schema.json`` so its rules are
data, readable on their own; this module compiles it once per process (a
dashboard check must stay in the millisecond range): ``schema_fast`` says
yes or no, and only for a no does jsonschema find and word the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paladin_obs.diagnostics import Diagnostic, Path, format_path
from paladin_obs.validate.base import Locate
from paladin_obs.validate.dashboard_model import Dashboard
from paladin_obs.validate.schema_fast import PackageSchema

if TYPE_CHECKING:
    import jsonschema

SCHEMA_FILE = "schema/grafana-dashboard.schema.json"
#: Why a grid bound matters, said once instead of echoing the schema.
_GRID_HINTS = {
    "w": "width must be a whole number from 1 to 24 (the grid is 24 columns wide)",
    "x": "x must be a whole number from 0 to 23 (the grid is 24 columns wide)",
    "h": "height must be a whole number, at least 1",
    "y": "y must not be negative",
}


_SCHEMA = PackageSchema(SCHEMA_FILE)


def schema() -> dict[str, Any]:
    return _SCHEMA.data


def check_schema(dash: Dashboard, locate: Locate) -> list[Diagnostic]:
    """Every violation of the required structure, each at its node."""
    out: list[Diagnostic] = []
    if _SCHEMA.valid(dash.data):
        return out
    for error in _SCHEMA.validator().iter_errors(dash.data):
        for leaf in _leaves(error):
            path: Path = tuple(leaf.absolute_path)
            out.append(Diagnostic(locate(path, False), _message(dash, leaf, path), path))
    return out


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """For a failed if/then/else or anyOf, the errors of the branch that applied."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        return [e for e in error.context if len(e.absolute_path) == deepest][:1]
    return [error]


def _message(dash: Dashboard, error: jsonschema.ValidationError, path: Path) -> str:
    panel = dash.panel_at(path)
    where = f"{panel.label}: " if panel else ""
    field = format_path(path[len(panel.path) :] if panel else path) or "dashboard"
    last = path[-1] if path else ""
    if len(path) >= 2 and path[-2] == "gridPos" and isinstance(last, str) and last in _GRID_HINTS:
        return f"{where}gridPos.{last} is {error.instance!r}: {_GRID_HINTS[last]}"
    return f"{where}{field}: {error.message}"
