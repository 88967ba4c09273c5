"""The template library: alert, recording-rule and log alert templates rendered into data.

A template is a YAML file declaring its parameters and the text of each rule
field. Fields are rendered with Jinja2 using ``${ ... }`` for values (``{{``
belongs to the Go templates of Prometheus annotations, which pass through
untouched). Rendering yields strings that are then validated like any rule;
nothing is written from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path as FsPath
from typing import Any

import jinja2
import jinja2.sandbox

from paladin_obs import inputs
from paladin_obs.diagnostics import Diagnostic, InputError, Location
from paladin_obs.durations import Duration
from paladin_obs.escape import go_template_literal, promql_number, promql_string
from paladin_obs.loader import Document, load_file
from paladin_obs.params import PARAM_TYPES
from paladin_obs.values import GoTemplate, PromQL, SeriesView

#: ``logs`` are log alert templates: their ``expr`` is LogQL, quoted by the same
#: rules as PromQL (Go string literals), and they read a ``logs`` stream.
KINDS = ("alerts", "records", "logs")
METRIC_TYPES = ("counter", "gauge", "histogram", "summary")
SIGNAL_NAMES = ("requests", "errors", "latency")
FIELDS = {
    "alerts": {"expr": True, "summary": True, "description": True},
    "records": {"expr": True},
    "logs": {"expr": True, "summary": True, "description": True},
}
_TOP_KEYS = {"about", "signals", "params", "expr", "summary", "description"}
_PARAM_KEYS = {"type", "required", "default", "description", "metric_types"}


class RenderError(Exception):
    """A template produced something unsafe or failed; the CLI locates it."""


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    required: bool
    default: Any
    description: str
    metric_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    file: str
    about: str
    signals: tuple[str, ...]
    params: dict[str, ParamSpec]
    fields: dict[str, tuple[jinja2.Template, Location]] = field(compare=False)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        template, location = self.fields[name]
        try:
            text = template.render(context)
        except Exception as exc:  # a user template may fail any way Python can
            kind = (
                ""
                if isinstance(exc, RenderError | jinja2.TemplateError)
                else f"{type(exc).__name__}: "
            )
            raise RenderError(
                f"{location}: template {self.name}, field {name}: {kind}{exc}"
            ) from None
        return _tidy(text)


def _tidy(text: str) -> str:
    """Drop trailing spaces and blank edge lines so output is stable and block-dumpable.

    Only ``\n`` breaks lines and only spaces and tabs are trimmed: ``splitlines``
    and ``strip`` would also cut at U+2028, NEL and friends inside spec values.
    """
    lines = [line.rstrip(" \t") for line in text.strip("\n").split("\n")]
    return "\n".join(lines).strip(" \t\n")


def _promql_finalize(value: Any) -> str:
    if isinstance(value, PromQL | SeriesView):
        return str(value)
    if isinstance(value, bool):
        raise RenderError("a boolean cannot be placed in PromQL")
    if isinstance(value, int | float):
        return promql_number(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, str):
        raise RenderError(
            f"text {value!r} would reach PromQL unescaped: use ${{ value | quote }} for a "
            "string, or a parameter of type label_name / matchers / metric"
        )
    raise RenderError(f"a {type(value).__name__} cannot be placed in PromQL")


def _text_finalize(value: Any) -> str:
    if isinstance(value, GoTemplate):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return promql_number(value)
    return go_template_literal(str(value))


def _percent(value: float) -> str:
    return f"{promql_number(round(value * 100, 6))}%"


def _span(value: Duration) -> str:
    """A duration in one unit for prose: 26h, not Prometheus's canonical 1d2h."""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if value.millis >= size and value.millis % size == 0:
            return f"{value.millis // size}{unit}"
    return str(value)


def _quantile_name(value: float) -> str:
    """0.95 → p95, 0.999 → p99.9: the way latency quantiles are spoken."""
    return f"p{promql_number(round(value * 100, 6))}"


