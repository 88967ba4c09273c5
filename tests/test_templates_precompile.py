"""The built-in templates' shipped code (``templates_code``) is current, used,
and renders what Jinja compiling the text afresh renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from paladin_obs import templates, templates_code
from paladin_obs.templates_precompile import MODULE, fields, main, render, wrapped

SAME_JINJA = jinja2.__version__ == templates_code.JINJA


def test_the_committed_module_is_current_or_unused() -> None:
    """With the Jinja that made it, the module is what the templates make now
    (a changed template shows here, and so does a filter or finalize whose
    result Jinja folded into the code); with another Jinja, no template is
    loaded from it."""
    if SAME_JINJA:
        assert render() == MODULE.read_text(encoding="utf-8"), (
            "stale: run python -m paladin_obs.templates_precompile"
        )
    else:
        for env, text, _ in fields().values():
            assert templates.compiled(env, text).root_render_func.__module__ != templates_code.__name__


def test_every_builtin_field_is_loaded_from_the_shipped_code() -> None:
    found = fields()
    assert len(found) >= 40  # 16 templates, most with three fields
    assert set(found) == set(templates_code.CODE)
    for env, text, places in found.values():
        template = templates.compiled(env, text)
        module = template.root_render_func.__module__
        assert (module == templates_code.__name__) is SAME_JINJA, places


def _shipped(env: jinja2.Environment, text: str) -> jinja2.Template:
    namespace: dict[str, Any] = {}
    exec(compile(f"from typing import Any\n{wrapped(env, text, '_made')}", "<test>", "exec"), namespace)
    made = namespace["_made"](env)
    return env.template_class.from_module_dict(env, made, env.make_globals(None))


CONTEXT = {"name": "api", "items": ["a", "b'c", 'd"e\\f'], "ratio": 0.05, "n": 3}


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("expr", "sum(rate(x{job=${name | quote}}[5m])) > ${ratio}"),
        ("description", "Line one\nline two with 'quotes' and \"doubles\" and a \\ backslash\n"),
        ("description", "{{ $labels.instance }} of ${name}: {{ $value | humanizePercentage }}"),
        ("description", "{% for i in items %}${i}{% if not loop.last %}, {% endif %}{% endfor %}"),
        ("description", "{% set total = n * 2 %}${total} ${ratio | percent}"),
        ("description", "{% macro twice(v) %}${v}${v}{% endmacro %}${twice(name)}"),
        ("description", "{% raw %}${not a variable}{% endraw %} '''\"\"\" \t tab"),
        ("expr", "${ 'constant' | quote } or ${ 0.25 }"),
        ("description", "${ 0.25 | percent } of ${ 'constant' }"),
    ],
)
def test_wrapped_code_renders_what_jinja_renders(field: str, text: str) -> None:
    """Wrapping Jinja's module code in a function (indenting it) keeps its
    meaning: string constants with line breaks and quotes, loops, macros,
    constants Jinja folds at compile time through our filters."""
    env = templates.env_for(field)
    assert _shipped(env, text).render(CONTEXT) == env.from_string(text).render(CONTEXT)


def test_check_finds_a_stale_module_and_a_rewrite_mends_it(tmp_path: Path) -> None:
    module = tmp_path / "templates_code.py"
    module.write_text(render().replace("def _", "def _x", 1), encoding="utf-8")
    assert main(["--check"], module) == 1
    assert main([], module) == 0
    assert module.read_text(encoding="utf-8") == render()
    assert main(["--check"], module) == 0
