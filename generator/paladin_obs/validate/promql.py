"""PromQL validation with the verdict ``promtool check rules`` gives for a target version.

promql-parser (Rust) does the grammar and type checking, and agrees with the Go
parser on almost everything. Where it does not, this module closes the gap:

* it follows Prometheus 3.x, so names and syntax the target does not know are
  rejected here (function/aggregation tables, numbers as durations, quoted
  UTF-8 names, ``or`` inside braces, fill modifiers, @/negative offset/
  subqueries before they existed);
* it compiles regexes with Rust's engine, so every regex goes through our RE2
  checker instead, and regexes Rust cannot compile are swapped for stand-ins
  with the same empty-match behaviour before parsing;
* it lacks Go's range checks on durations and @ timestamps;
* it recurses without limit and can crash the process on absurdly deep input,
  so size and nesting are bounded first and parsing runs on a worker thread
  with a large stack.

``label_replace`` regexes are checked too, although promtool does not (they
only fail when the rule is evaluated, every time).

An expression differing from one already found clean only in the values of
equality matchers is only parsed (``promql_memo``).

This module only sequences the steps; each lives in its own module:
``promql_scan`` (tokens and the size bounds), ``promql_chains`` (long
operator chains), ``promql_prepare`` (stand-ins), ``promql_worker`` (calling
promql-parser), ``promql_dialect`` (target version and Go's range checks)
and ``promql_regexes`` (Go's regex rules).
"""

from __future__ import annotations

from dataclasses import dataclass

import promql_parser as pp

from paladin_obs.validate.promql_chains import rebalance
from paladin_obs.validate.promql_dialect import Dialect
from paladin_obs.validate.promql_functions import Version
from paladin_obs.validate.promql_memo import remember_clean, seen_clean, shape
from paladin_obs.validate.promql_prepare import Prepared, prepare
from paladin_obs.validate.promql_regexes import label_replace_errors, regex_error
from paladin_obs.validate.promql_scan import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_OPERATORS,
    MAX_UNBALANCED_OPERATORS,
    Scan,
    scan,
)
from paladin_obs.validate.promql_syntax import explain
from paladin_obs.validate.promql_worker import WORKER, parse

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_OPERATORS",
    "MAX_UNBALANCED_OPERATORS",
    "PromQLError",
    "check_expr",
    "parse_expr",
]


@dataclass(frozen=True)
class PromQLError:
    """One reason the expression would be rejected (or, for label_replace, fail).

    ``offset`` is where in the expression a parse error is (a character
    index, as promtool's ``line:col`` inside the expression; see
    ``promql_syntax``), None when unknown or not a parse error.
    """

    message: str
    offset: int | None = None


def _analyse(
    prepared: Prepared, scanned: Scan, version: Version, regexes_done: bool
) -> tuple[pp.Expr | None, list[str]]:
    """Everything that touches promql-parser; runs on the big-stack worker."""
    ast, parse_error = parse(prepared.source)
    if ast is not None and prepared.minus_source is not None:
        _, parse_error = parse(prepared.minus_source)  # unary "+" checked as "-"
    dialect = Dialect(scanned, version)
    errors = dialect.run(parsed=ast is not None)
    if parse_error is not None:
        errors.append(parse_error)
    if ast is None:
        return None, errors
    if not regexes_done:
        for value in dialect.regexes:
            problem = regex_error(value, version)
            if problem:
                errors.append(f"error parsing regexp: {problem}")
    if "label_replace" in prepared.source:
        errors += label_replace_errors(ast, version)
    return ast, errors


def parse_expr(expr: str, version: Version) -> tuple[pp.Expr | None, list[PromQLError]]:
    """Parse ``expr`` for a Prometheus ``version`` target: (AST or None, errors).

    The AST is returned whenever parsing succeeded, even with errors, so
    callers can lint it. It carries the stand-ins of ``prepare`` (rare: regexes
    Rust cannot compile, raw strings, absurd durations), and for a long chain
    of one associative operator it is the regrouped chain (see
    ``rebalance``); for other long chains it is None, since the regrouped
    tree would not mean the same.
    """
    key = shape(expr)
    if key is not None and seen_clean(key, version):
        ast, parse_error = WORKER.run(lambda: parse(expr))
        if parse_error is None:
            return ast, []
    scanned = scan(expr)
    if scanned.error:
        return None, [PromQLError(f"expression too large to check: {scanned.error}")]
    source, source_scan, faithful = expr, scanned, True
    if scanned.operators > MAX_UNBALANCED_OPERATORS:
        chain = rebalance(expr, scanned)
        if chain is None:
            return None, [
                PromQLError(
                    f"expression too large to check: expression has {scanned.operators} operators; "
                    f"the limit is {MAX_UNBALANCED_OPERATORS} unless they form one chain of "
                    f"a single arithmetic or set operator (then {MAX_OPERATORS})"
                )
            ]
        source, faithful = chain
        source_scan = scan(source, bounded=False)
    regexes_done = "`" in expr
    prepared = prepare(source, source_scan, version, regexes=regexes_done)
    ast, messages = WORKER.run(lambda: _analyse(prepared, scanned, version, regexes_done))
    if ast is None and not regexes_done and "illegal regex" in messages[-1]:
        prepared = prepare(source, source_scan, version, regexes=True)
        ast, messages = WORKER.run(lambda: _analyse(prepared, scanned, version, True))
    errors = [_located(expr, m, faithful) for m in prepared.errors + messages]
    if (
        key is not None
        and ast is not None
        and not errors
        and prepared.source == expr
        and prepared.minus_source is None
    ):
        remember_clean(key, version)
    return (ast if faithful else None), list(dict.fromkeys(errors))


_PARSE_ERROR = "parse error: "


def _located(expr: str, message: str, faithful: bool) -> PromQLError:
    """promql-parser's complaint with Go's reason and position, when we can tell."""
    if not message.startswith(_PARSE_ERROR):
        return PromQLError(message)
    located = explain(expr, message[len(_PARSE_ERROR) :])
    offset = located.offset if faithful else None
    return PromQLError(_PARSE_ERROR + located.reason, offset)


def check_expr(expr: str, version: Version) -> list[PromQLError]:
    """Errors ``promtool check rules`` of ``version`` would report for ``expr`` (empty: valid)."""
    return parse_expr(expr, version)[1]
