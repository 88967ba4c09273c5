"""Hand-written expressions (``expr``) get the same scope as template ones.

A template renders every selector through ``ServiceScope.selector_for``, so its
alert only sees its service's series in its environment. A raw ``expr`` is the
user's PromQL: written as ``up{job="checkout"} == 0``, it would fire in the
production file for staging's series too, labelled ``env: production``.

Why injection and not a placeholder: the user writes plain PromQL that also
runs in Prometheus's UI, and every selector of a catalog metric gets exactly
the matchers a template would give it, with nothing to forget. The edit is
made in the source text at the exact token positions of each selector (the
user's spacing and comments survive), and every inserted value is quoted by
``escape.promql_string``; the result is checked against the parsed tree (one
edit per selector) before it is used. A matcher the user wrote on a label wins
over the injected one (``env="staging"`` in production is explicit).

Metric names are checked against the catalog with "did you mean". The series
Prometheus writes for every target (``up``, ``scrape_*``) need no declaration
and are scoped like the service's metrics. Names the catalog cannot know are
allowed: recording rules (``level:metric:op``, with a
colon) and ``ALERTS``/``ALERTS_FOR_STATE``; they get the environment's
selector only. An expression that still reads other environments' series (a
selector without the environment's matchers, or one that overrides them) is
an error unless the alert is ``global`` (with the reason as its value).
"""

from __future__ import annotations

from dataclasses import dataclass

from paladin_obs.conventions import SCRAPE_SERIES, SERIES_SUFFIXES
from paladin_obs.diagnostics import Diagnostic, Path
from paladin_obs.escape import promql_string
from paladin_obs.lint.query import selector_name, selectors
from paladin_obs.model import Matcher, Metric, Selector
from paladin_obs.resolve.catalog import ServiceScope
from paladin_obs.resolve.context import Resolution
from paladin_obs.suggest import did_you_mean
from paladin_obs.validate.promql import parse_expr
from paladin_obs.validate.promql_position import expr_position
from paladin_obs.validate.promql_scan import GROUPING, SPECIAL_FLOATS, Token, scan

#: Series Prometheus itself writes: not in any catalog, scoped by environment only.
BUILTIN_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "atan2"} | set(GROUPING))
_AGGREGATIONS = frozenset(
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
        "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    }
)  # fmt: skip
_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


@dataclass(frozen=True)
class _Site:
    """Where one selector's matchers go: after its name (no braces yet), or
    before its closing brace (``empty`` braces, or ``comma`` already there)."""

    name: str | None
    at: int
    braces: bool
    needs_comma: bool
    #: Where the selector starts, for messages.
    start: int = 0


def scope_expr(
    res: Resolution,
    scope: ServiceScope,
    expr: str,
    path: Path,
    global_reason: str | None,
) -> str | None:
    """``expr`` with every selector scoped; None when it cannot be (reported).

    An expression that does not parse is returned as written: the rule
    validator reports it with its position, which an edit would shift.
    """
    ast, errors = parse_expr(expr, res.version)
    if errors:
        return expr
    if ast is None:  # valid, but a chain too long to parse as written (see promql_chains)
        res.err(
            path,
            "this expression is too long to scope its selectors (a chain of more than 500 "
            "operators); split it into recording rules",
        )
        return None
    sites = _sites(_identifiers(scan(expr, bounded=False).tokens))
    found = selectors(ast)
    if len(sites) != len(found):
        res.err(path, "could not find every selector of this expression to scope it; please report")
        return None
    known = scope.metrics
    edits: list[tuple[int, str]] = []
    ok = True
    for site, vs in zip(sites, found, strict=True):
        if site.name is not None and site.name != vs.name:
            res.err(path, "could not match this expression's selectors to scope it; please report")
            return None
        name = selector_name(vs)
        written = {m.name: (_OPS.get(str(m.op), "="), m.value) for m in vs.matchers.matchers}
        metric = _declared(known, name) if name else None
        if metric is None and name in SCRAPE_SERIES:
            metric = Metric(name, "gauge")
        if metric is not None:
            wanted = scope.selector_for(metric)
        elif name is not None and ":" not in name and name not in BUILTIN_SERIES:
            _err(
                res,
                path,
                expr,
                site,
                f"metric {name!r} is not in the service's metrics catalog; declare it under "
                "metrics (its type and labels are what the alert is checked against)"
                + did_you_mean(name, [*_series_names(known), *SCRAPE_SERIES]),
            )
            ok = False
            continue
        else:
            wanted = scope.env.selector
        if global_reason is not None:
            env_labels = {m.name for m in scope.env.selector}
            wanted = tuple(m for m in wanted if m.name not in env_labels) if metric else ()
        added = [m for m in wanted if m.name not in written]
        if global_reason is None and not _in_environment(scope.env.selector, written, added):
            shown = name or "{...}"
            _err(
                res,
                path,
                expr,
                site,
                f"selector {shown} would read other environments' series: it overrides the "
                f"environment's matchers ({_render(scope.env.selector)}); scope it to "
                f"environment {scope.env.name!r}, or mark the alert global: <reason>",
            )
            ok = False
            continue
        if added:
            edits.append((site.at, _insertion(site, added)))
    if not ok:
        return None
    out = expr
    for at, text in sorted(edits, reverse=True):
        out = out[:at] + text + out[at:]
    return out


