"""Go's verdict on the regexes in a PromQL expression, for the target's Go release.

promql-parser compiles regexes with Rust's engine, which disagrees with Go's
both ways, so its verdict is never used (see ``promql_prepare``): every
matcher regex, and label_replace's, is checked here with our RE2 checker,
under the dialect of the Go release that built the target's binaries.
"""

from __future__ import annotations

import functools

import promql_parser as pp

from paladin_obs.validate.promql_functions import Version
from paladin_obs.validate.promql_tree import nodes
from paladin_obs.validate.re2 import check_regex

__all__ = ["label_replace_errors", "regex_error"]


def _go_version(version: Version) -> Version:
    """The Go release the target's official binaries were built with (approximate)."""
    if version >= (3, 7):
        return (1, 25)
    if version >= (2, 51):
        return (1, 22)
    if version >= (2, 47):
        return (1, 21)
    return (1, 19)


@functools.lru_cache(maxsize=4096)
def regex_error(value: str, version: Version, anchored_only: bool = False) -> str | None:
    """Regexes repeat across a rule set; the check is pure, so cache it."""
    go = _go_version(version)
    flags = "?s:" if version >= (3, 0) else "?:"
    problem = check_regex(f"^({flags}{value})$", go_version=go)
    if problem or anchored_only:
        return problem
    return check_regex(value, go_version=go)


def label_replace_errors(ast: pp.Expr, version: Version) -> list[str]:
    """promtool does not compile label_replace's regex; evaluation does, every time."""
    found: list[str] = []
    for node in nodes(ast):
        if isinstance(node, pp.Call) and node.func.name == "label_replace" and len(node.args) == 5:
            regex = node.args[4]
            if isinstance(regex, pp.StringLiteral):
                problem = regex_error(regex.val, version, anchored_only=True)
                if problem:
                    found.append(
                        f"invalid regular expression in label_replace(): {problem} "
                        "(promtool accepts it, but the rule fails at every evaluation)"
                    )
    return found
