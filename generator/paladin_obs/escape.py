"""Escaping of spec values for each language they land in.

A value from the spec (a label value, a service name) must never change the
structure of the PromQL or Go template it is placed in; these functions are the
only way values reach those languages.
"""

from __future__ import annotations

import math
import re

_GO_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


def promql_string(value: str) -> str:
    """Quote ``value`` as a double-quoted PromQL string (Go string-literal rules)."""
    out = []
    for ch in value:
        if ch in _GO_SIMPLE:
            out.append(_GO_SIMPLE[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        elif not ch.isprintable():
            # Line and paragraph separators, NEL, format characters: legal in a
            # Go string but fragile in parsers and invisible to readers.
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def promql_number(value: float) -> str:
    """Print a number the way PromQL reads it back to the same float."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def go_template_literal(text: str) -> str:
    """Make ``text`` print itself verbatim inside a Go text/template.

    Every ``{`` becomes an action printing ``{``, so no value can open an action,
    even when it lands next to a brace from the surrounding text.
    """
    return text.replace("{", '{{"{"}}') if "{" in text else text


def go_template_unliteral(text: str) -> str:
    """The text ``go_template_literal`` was given: for formats that are not
    templates (OpenSLO exports), where the escape would be noise."""
    return text.replace('{{"{"}}', "{")


def go_regex_literal(text: str) -> str:
    """Go's ``regexp.QuoteMeta``: an RE2 regex matching ``text`` literally."""
    return "".join("\\" + ch if ch in "\\.+*?()|[]{}^$" else ch for ch in text)
