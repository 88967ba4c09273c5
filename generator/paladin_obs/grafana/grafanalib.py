"""Load a grafanalib ``*.dashboard.py`` file into plain dashboard JSON data.

grafanalib's convention (its ``generate-dashboard`` command, ``grafanalib/_gen.py``):
the file is executed as a Python module and must define a module-level
``dashboard``, whose ``to_json_data()`` is serialised with an encoder that calls
``to_json_data()`` on every nested object. We do the same, in-process, and call
nothing else (not ``auto_panel_ids()``: grafanalib's command does not either; the
upgrade gives ids to panels without one).

The file is trusted code: executing it can do anything Python can. What we do
guarantee is that a run leaves no trace in this process: the file's directory is on
``sys.path`` only while it runs (so it can import helper modules beside it), and
modules it imported from that directory, like the file itself, are removed from
``sys.modules`` afterwards, so two files with the same name or helpers never see
each other's code. Everything that goes wrong is an ``InputError`` located at the
file and line, never a traceback.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import os
import sys
import types
from collections.abc import Iterator
from typing import Any

from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, InputError, Location

INSTALL_HINT = "pip install grafanalib"


class _Encoder(json.JSONEncoder):
    """grafanalib objects serialise themselves through ``to_json_data()``."""

    def default(self, o: Any) -> Any:
        to_json_data = getattr(o, "to_json_data", None)
        if callable(to_json_data):
            return to_json_data()
        return super().default(o)


def load_dashboard(path: str) -> dict[str, Any]:
    """The dashboard the file defines, as plain JSON data (dicts, lists, scalars)."""
    real = os.path.abspath(path)
    inputs.not_reusable(f"{path} is Python code, which may import anything")
    try:
        with open(real, encoding="utf-8") as handle:
            source = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, 0, 0, f"cannot read dashboard file: {exc}") from None
    try:
        tree = ast.parse(source, real)
        code = compile(tree, real, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise _error(path, exc.lineno or 1, exc.offset or 1,
                     f"syntax error: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes in the source
        raise _error(path, 1, 1, f"cannot compile: {exc}") from None
    module = _run(code, path, real)
    if "dashboard" not in vars(module):
        raise _error(path, 1, 1, "the file defines no module-level `dashboard` "
                     "(grafanalib's convention: `dashboard = Dashboard(...)`)")
    dashboard = module.dashboard
    line = _assignment_line(tree)
    if not callable(getattr(dashboard, "to_json_data", None)):
        raise _error(path, line, 1, "`dashboard` is a "
                     f"{type(dashboard).__name__}, not a grafanalib Dashboard "
                     "(it has no to_json_data())")
    try:
        with _quiet():
            text = json.dumps(dashboard.to_json_data(), cls=_Encoder, sort_keys=True)
    except Exception as exc:  # the file's objects are user code
        where = _frame_line(exc, real) or line
        raise _error(path, where, 1, f"rendering `dashboard` failed: {_describe(exc)}") from None
    data = json.loads(text)
    if not isinstance(data, dict):
        raise _error(path, line, 1, "`dashboard.to_json_data()` did not return a mapping")
    return data


def _run(code: types.CodeType, path: str, real: str) -> types.ModuleType:
    """Execute the module with its directory importable, then undo every trace."""
    name = "_paladin_obs_dashboard_" + os.path.basename(real).replace(".", "_")
    module = types.ModuleType(name)
    module.__file__ = real
    folder = os.path.dirname(real)
    saved_path = list(sys.path)
    before = set(sys.modules)
    sys.path.insert(0, folder)
    sys.modules[name] = module
    try:
        with _quiet():
            exec(code, module.__dict__)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: a file must not end our process
        raise _execution_error(exc, path, real) from None
    finally:
        sys.path[:] = saved_path
        for added in set(sys.modules) - before:
            if added == name or _is_under(sys.modules[added], folder):
                del sys.modules[added]
    return module


def _is_under(module: types.ModuleType | None, folder: str) -> bool:
    file = getattr(module, "__file__", None)
    return isinstance(file, str) and os.path.abspath(file).startswith(folder + os.sep)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """grafanalib prints warnings (e.g. panels and rows both set) on stdout; our
    stdout is the command's output, so the file's prints are discarded."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _execution_error(exc: BaseException, path: str, real: str) -> InputError:
    line = _frame_line(exc, real) or 1
    missing = isinstance(exc, ImportError) and (exc.name or "").split(".")[0] == "grafanalib"
    if missing and importlib.util.find_spec("grafanalib") is None:
        return _error(path, line, 1, f"grafanalib is not installed ({INSTALL_HINT}); "
                      "dashboard files import it themselves")
    return _error(path, line, 1, f"executing the dashboard file raised {_describe(exc)}")


def _frame_line(exc: BaseException, real: str) -> int:
    """The line of the innermost traceback frame that is in the file itself."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == real:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _assignment_line(tree: ast.Module) -> int:
    """Line of the last top-level assignment to ``dashboard``, to point at it."""
    line = 1
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "dashboard" for t in targets):
            line = node.lineno
    return line


def _error(path: str, line: int, column: int, message: str) -> InputError:
    return InputError([Diagnostic(Location(path, line, column), message)])