def _seconds_text(value: float) -> str:
    if value >= 1 or value == 0:
        return f"{promql_number(value)}s"
    return f"{promql_number(round(value * 1000, 3))}ms"


def _bytes_text(value: float) -> str:
    for unit, size in (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if value >= size and (value / size) == int(value / size):
            return f"{int(value / size)}{unit}"
    return promql_number(value)


def _make_env(finalize: Callable[[Any], str]) -> jinja2.Environment:
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        variable_start_string="${",
        variable_end_string="}",
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        quote=lambda v: PromQL(promql_string(str(v))),
        percent=_percent,
        seconds=_seconds_text,
        quantile_name=_quantile_name,
        span=_span,
        bytes=_bytes_text,
    )
    return env


_PROMQL_ENV = _make_env(_promql_finalize)
_TEXT_ENV = _make_env(_text_finalize)


def env_for(field_name: str) -> jinja2.Environment:
    """A rule's ``expr`` lands in PromQL or LogQL, every other field in text."""
    return _PROMQL_ENV if field_name == "expr" else _TEXT_ENV


def code_key(env: jinja2.Environment, text: str) -> str:
    """A template's text and environment, which with Jinja's version and our
    own code (Jinja folds constant expressions at compile time, through our
    finalize and filters) decide its compiled code."""
    tag = getattr(env.finalize, "__qualname__", repr(env.finalize))
    return inputs.digest(f"{tag}\0{text}".encode())


def compiled(env: jinja2.Environment, text: str) -> jinja2.Template:
    """``env.from_string(text)``, without compiling where it can be helped.

    Compiling a template to Python is most of the cost of loading it. The
    built-in library's code ships compiled (``templates_code``, used when the
    installed Jinja is the one that made it), so a first run on a fresh
    machine does not pay for it; any other template's code object is kept in
    the cache directory by the text, the environment, and the Jinja, Python
    and paladin-obs code it was compiled with. Anything unreadable there is
    compiled afresh.
    """
    import marshal

    from paladin_obs import cache, templates_code

    key = code_key(env, text)
    if jinja2.__version__ == templates_code.JINJA and key in templates_code.CODE:
        namespace = templates_code.CODE[key](env)
        return env.template_class.from_module_dict(env, namespace, env.make_globals(None))
    root = cache.directory()
    if root is None:
        return env.from_string(text)
    fingerprint = f"{sys.version}\0{jinja2.__version__}\0{cache.code_fingerprint()}\0{key}"
    path = root / "jinja" / f"{inputs.digest(fingerprint.encode())}.code"
    try:
        code = marshal.loads(path.read_bytes())
        return env.template_class.from_code(env, code, env.make_globals(None), None)
    except (OSError, ValueError, EOFError, TypeError):
        code = env.compile(text)
        cache.keep(path, marshal.dumps(code))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def builtin_dir() -> FsPath:
    """The library shipped in the wheel, or ``templates/`` of a source checkout."""
    packaged = resources.files("paladin_obs").joinpath("templates")
    if packaged.is_dir():
        return FsPath(str(packaged))
    return FsPath(__file__).resolve().parents[2] / "templates"


class Library:
    """Templates by kind and name; later directories override earlier ones."""

    def __init__(self, directories: list[FsPath]) -> None:
        self._paths: dict[tuple[str, str], FsPath] = {}
        for directory in directories:
            for kind in KINDS:
                found = sorted((directory / kind).glob("*.yaml"))
                inputs.listed(str(directory / kind), "*.yaml", [p.name for p in found])
                for path in found:
                    self._paths[(kind, path.stem)] = path

    def names(self, kind: str) -> list[str]:
        return sorted(name for k, name in self._paths if k == kind)

    def get(self, kind: str, name: str) -> Template | None:
        path = self._paths.get((kind, name))
        return None if path is None else _load_template(path, kind)


def library(extra_dirs: tuple[FsPath, ...] = ()) -> Library:
    return _library(extra_dirs)


@cache
def _library(extra_dirs: tuple[FsPath, ...]) -> Library:
    return Library([builtin_dir(), *extra_dirs])


