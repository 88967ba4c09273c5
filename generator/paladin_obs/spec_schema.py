"""The spec's JSON Schema (Draft 2020-12) and its errors as located messages.

The schema is the published contract (``paladin-obs schema``, editor support),
so structural rules live there once; this module only turns jsonschema's
errors into messages that say what is allowed instead of echoing the schema.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from paladin_obs.diagnostics import Diagnostic
from paladin_obs.loader import Document
from paladin_obs.validate.schema_fast import PackageSchema

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "list",
    dict: "mapping",
    type(None): "null",
}


def schema_text() -> str:
    return resources.files("paladin_obs").joinpath("schema/spec.schema.json").read_text("utf-8")


_SCHEMA = PackageSchema("schema/spec.schema.json")


def validate_spec(doc: Document) -> list[Diagnostic]:
    """Every schema violation in ``doc``, each at the node it concerns."""
    out: list[Diagnostic] = []
    if _SCHEMA.valid(doc.data):
        return out
    for error in _SCHEMA.validator().iter_errors(doc.data):
        out.extend(_diagnostics(doc, error))
    return out


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """For oneOf/anyOf keep the branch that got furthest: its message is the useful one."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        # A branch of the wrong type says nothing; one of the right type that
        # failed deeper (a pattern, a missing key) says what to fix.
        # A branch whose value has the wrong type fails its other keywords
        # vacuously too (``not: {pattern}`` on a mapping): drop the whole branch.
        wrong_type = {
            _branch(e) for e in error.context if e.validator == "type" and not e.relative_path
        }
        typed = [e for e in error.context if _branch(e) not in wrong_type]
        if not typed:
            return [error]
        import jsonschema.exceptions

        best = jsonschema.exceptions.best_match(typed)
        return _leaves(best) if best is not None else [error]
    return [error]


def _branch(error: jsonschema.ValidationError) -> Any:
    """Which oneOf/anyOf branch an error of its context came from."""
    return error.relative_schema_path[0] if error.relative_schema_path else None


def _branch_types(error: jsonschema.ValidationError) -> list[str]:
    """The types a oneOf/anyOf accepts, when every branch says (``$ref`` followed)."""
    out: list[str] = []
    for e in error.context or ():
        if e.validator == "type" and not e.relative_path:
            expected = e.validator_value
            for t in expected if isinstance(expected, list) else [expected]:
                if t not in out:
                    out.append(str(t))
    return out


def _about_keys(schema: Any) -> bool:
    """A ``not`` over ``required`` only: it says nothing about a value that is
    not a mapping at all (its type error says what is wrong)."""
    if not isinstance(schema, dict):
        return False
    keys = set(schema) - {"x-message"}
    if keys == {"required"}:
        return True
    return keys == {"anyOf"} and all(_about_keys(s) for s in schema["anyOf"])


def _diagnostics(doc: Document, root: jsonschema.ValidationError) -> list[Diagnostic]:
    out = []
    for error in _leaves(root):
        if (
            error.validator == "not"
            and not isinstance(error.instance, dict)
            and _about_keys(error.validator_value)
        ):
            continue
        path = tuple(error.absolute_path)
        kind = error.validator
        if kind in ("additionalProperties", "unevaluatedProperties"):
            schema = error.schema if isinstance(error.schema, dict) else {}
            allowed = sorted(schema.get("properties", {}))
            instance = error.instance if isinstance(error.instance, dict) else {}
            extra = sorted(set(instance) - set(allowed))
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            for key in extra:
                out.append(doc.at((*path, key), f"unknown key {key!r}{hint}", key=True))
            continue
        if "propertyNames" in error.absolute_schema_path:
            name = error.instance
            msg = _custom(error) or error.message
            out.append(doc.at((*path, str(name)), f"invalid name {name!r}: {msg}", key=True))
            continue
        out.append(doc.at(path, _message(doc, error, path)))
    return out


def _custom(error: jsonschema.ValidationError) -> str | None:
    for schema in (error.schema, *(c.schema for c in error.context or ())):
        if isinstance(schema, dict) and "x-message" in schema:
            return str(schema["x-message"])
    return None


def _message(doc: Document, error: jsonschema.ValidationError, path: tuple[Any, ...]) -> str:
    kind = error.validator
    value: Any = error.instance
    if kind == "required":
        required: list[str] = list(error.validator_value)  # type: ignore[arg-type]
        missing = [k for k in required if k not in value]
        custom = _custom(error)
        if custom and required == ["template"]:
            return custom
        return "missing required key " + ", ".join(repr(k) for k in missing)
    if kind in ("oneOf", "anyOf"):
        # Every branch refused the value's type (a number where a metric name
        # or a mapping goes): say which types fit, and quote a scalar if text would.
        types = _branch_types(error)
        if types:
            return _type_message(doc, error, path, types, _string_schema(error))
    if kind == "type":
        expected = error.validator_value
        types = [str(t) for t in expected] if isinstance(expected, list) else [str(expected)]
        schema = error.schema if isinstance(error.schema, dict) else {}
        return _type_message(doc, error, path, types, schema)
    if kind == "enum":
        allowed = ", ".join(json.dumps(v) for v in error.validator_value)  # type: ignore[union-attr]
        hint = doc.yaml11_hint(path)
        return f"{json.dumps(value)} is not allowed; use one of {allowed}" + (
            f"; {hint}" if hint else ""
        )
    if kind == "const":
        return f"must be {json.dumps(error.validator_value)}, got {json.dumps(value)}"
    if kind in ("pattern", "not", "minLength", "exclusiveMaximum", "exclusiveMinimum"):
        custom = _custom(error)
        if custom:
            return f"{json.dumps(value)} {custom}" if kind != "not" else custom
    if kind == "not":
        inner = error.validator_value
        if isinstance(inner, dict) and "x-message" in inner:
            return str(inner["x-message"])
        return _custom(error) or "is not allowed here"
    return _custom(error) or error.message


_TYPE_WORDS = {"string": "text", "object": "a mapping", "array": "a list"}


def _string_schema(error: jsonschema.ValidationError) -> dict[str, Any]:
    """The string branch of a oneOf/anyOf (its pattern and message), if any."""
    for e in error.context or ():
        if e.validator == "type" and not e.relative_path and e.validator_value == "string":
            return e.schema if isinstance(e.schema, dict) else {}
    return {}


def _type_message(
    doc: Document,
    error: jsonschema.ValidationError,
    path: tuple[Any, ...],
    types: list[str],
    string_schema: dict[str, Any],
) -> str:
    """A wrong type, and the fix: a number or boolean where text goes is quoted."""
    value: Any = error.instance
    got = _TYPE_NAMES.get(type(value), type(value).__name__)
    msg = f"expected {' or '.join(types)}, got {got}"
    if "string" not in types or not isinstance(value, bool | int | float):
        return msg
    hint = doc.yaml11_hint(path)
    if hint:
        return f"{msg}: {hint}"
    text = json.dumps(value) if isinstance(value, bool) else str(value)
    what = "a boolean" if isinstance(value, bool) else "a number"
    pattern, custom = string_schema.get("pattern"), string_schema.get("x-message")
    if pattern and custom and not re.search(str(pattern), text):
        # Quoting would not help (a period of 30 needs a unit): say what would.
        return f"{msg}: {text} {custom}"
    others = [_TYPE_WORDS.get(t, t) for t in types if t != "string"]
    alternative = f" (or give {' or '.join(others)})" if others else ""
    return f'{text} is {what}; quote it: "{text}"{alternative}'