def _declared(known: dict[str, Metric], name: str) -> Metric | None:
    """The catalog metric a series belongs to: its own name, or a histogram's
    or summary's ``_bucket``/``_count``/``_sum``."""
    if name in known:
        return known[name]
    for suffix in ("_bucket", "_count", "_sum"):
        metric = known.get(name.removesuffix(suffix)) if name.endswith(suffix) else None
        if metric is not None and suffix in SERIES_SUFFIXES.get(metric.type, ()):
            return metric
    return None


def _series_names(known: dict[str, Metric]) -> list[str]:
    return [
        name + suffix
        for name, metric in known.items()
        for suffix in ("", *SERIES_SUFFIXES.get(metric.type, ()))
    ]


def _err(res: Resolution, path: Path, expr: str, site: _Site, message: str) -> None:
    """Report at the selector itself, inside the spec's ``expr`` scalar."""
    where = expr_position(res.doc.where(path), expr, site.start)
    res.report([Diagnostic(where, message, path)])


def _in_environment(
    env: Selector, written: dict[str, tuple[str, str]], added: list[Matcher]
) -> bool:
    """Whether the selector keeps to the environment: each of the environment's
    matchers is injected, or written exactly as the environment has it."""
    injected = {m.name for m in added}
    for m in env:
        if m.name in injected:
            continue
        if written.get(m.name) != (m.op, m.value):
            return False
    return True


def _render(selector: Selector) -> str:
    return ", ".join(f"{m.name}{m.op}{promql_string(m.value)}" for m in selector)


def _insertion(site: _Site, added: list[Matcher]) -> str:
    text = _render(tuple(added))
    if not site.braces:
        return "{" + text + "}"
    return (", " if site.needs_comma else "") + text


def _identifiers(tokens: list[Token]) -> list[Token]:
    """Tokens with metric names that start with ``:`` whole: outside ``[...]``
    PromQL's lexer reads a colon as the start of a name (``:foo``, ``:``),
    where the shared scanner sees an operator. Two identifier tokens that touch
    can only come from such a split (the scanner's identifiers are greedy)."""
    out: list[Token] = []
    depth = 0
    for tok in tokens:
        depth += {"[": 1, "]": -1}.get(tok.text, 0)
        if depth == 0 and tok.text == ":":
            tok = Token("ident", ":", tok.start)
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == tok.kind == "ident"
            and prev.start + len(prev.text) == tok.start
        ):
            out[-1] = Token("ident", prev.text + tok.text, prev.start)
        else:
            out.append(tok)
    return out


def _sites(tokens: list[Token]) -> list[_Site]:
    """Every selector's insertion point, in source order (the tree's order)."""
    out: list[_Site] = []
    k = 0
    n = len(tokens)
    while k < n:
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < n else None
        if tok.kind == "ident":
            word = tok.text.lower()
            if word in GROUPING and nxt is not None and nxt.text == "(":
                k = _close(tokens, k + 1, "(", ")") + 1  # a label list
                continue
            if nxt is not None and nxt.text == "(":
                k += 1  # a function or an aggregation
                continue
            if word in _AGGREGATIONS and nxt is not None and nxt.text.lower() in ("by", "without"):
                k += 1
                continue
            if word in _KEYWORDS or word in SPECIAL_FLOATS:
                k += 1
                continue
            if nxt is not None and nxt.text == "{":
                end = _close(tokens, k + 1, "{", "}")
                out.append(_braced(tokens, k + 1, end, tok.text, tok.start))
                k = end + 1
                continue
            out.append(_Site(tok.text, tok.start + len(tok.text), False, False, tok.start))
            k += 1
            continue
        if tok.text == "{":
            end = _close(tokens, k, "{", "}")
            out.append(_braced(tokens, k, end, None, tok.start))
            k = end + 1
            continue
        k += 1
    return out


def _braced(
    tokens: list[Token], open_at: int, close_at: int, name: str | None, start: int
) -> _Site:
    inside = tokens[open_at + 1 : close_at]
    needs_comma = bool(inside) and inside[-1].text != ","
    return _Site(name, tokens[close_at].start, True, needs_comma, start)


def _close(tokens: list[Token], start: int, opening: str, closing: str) -> int:
    depth = 0
    for k in range(start, len(tokens)):
        if tokens[k].text == opening:
            depth += 1
        elif tokens[k].text == closing:
            depth -= 1
            if depth == 0:
                return k
    return len(tokens) - 1
