"""Values that render themselves safely into PromQL and Go templates.

Templates receive these instead of raw strings: a selector or a list of label
names is already valid PromQL, while a bare ``str`` from the spec is refused in
PromQL unless it goes through a quoting filter. That makes "spec value reaches
PromQL unescaped" a rendering error instead of a silent injection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paladin_obs.escape import promql_string
from paladin_obs.model import Matcher, Metric, Selector


class PromQL(str):
    """Text that is already valid PromQL (built by us from validated parts)."""

    __slots__ = ()


def render_selector(metric: str, matchers: Selector) -> PromQL:
    """``metric{a="b",c=~"d"}`` with every value quoted."""
    if not matchers:
        return PromQL(metric)
    inner = ", ".join(f"{m.name}{m.op}{promql_string(m.value)}" for m in matchers)
    return PromQL(f"{metric}{{{inner}}}")


def merge_selectors(*selectors: Selector) -> Selector:
    """Later selectors win per (label, operator); order is by label for stable output."""
    merged: dict[tuple[str, str], Matcher] = {}
    for sel in selectors:
        for m in sel:
            merged[(m.name, m.op)] = m
    return tuple(sorted(merged.values(), key=lambda m: (m.name, m.op)))


_OPS = ("=~", "!~", "!=", "=")


def parse_matcher(name: str, text: str) -> Matcher:
    """``"=~5.."`` → regex matcher; a value without an operator is an exact match."""
    for op in _OPS:
        if text.startswith(op):
            return Matcher(name, op, text[len(op) :])  # type: ignore[arg-type]
    return Matcher(name, "=", text)


@dataclass(frozen=True)
class SeriesView:
    """A metric as a template sees it: renders as its full selector.

    ``bucket``/``count``/``sum`` give the histogram and summary series, and
    ``where(match)`` narrows it further, so templates never assemble selectors
    by string concatenation.
    """

    metric: Metric
    matchers: Selector

    def _render(self, suffix: str = "") -> PromQL:
        return render_selector(self.metric.name + suffix, self.matchers)

    def __str__(self) -> str:
        return self._render()

    @property
    def name(self) -> PromQL:
        return PromQL(self.metric.name)

    @property
    def series(self) -> PromQL:
        """A selector that exists for any type: histograms have no bare series."""
        return self._render("_count") if self.metric.type == "histogram" else self._render()

    @property
    def bucket(self) -> PromQL:
        return self._render("_bucket")

    @property
    def count(self) -> PromQL:
        return self._render("_count")

    @property
    def sum(self) -> PromQL:
        return self._render("_sum")

    def where(self, extra: Selector | None = None) -> SeriesView:
        return SeriesView(self.metric, merge_selectors(self.matchers, extra or ()))


_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class GoTemplate(str):
    """Go template text built by us (``{{ $labels.job }}``): passes into annotations as is."""

    __slots__ = ()


class LabelList(PromQL):
    """Label names for ``by (...)``; ``plus("le")`` adds one a template needs."""

    names: tuple[str, ...]

    def __new__(cls, names: tuple[str, ...] | list[str]) -> LabelList:
        for name in names:
            if not _LABEL.match(name):
                raise ValueError(f"not a label name: {name!r}")
        value = super().__new__(cls, ", ".join(names))
        value.names = tuple(names)
        return value

    def plus(self, *extra: str) -> LabelList:
        return LabelList([*self.names, *(e for e in extra if e not in self.names)])

    def only(self, *names: str) -> LabelList:
        """The listed names, in this list's order: ``on (...)`` for labels both sides keep."""
        return LabelList([n for n in self.names if n in names])

    def describe(self) -> GoTemplate:
        """``job={{ $labels.job }}, route={{ $labels.route }}`` for descriptions."""
        return GoTemplate(", ".join(f"{n}={{{{ $labels.{n} }}}}" for n in self.names))


def label_list(names: tuple[str, ...] | list[str]) -> LabelList:
    return LabelList(names)
