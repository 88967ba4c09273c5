"""LogQL validation in pure Python, giving the verdicts Loki (v3, Go 1.26) gives.

Why a grammar of our own: Loki rules and dashboards are validated in a
pre-commit hook, where starting Loki (or Go) is not an option, and a regex
check would miss most mistakes.  The verdict has to be Loki's, so each layer
follows the Go code it replaces:

* :mod:`.scanner` and :mod:`.lexer` reproduce Loki's lexer (its copy of Go's
  ``text/scanner``, then ``lex.go``), with Go's literal rules in :mod:`.golex`.
  We feed its tokens to lark instead of using lark's contextual lexer: Loki
  decides tokens by look-ahead that no parser state knows about (``rate`` is a
  function only before ``(``, ``5m`` is a duration and ``10KB`` a byte size
  only when the unit is glued on, ``[5m]`` is read raw, keywords are
  case-insensitive and reserved everywhere, so ``{on="x"}`` is an error).  A
  contextual regex lexer would accept queries Loki refuses and vice versa.
* :mod:`.grammar` is Loki's ``syntax.y`` as a lark LALR grammar; the parse
  tables are generated once and committed (see :mod:`.parser`), and syntax
  errors are worded by :mod:`.messages`.
* :mod:`.build` runs, at each reduction, the checks Loki's AST constructors
  and ``validateExpr`` run (:mod:`.rules`, from ``ast.go``/``parser.go``) and
  those its pipeline builder runs (:mod:`.stages`, :mod:`.pattern`,
  :mod:`.extraction`, :mod:`.netip`): regexes, patterns, templates, ``ip()``.

Loki reports only its first error; we report every independent one we can
see (all semantic problems, or those found before the first syntax error plus
that error), sorted by position.  Some problems Loki's parser lets through and
only meets when the query runs (a ``|~`` regex, a ``line_format`` template, an
``ip()`` pattern, a ``json``/``logfmt`` expression): every run of such a query
fails, so they are errors here too.
"""

from __future__ import annotations

import bisect

from .errors import LogQLError

__all__ = ["MAX_QUERY_BYTES", "LogQLError", "check_logql", "is_metric_query", "position"]

LogQLError.__module__ = __name__  # part of this package's API; defined apart to avoid import cycles

#: Loki refuses queries of this many bytes or more (maxInputSize in parser.go).
MAX_QUERY_BYTES = 131072


def _too_long(expr: str) -> LogQLError | None:
    size = len(expr.encode("utf-8", "surrogatepass"))
    if size >= MAX_QUERY_BYTES:
        return LogQLError(f"the query is too long ({size} bytes); Loki accepts less than {MAX_QUERY_BYTES}", 0)
    return None


def check_logql(expr: str, *, metric: bool = False) -> list[LogQLError]:
    """Errors Loki would report for expr (empty list: valid). metric=True also requires a metric (sample) query, as the Loki ruler does for rule expressions ('a rule needs a metric query, e.g. rate(...)')."""
    too_long = _too_long(expr)
    if too_long:
        return [too_long]
    from .nodes import Kind
    from .parser import parse

    result = parse(expr)
    errors = [LogQLError(message, offset) for message, offset in result.problems]
    if metric and result.root is not None and result.root.kind is Kind.LOG:
        errors.append(LogQLError("a rule needs a metric query, e.g. rate(...): wrap the log query in a range aggregation such as sum(rate({...}[5m]))", result.root.start))
    return sorted(dict.fromkeys(errors), key=lambda e: e.offset)


def position(expr: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of offset inside a possibly multi-line expr."""
    offset = max(0, min(offset, len(expr)))
    starts = [0] + [i + 1 for i, ch in enumerate(expr) if ch == "\n"]
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def is_metric_query(expr: str) -> bool | None:
    """Whether expr is a metric query; None if it does not parse."""
    if _too_long(expr):
        return None
    from .nodes import Kind
    from .parser import parse

    result = parse(expr)
    if result.root is None:
        return None
    return result.root.kind is not Kind.LOG
