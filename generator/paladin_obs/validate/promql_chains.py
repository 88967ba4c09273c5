"""Long chains of one operator, regrouped so promql-parser parses them in time.

promql-parser is super-linear on long left-nested operator chains (seconds
at a few thousand operators) and fast on balanced trees, and generated rule
files do contain ``or`` chains of several hundred terms. Regrouping such a
chain as a balanced tree keeps Go's verdict for the operators below, so the
chain can be checked at all instead of being refused as too large.
"""

from __future__ import annotations

from paladin_obs.validate.promql_scan import BINARY_OPS, Scan, Token, is_unary

__all__ = ["rebalance"]

#: Operators whose chains may be regrouped without changing the verdict. Go's
#: type rules for them only look at each operand's own type (arithmetic: scalar
#: or instant vector; set operators: instant vector), and every operand stays a
#: direct operand of one of the operators however the chain is grouped.
#: Comparisons are left out: "1 < 2 > x" fails (scalars need "bool") but
#: "1 < (2 > x)" does not. "^" is right-associative and atan2 is rare.
_REGROUPABLE = frozenset(("or", "and", "unless", "+", "-", "*", "/", "%"))
#: Regrouping these does not change the value either, so the AST of the
#: regrouped text is still a faithful one for lint.
_ASSOCIATIVE = frozenset(("or", "and", "+", "*"))
_MODIFIERS = frozenset(("bool", "on", "ignoring", "group_left", "group_right"))


def rebalance(expr: str, scan: Scan) -> tuple[str, bool] | None:
    """A long top-level chain of one operator, regrouped as a balanced tree.

    Returns (text, whether the regrouped AST keeps the meaning),
    or None if ``expr`` is not such a chain: more than one operator at the top
    level, a modifier (bool, on, ignoring, group_*), or an operator outside
    ``_REGROUPABLE``. Operands are copied verbatim; each group gets its own
    parentheses and line breaks, so a comment at the end of an operand cannot
    swallow what follows.
    """
    toks = scan.tokens
    depth = 0
    op: str | None = None
    cuts: list[Token] = []
    for k, tok in enumerate(toks):
        text = tok.text
        if tok.kind == "op" and text in "([{":
            depth += 1
        elif tok.kind == "op" and text in ")]}":
            depth -= 1
        elif depth == 0:
            word = text.lower()
            if tok.kind == "ident" and word in _MODIFIERS:
                return None
            if word not in BINARY_OPS or (tok.kind == "op" and word in "+-" and is_unary(toks, k)):
                continue
            if tok.kind == "ident" and (k == 0 or is_unary(toks, k)):
                return None  # a keyword where an operand belongs: leave it to the parser
            if op is None:
                op = word
            elif word != op:
                return None
            cuts.append(tok)
    if op is None or op not in _REGROUPABLE:
        return None
    items: list[str] = []
    pos = 0
    for tok in cuts:
        items.append(expr[pos : tok.start])
        pos = tok.start + len(tok.text)
    items.append(expr[pos:])
    symbol = cuts[0].text
    while len(items) > 2:
        paired = [f"({a}\n{symbol} {b}\n)" for a, b in zip(items[::2], items[1::2], strict=False)]
        if len(items) % 2:
            paired.append(items[-1])
        items = paired
    # The root stays unparenthesised, so the AST's top node is the operator.
    return f"{items[0]}\n{symbol} {items[1]}", op in _ASSOCIATIVE