@cache
def _load_template(path: FsPath, kind: str) -> Template:
    doc = load_file(path)
    errors: list[Diagnostic] = []
    template = _parse_template(doc, path.stem, kind, errors)
    if errors or template is None:
        raise InputError(errors)
    return template


def _parse_template(
    doc: Document, name: str, kind: str, errors: list[Diagnostic]
) -> Template | None:
    data = doc.data
    if not isinstance(data, dict):
        errors.append(doc.at((), "a template file must be a mapping"))
        return None
    for key in sorted(set(data) - _TOP_KEYS):
        errors.append(
            doc.at(
                (key,), f"unknown key {key!r}; allowed: {', '.join(sorted(_TOP_KEYS))}", key=True
            )
        )
    signals = data.get("signals", [])
    if not isinstance(signals, list) or any(s not in SIGNAL_NAMES for s in signals):
        errors.append(doc.at(("signals",), f"signals must be a list of {', '.join(SIGNAL_NAMES)}"))
        signals = []
    params = _parse_params(doc, data.get("params", {}), errors)
    fields: dict[str, tuple[jinja2.Template, Location]] = {}
    for fname, required in FIELDS[kind].items():
        text = data.get(fname)
        if text is None:
            if required:
                errors.append(doc.at((), f"template needs a {fname!r} field"))
            continue
        if not isinstance(text, str):
            errors.append(doc.at((fname,), f"{fname!r} must be a string"))
            continue
        if fname == "summary" and "{{" in text:
            errors.append(
                doc.at(
                    (fname,),
                    "summary must be static text (no {{ }}); put templated text in description",
                )
            )
            continue
        try:
            fields[fname] = (compiled(env_for(fname), text), doc.where((fname,)))
        except jinja2.TemplateSyntaxError as exc:
            where = doc.where((fname,))
            # A block scalar's text starts on the line after its indicator.
            first = where.line + (1 if (fname,) in doc.block_scalars else 0)
            errors.append(
                Diagnostic(
                    Location(where.file, first + (exc.lineno or 1) - 1, 1),
                    f"template syntax: {exc.message}",
                )
            )
    about = data.get("about", "")
    if errors:
        return None
    return Template(name, kind, doc.file, str(about), tuple(signals), params, fields)


def _parse_params(doc: Document, raw: Any, errors: list[Diagnostic]) -> dict[str, ParamSpec]:
    if not isinstance(raw, dict):
        errors.append(doc.at(("params",), "params must be a mapping of name to definition"))
        return {}
    out: dict[str, ParamSpec] = {}
    for pname, spec in raw.items():
        path = ("params", pname)
        if not isinstance(spec, dict):
            errors.append(doc.at(path, "a parameter needs a mapping with at least 'type'"))
            continue
        for key in sorted(set(spec) - _PARAM_KEYS):
            errors.append(
                doc.at(
                    (*path, key),
                    f"unknown key {key!r}; allowed: {', '.join(sorted(_PARAM_KEYS))}",
                    key=True,
                )
            )
        required = spec.get("required", False)
        if not isinstance(required, bool):
            errors.append(doc.at((*path, "required"), "required must be true or false"))
        metric_types = spec.get("metric_types", [])
        if not isinstance(metric_types, list) or any(t not in METRIC_TYPES for t in metric_types):
            errors.append(
                doc.at(
                    (*path, "metric_types"),
                    f"metric_types must be a list of {', '.join(METRIC_TYPES)}",
                )
            )
            metric_types = []
        ptype = spec.get("type")
        if ptype not in PARAM_TYPES:
            errors.append(
                doc.at(
                    (*path, "type"),
                    f"unknown parameter type {ptype!r}; use one of {', '.join(PARAM_TYPES)}",
                )
            )
            continue
        out[pname] = ParamSpec(
            name=pname,
            type=ptype,
            required=required is True,
            default=spec.get("default"),
            description=str(spec.get("description", "")),
            metric_types=tuple(metric_types),
        )
    return out
