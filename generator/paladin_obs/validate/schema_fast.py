"""A yes/no JSON Schema check, compiled to closures, for the keywords our schemas use.

jsonschema is exact and words its errors well, but on a 40-panel dashboard
it spends ~40 ms building error contexts and evolving validators even when
everything is valid, and dashboards are checked on every ``generate``. Valid
documents (nearly all of them) need only a yes: this compiles a schema once
into plain closures and answers in well under a millisecond. On a no, the
caller asks jsonschema for the located messages. A test keeps both verdicts
equal on every dashboard of the corpus.

Supported keywords: type, properties, additionalProperties, propertyNames,
required, minProperties, maxProperties, items, prefixItems, minItems,
uniqueItems, enum, const, minimum, maximum, exclusiveMinimum,
exclusiveMaximum, minLength, maxLength, pattern, anyOf, oneOf, not,
if/then/else and local ``$ref``; annotations (description, our
``x-message``) are ignored. The spec's schema is checked this way too: a
valid spec then never imports jsonschema. A schema using another
validation keyword is refused when compiled, so the two can never disagree
silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

Check = Callable[[Any], bool]

_IGNORED = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "default", "examples", "x-message"}
)
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function telling whether an instance is valid against ``schema``."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/"):
                raise ValueError(f"only local $ref is supported, not {pointer!r}")
            target: Any = self.root
            for part in pointer[2:].split("/"):
                target = target[part]
            self.refs[pointer] = lambda v: True  # placeholder while compiling cycles
            compiled = self.compile(target)
            self.refs[pointer] = compiled
        return lambda v: self.refs[pointer](v)

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        checks: list[Check] = []
        for key, value in schema.items():
            if key in _IGNORED or key in ("then", "else"):  # then/else: compiled with "if"
                continue
            build = getattr(self, "_" + key.replace("$", "dollar_"), None)
            if build is None:
                raise ValueError(f"schema keyword {key!r} is not supported by schema_fast")
            checks.append(build(value, schema))
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda v: first(v) and second(v)
        return lambda v: all(check(v) for check in checks)

    def _dollar_ref(self, value: str, _: Any) -> Check:
        return self.ref(value)

    def _type(self, value: str | list[str], _: Any) -> Check:
        tests = [_TYPES[t] for t in ([value] if isinstance(value, str) else value)]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _properties(self, value: dict[str, Any], _: Any) -> Check:
        props = {name: self.compile(sub) for name, sub in value.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(c(v[k]) for k, c in props.items() if k in v)

        return check

    def _required(self, value: list[str], _: Any) -> Check:
        return lambda v: not isinstance(v, dict) or all(k in v for k in value)

    def _items(self, value: Any, schema: Any) -> Check:
        item = self.compile(value)
        skip = len(schema.get("prefixItems", ()))
        return lambda v: not isinstance(v, list) or all(item(x) for x in v[skip:])

    def _prefixItems(self, value: list[Any], _: Any) -> Check:
        firsts = [self.compile(sub) for sub in value]
        return lambda v: not isinstance(v, list) or all(c(x) for c, x in zip(firsts, v, strict=False))

    def _enum(self, value: list[Any], _: Any) -> Check:
        return lambda v: any(_same(v, option) for option in value)

    def _const(self, value: Any, _: Any) -> Check:
        return lambda v: _same(v, value)

    def _minimum(self, value: float, _: Any) -> Check:
        return lambda v: not _number(v) or v >= value

    def _maximum(self, value: float, _: Any) -> Check:
        return lambda v: not _number(v) or v <= value

    def _exclusiveMinimum(self, value: float, _: Any) -> Check:
        return lambda v: not _number(v) or v > value

    def _exclusiveMaximum(self, value: float, _: Any) -> Check:
        return lambda v: not _number(v) or v < value

    def _minLength(self, value: int, _: Any) -> Check:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _maxLength(self, value: int, _: Any) -> Check:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def _pattern(self, value: str, _: Any) -> Check:
        regex = re.compile(value)
        return lambda v: not isinstance(v, str) or regex.search(v) is not None

    def _additionalProperties(self, value: Any, schema: Any) -> Check:
        if "patternProperties" in schema:
            raise ValueError("patternProperties is not supported by schema_fast")
        known = frozenset(schema.get("properties", ()))
        extra = self.compile(value)
        if value is False:
            return lambda v: not isinstance(v, dict) or all(k in known for k in v)
        return lambda v: not isinstance(v, dict) or all(
            extra(item) for k, item in v.items() if k not in known
        )

    def _propertyNames(self, value: Any, _: Any) -> Check:
        name = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(name(k) for k in v)

    def _minProperties(self, value: int, _: Any) -> Check:
        return lambda v: not isinstance(v, dict) or len(v) >= value

    def _maxProperties(self, value: int, _: Any) -> Check:
        return lambda v: not isinstance(v, dict) or len(v) <= value

    def _minItems(self, value: int, _: Any) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _uniqueItems(self, value: bool, _: Any) -> Check:
        if not value:
            return lambda v: True

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            return not any(_same(a, b) for i, a in enumerate(v) for b in v[i + 1 :])

        return check

    def _oneOf(self, value: list[Any], _: Any) -> Check:
        options = [self.compile(sub) for sub in value]
        return lambda v: sum(1 for c in options if c(v)) == 1

    def _not(self, value: Any, _: Any) -> Check:
        inner = self.compile(value)
        return lambda v: not inner(v)

    def _anyOf(self, value: list[Any], _: Any) -> Check:
        options = [self.compile(sub) for sub in value]
        return lambda v: any(c(v) for c in options)

    def _if(self, value: Any, schema: Any) -> Check:
        cond = self.compile(value)
        then = self.compile(schema.get("then", True))
        other = self.compile(schema.get("else", True))
        return lambda v: then(v) if cond(v) else other(v)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but True is not 1, at any depth."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return False
    return bool(a == b)


class PackageSchema:
    """A JSON Schema shipped in the package, answered fast and worded only on a no.

    ``valid`` is the compiled yes/no; ``validator`` (jsonschema, imported on
    first use: a tenth of a second of start-up) finds and words the errors of
    the rare invalid document. Both are built once per process.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self._data: dict[str, Any] | None = None
        self._fast: Check | None = None
        self._validator: Any = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            from importlib import resources

            text = resources.files("paladin_obs").joinpath(self.file).read_text("utf-8")
            self._data = json.loads(text)
        return self._data

    def valid(self, instance: Any) -> bool:
        if self._fast is None:
            self._fast = compile_schema(self.data)
        return self._fast(instance)

    def validator(self) -> jsonschema.Draft202012Validator:
        if self._validator is None:
            import jsonschema

            self._validator = jsonschema.Draft202012Validator(self.data)
        validator: jsonschema.Draft202012Validator = self._validator
        return validator
