"""Which labels an alert's series can carry, and what its templates read.

Two small analyses shared by the template checks (``alerts/template-labels``,
``alerts/value-in-label``):

* :func:`output_labels` walks a parsed PromQL expression and says which labels
  its result series can carry: either "at most these" (after ``sum by (a)``,
  ``on (a)`` one-to-one matching, ``absent(x{a="1"})``, ``vector(1)``...) or
  "any label except these" (after ``without (a)``, ``ignoring (a)``,
  ``histogram_quantile`` dropping ``le``...), with the reason each impossible
  label is impossible. It follows Prometheus's engine (``resultMetric`` for
  binary operators, ``createLabelsForAbsentFunction`` for ``absent``).
  Anything it does not model is "any label": it may miss a finding, never
  invent one.
* :func:`template_refs` lists the ``$labels.x`` / ``.Labels.x`` /
  ``index $labels "x"`` and ``$value`` / ``.Value`` references of an alert
  label or annotation template. ``validate/gotemplate.py`` exposes only a parse
  verdict, so this is a small scanner over the ``{{ ... }}`` actions (quotes
  and comments respected, ``range``/``with`` tracked so ``.Labels`` inside them,
  which is another dot, is not taken for the alert's). Limits: an alias
  (``{{ $l := $labels }}{{ $l.x }}``) or a nested template call is not
  followed, and a template that redeclares ``$labels`` or ``$value`` is not
  analysed at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import promql_parser as pp

from paladin_obs.validate.gotemplate import actions_of
from paladin_obs.validate.promql_memo import shape

_NAME = "__name__"


@dataclass(frozen=True)
class Out:
    """The labels an expression's result series can carry.

    ``closed``: only labels of ``kept`` can be present (``reason`` says why any
    other one cannot); otherwise any label can, except those of ``dropped``.
    ``dropped`` gives a label-specific reason in both modes (in closed mode it
    overrides ``reason``). ``scalar`` marks a scalar (not a vector) result.
    """

    closed: bool
    kept: frozenset[str] = frozenset()
    reason: str = ""
    dropped: Mapping[str, str] = field(default_factory=dict)
    scalar: bool = False

    def missing(self, name: str) -> str | None:
        """Why series of this result can never have label ``name`` (None: they may)."""
        if self.closed:
            return None if name in self.kept else self.dropped.get(name, self.reason)
        return self.dropped.get(name)

    def possible(self, name: str) -> bool:
        return self.missing(name) is None


ANY = Out(closed=False)


def _none(reason: str, *, scalar: bool = False) -> Out:
    return Out(closed=True, reason=reason, scalar=scalar)


def _drop(out: Out, reasons: Mapping[str, str]) -> Out:
    """``out`` without the labels of ``reasons`` (each with why it is gone)."""
    if out.closed:
        gone = {n: r for n, r in reasons.items() if n in out.kept}
        return Out(True, out.kept - gone.keys(), out.reason, {**out.dropped, **gone})
    return Out(False, dropped={**reasons, **out.dropped})


def _add(out: Out, names: Iterable[str]) -> Out:
    """``out`` where the labels ``names`` may now be present."""
    new = frozenset(names)
    dropped = {n: r for n, r in out.dropped.items() if n not in new}
    if out.closed:
        return Out(True, out.kept | new, out.reason, dropped)
    return Out(False, dropped=dropped)


def _keep_only(out: Out, names: Iterable[str], reason: str) -> Out:
    """At most the labels ``names`` of ``out`` (``by (...)``, ``on (...)``)."""
    kept, dropped = set(), {}
    for n in names:
        why = out.missing(n)
        if why is None:
            kept.add(n)
        else:
            dropped[n] = why
    return Out(True, frozenset(kept), reason, dropped)


def _union(a: Out, b: Out) -> Out:
    """Series of either ``a`` or ``b`` (``or``): a label is possible if either side has it."""
    if not a.closed or not b.closed:
        opened = b if a.closed else a
        other = a if a.closed else b
        dropped = {
            n: f"{r}; and {other.missing(n)}"
            for n, r in opened.dropped.items()
            if not other.possible(n)
        }
        return Out(False, dropped=dropped)
    names = (a.dropped.keys() | b.dropped.keys()) - a.kept - b.kept
    reason = a.reason if a.reason == b.reason else f"{a.reason}; and {b.reason}"
    dropped = {n: f"{a.missing(n)}; and {b.missing(n)}" for n in names}
    return Out(True, a.kept | b.kept, reason, dropped)


def _names(labels: Iterable[str]) -> str:
    return ", ".join(labels)


#: Functions whose result series keep the labels of one argument (its index),
#: minus ``__name__`` (which the template checks never report).
_SAME_LABELS: dict[str, int] = {
    **dict.fromkeys(
        (
            "abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "round",
            "clamp", "clamp_min", "clamp_max", "changes", "resets", "delta", "idelta",
            "deriv", "increase", "rate", "irate", "predict_linear", "holt_winters",
            "double_exponential_smoothing", "avg_over_time", "min_over_time",
            "max_over_time", "sum_over_time", "count_over_time", "stddev_over_time",
            "stdvar_over_time", "last_over_time", "present_over_time", "mad_over_time",
            "first_over_time", "ts_of_min_over_time", "ts_of_max_over_time",
            "ts_of_last_over_time", "ts_of_first_over_time", "sort", "sort_desc",
            "sort_by_label", "sort_by_label_desc", "timestamp", "acos", "acosh", "asin",
            "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg",
            "rad", "histogram_count", "histogram_sum", "histogram_avg",
            "histogram_stddev", "histogram_stdvar",
        ),
        0,
    ),
    "quantile_over_time": 1,
    "histogram_fraction": 2,
}  # fmt: skip
_DATE_FUNCTIONS = frozenset(
    {
        "day_of_month",
        "day_of_week",
        "day_of_year",
        "days_in_month",
        "hour",
        "minute",
        "month",
        "year",
    }
)
_SCALAR_FUNCTIONS = frozenset({"time", "pi", "scalar"})
_KEEP_INPUT_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
_GROUPING_AGGREGATIONS = frozenset(
    {"sum", "min", "max", "avg", "count", "group", "stddev", "stdvar", "quantile", "count_values"}
)
_SET_OPERATORS = frozenset({"and", "unless"})
_MAX_DEPTH = 200


def output_labels(expr: pp.Expr) -> Out:
    """Which labels the series ``expr`` returns can carry (see :class:`Out`)."""
    return _labels(expr, 0)


def output_labels_of(text: str, expr: pp.Expr) -> Out:
    """``output_labels(expr)`` for the expression ``text`` parsed to ``expr``,
    remembered by the text's shape (``promql_memo.shape``): the answer reads
    label names, operators and functions, never the value of an equality
    matcher, and a big file repeats one expression with another ``job="..."``
    per service. The answer is shared: callers only read it."""
    key = shape(text)
    if key is None:
        return _labels(expr, 0)
    known = _BY_SHAPE.get(key)
    if known is None:
        if len(_BY_SHAPE) >= 20_000:
            _BY_SHAPE.clear()
        known = _BY_SHAPE[key] = _labels(expr, 0)
    return known


_BY_SHAPE: dict[str, Out] = {}


def _labels(expr: pp.Expr, depth: int) -> Out:
    if depth > _MAX_DEPTH:
        return ANY
    depth += 1
    if isinstance(expr, pp.ParenExpr | pp.SubqueryExpr):
        return _labels(expr.expr, depth)
    if isinstance(expr, pp.UnaryExpr):
        return _labels(expr.expr, depth)
    if isinstance(expr, pp.NumberLiteral | pp.StringLiteral):
        return _none("a number has no labels", scalar=True)
    if isinstance(expr, pp.VectorSelector | pp.MatrixSelector):
        return ANY
    if isinstance(expr, pp.Call):
        return _call(expr, depth)
    if isinstance(expr, pp.AggregateExpr):
        return _aggregate(expr, depth)
    if isinstance(expr, pp.BinaryExpr):
        return _binary(expr, depth)
    return ANY


def _call(call: pp.Call, depth: int) -> Out:
    name = call.func.name
    args = call.args
    if name in _SCALAR_FUNCTIONS:
        return _none(f"`{name}()` is a scalar, without labels", scalar=True)
    if name == "vector" or (name in _DATE_FUNCTIONS and not args):
        return _none(f"`{name}(...)` returns one series without labels")
    if name in ("absent", "absent_over_time") and args:
        return _absent(name, args[0])
    if name in ("label_replace", "label_join") and len(args) > 1:
        dst = args[1]
        if not isinstance(dst, pp.StringLiteral):
            return ANY
        return _add(_labels(args[0], depth), (dst.val,))
    if name == "histogram_quantile" and len(args) > 1:
        return _drop(_labels(args[1], depth), {"le": "`histogram_quantile(...)` drops le"})
    index = 0 if name in _DATE_FUNCTIONS else _SAME_LABELS.get(name)
    if index is None or index >= len(args):
        return ANY
    return _labels(args[index], depth)


def _absent(name: str, arg: pp.Expr) -> Out:
    """Prometheus's createLabelsForAbsentFunction: the selector's equality
    matchers, except a label matched more than once (a non-selector argument
    would give no labels, but the parser may wrap it: not modelled)."""
    if isinstance(arg, pp.MatrixSelector):
        arg = arg.vector_selector
    if not isinstance(arg, pp.VectorSelector) or arg.matchers.or_matchers:
        return ANY
    seen: dict[str, int] = {}
    equal = set()
    for m in arg.matchers.matchers:
        if m.name == _NAME:
            continue
        seen[m.name] = seen.get(m.name, 0) + 1
        if m.op == pp.MatchOp.Equal:
            equal.add(m.name)
    kept = frozenset(n for n in equal if seen[n] == 1)
    what = f"({_names(sorted(kept))})" if kept else "(none here)"
    return Out(True, kept, f"{name}() returns only its selector's equality-matched labels {what}")


def _aggregate(agg: pp.AggregateExpr, depth: int) -> Out:
    op = str(agg.op).lower()
    inner = _labels(agg.expr, depth)
    if op in _KEEP_INPUT_AGGREGATIONS:
        return Out(inner.closed, inner.kept, inner.reason, inner.dropped)
    if op not in _GROUPING_AGGREGATIONS:
        return ANY
    added: tuple[str, ...] = ()
    if op == "count_values":
        if not isinstance(agg.param, pp.StringLiteral):
            return ANY
        added = (agg.param.val,)
    mod = agg.modifier
    listed = _names(mod.labels) if mod is not None else ""
    if mod is None:
        out = _keep_only(inner, (), f"`{op}(...)` without by (...) aggregates every label away")
    elif mod.type == pp.AggModifierType.By:
        out = _keep_only(
            inner, mod.labels, f"`{op} by ({listed}) (...)` keeps only {listed or 'no label'}"
        )
    else:
        why = f"`{op} without ({listed}) (...)` drops it"
        out = _drop(inner, dict.fromkeys(mod.labels, why))
    return _add(out, added)


def _binary(node: pp.BinaryExpr, depth: int) -> Out:
    op = str(node.op).lower()
    lhs, rhs = _labels(node.lhs, depth), _labels(node.rhs, depth)
    if lhs.scalar and rhs.scalar:
        return _none("an operation on scalars has no labels", scalar=True)
    if op in _SET_OPERATORS:
        return lhs
    if op == "or":
        return _union(lhs, rhs)
    if lhs.scalar:
        return rhs
    if rhs.scalar:
        return lhs
    mod = node.modifier
    card = mod.card if mod is not None else pp.VectorMatchCardinality.OneToOne
    matching = mod.matching if mod is not None else None
    if card == pp.VectorMatchCardinality.OneToOne:
        if matching is None:
            return lhs
        listed = _names(matching.labels)
        if matching.type == pp.LabelModifierType.Include:
            return _keep_only(
                lhs,
                matching.labels,
                f"`... {op} on ({listed}) ...` (one-to-one) keeps only {listed or 'no label'}",
            )
        return _drop(
            lhs,
            dict.fromkeys(matching.labels, f"`... {op} ignoring ({listed}) ...` drops it"),
        )
    if card == pp.VectorMatchCardinality.ManyToOne:
        many, one = lhs, rhs
    elif card == pp.VectorMatchCardinality.OneToMany:
        many, one = rhs, lhs
    else:
        return ANY
    include = (mod.group_labels or []) if mod is not None else []
    # group_x(labels) copies each listed label from the "one" side (deleting it when that side lacks it).
    out = _add(many, [n for n in include if one.possible(n)])
    return _drop(out, {n: why for n in include if (why := one.missing(n)) is not None})


# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------

#: Tokens inside one action. Strings first, so their content is never read as code.
_TOKEN = re.compile(
    r"""(?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*')
    |(?P<var>\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    |(?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
    |(?P<num>[0-9][A-Za-z0-9_.]*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<decl>:=|=)
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_REBINDING = frozenset({"range", "with", "block", "define"})
_SIMPLE_STRING = re.compile(r'"([^"\\]*)"|`([^`]*)`')


@dataclass(frozen=True)
class Ref:
    """A reference of a template to the alert's series: one of its labels or its value."""

    kind: Literal["label", "value"]
    name: str
    #: As written, e.g. ``$labels.instance``.
    text: str
    #: Only in the condition of ``if``/``with``: the template copes with its absence.
    guarded: bool


def _actions(text: str) -> list[str] | None:
    """The body of every ``{{ ... }}`` action (comments left out); None when unterminated."""
    out: list[str] = []
    pos = 0
    while (start := text.find("{{", pos)) >= 0:
        i = start + 2
        if text.startswith("/*", i) or text.startswith("- /*", i):
            end = text.find("*/", i)
            close = text.find("}}", end + 2) if end >= 0 else -1
            if close < 0:
                return None
            pos = close + 2
            continue
        quote = ""
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\" and quote != "`":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'`":
                quote = ch
            elif text.startswith("}}", i):
                break
            i += 1
        else:
            return None
        body = text[start + 2 : i]
        if body.startswith("-"):
            body = body[1:]
        if body.endswith("-"):
            body = body[:-1]
        out.append(body)
        pos = i + 2
    return out


def _string_value(token: str) -> str | None:
    m = _SIMPLE_STRING.fullmatch(token)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


def template_refs(text: str) -> Sequence[Ref] | None:
    """Every reference of template ``text`` to the alert's labels or value; None
    when it cannot be analysed (unterminated action, unbalanced ``end``, or
    ``$labels``/``$value`` redeclared).

    The answer depends on the actions alone (the text between them refers to
    nothing), so it is remembered by the actions: big rule files repeat the
    same actions around text that differs per alert. A tuple, so no caller
    can change a shared answer."""
    if "{{" not in text:
        return ()
    actions = actions_of(text)
    return _template_refs(text if actions is None else "".join(actions))


@functools.lru_cache(maxsize=65536)
def _template_refs(text: str) -> tuple[Ref, ...] | None:
    found = _refs_of(text)
    return None if found is None else tuple(found)


def _refs_of(text: str) -> list[Ref] | None:
    actions = _actions(text)
    if actions is None:
        return None
    refs: list[Ref] = []
    stack: list[bool] = []  # per open block: is the dot rebound in the current branch?
    for body in actions:
        tokens = [
            (m.lastgroup or "", m.group()) for m in _TOKEN.finditer(body) if m.lastgroup != "space"
        ]
        first = tokens[0][1] if tokens and tokens[0][0] == "word" else ""
        second = tokens[1][1] if len(tokens) > 1 and tokens[1][0] == "word" else ""
        if first == "end":
            if not stack:
                return None
            stack.pop()
            continue
        if first == "else":
            if not stack:
                return None
            stack[-1] = False  # the condition of `else with` is read with the outer dot
        kinds = [k for k, _ in tokens]
        if "decl" in kinds:
            before = tokens[: kinds.index("decl")]
            if any(k == "var" and t in ("$labels", "$value") for k, t in before):
                return None
        guarded = first in ("if", "with") or (first == "else" and second in ("if", "with"))
        root = not any(stack)
        refs.extend(_refs_in(tokens, root=root, guarded=guarded))
        if first in _REBINDING:
            stack.append(True)
        elif first == "if":
            stack.append(False)
        elif first == "else" and second == "with":
            stack[-1] = True
    return refs


def _refs_in(tokens: list[tuple[str, str]], *, root: bool, guarded: bool) -> list[Ref]:
    refs: list[Ref] = []
    for i, (kind, tok) in enumerate(tokens):
        path: list[str] | None = None
        if kind == "var":
            name, _, rest = tok.partition(".")
            parts = rest.split(".") if rest else []
            if name == "$labels":
                path = ["Labels", *parts]
            elif name == "$value":
                path = ["Value"]
            elif name == "$":
                path = parts
        elif kind == "field" and root and (i == 0 or tokens[i - 1][1] != ")"):
            path = tok.lstrip(".").split(".")
        if not path:
            continue
        if path[0] == "Value":
            refs.append(Ref("value", "", tok, guarded))
        elif path[0] == "Labels" and len(path) > 1:
            refs.append(Ref("label", path[1], tok, guarded))
        elif (
            path[0] == "Labels"
            and i > 0
            and tokens[i - 1] == ("word", "index")
            and i + 1 < len(tokens)
        ):
            label = _string_value(tokens[i + 1][1]) if tokens[i + 1][0] == "str" else None
            if label is not None:
                refs.append(Ref("label", label, f'index {tok} "{label}"', guarded))
    return refs
