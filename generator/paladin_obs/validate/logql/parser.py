"""The LALR parser: Loki's tokens in, the checked thin tree (or the first syntax error) out.

Building LALR tables from :data:`.grammar.GRAMMAR` costs 0.1-0.2 s, too much
for a pre-commit hook that checks a handful of queries, so the tables are
generated once into ``_tables.py`` (committed, as JSON text: a string constant
compiles instantly even where no ``.pyc`` can be written) and loaded with
lark's own loader for serialized parsers (``Lark._load_from_dict``, what lark's
standalone generator uses) in about 10 ms.  Tables generated from another
grammar text or lark minor version are not trusted, and neither is a loader
failure: the parser is then built from the grammar (slow, still right).
Regenerate after editing the grammar with::

    python -m paladin_obs.validate.logql.parser --write-tables

``tests/validate/logql/test_tables.py`` fails while the committed tables are stale.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.grammar import Rule
from lark.lexer import Lexer, TerminalDef

from .build import Builder
from .grammar import GRAMMAR
from .lexer import LexError, tokenize
from .messages import syntax_error_message
from .nodes import Expr

__all__ = ["ParseResult", "generated_tables", "grammar_digest", "parse", "table_source"]

_TABLES_PATH = Path(__file__).with_name("_tables.py")
_LEXER_PLACEHOLDER = "paladin-obs custom lexer"
_CHUNK = 96


class _TokenSource(Lexer):
    """lark's hook for a custom lexer: hands over the tokens of :mod:`.lexer`."""

    def __init__(self, conf: Any) -> None:
        del conf

    def lex(self, text: str) -> Iterator[Token]:  # type: ignore[override]  # lark's legacy signature
        for tok in tokenize(text):
            yield Token(tok.type, tok.value, tok.start, None, None, None, None, tok.end)


@dataclass(frozen=True)
class ParseResult:
    """The root (None after a syntax error) and every problem, in the order found."""

    root: Expr | None
    problems: list[tuple[str, int]]


def grammar_digest() -> str:
    """Identity of the grammar and lark version the tables must come from."""
    major_minor = ".".join(lark.__version__.split(".")[:2])
    return hashlib.sha256(f"{major_minor}\n{GRAMMAR}".encode()).hexdigest()


def _from_grammar(builder: Builder) -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer=_TokenSource, transformer=builder)


def _from_tables(builder: Builder) -> Lark | None:
    try:
        from . import _tables
    except ImportError:  # pragma: no cover - the tables are committed
        return None
    if getattr(_tables, "DIGEST", None) != grammar_digest():
        return None
    try:
        data = _load_json(_tables.DATA)
        memo = _load_json(_tables.MEMO)
        data["options"]["lexer"] = _TokenSource
        data["parser"]["lexer_conf"]["lexer_type"] = _TokenSource
        loaded: Lark = Lark._load_from_dict(data, memo, transformer=builder)  # type: ignore[no-untyped-call]
        return loaded
    except Exception:  # pragma: no cover - a lark internals change; rebuild instead
        return None


_lock = threading.Lock()
_state: dict[str, Any] = {}


def _parser() -> tuple[Lark, Builder]:
    """The process-wide parser, built on first use (imports stay cheap)."""
    if "lark" not in _state:
        builder = Builder()
        _state["lark"] = _from_tables(builder) or _from_grammar(builder)
        _state["builder"] = builder
    return _state["lark"], _state["builder"]


def table_source() -> str:
    """Where the running parser's tables came from: "committed" or "grammar"."""
    with _lock:
        lark_parser, _ = _parser()
    return "grammar" if lark_parser.source_path != "<deserialized>" else "committed"


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:200]


def parse(text: str) -> ParseResult:
    """Parse ``text``; semantic problems found before a syntax error are kept."""
    with _lock:
        lark_parser, builder = _parser()
        builder.problems = []
        try:
            root = cast(Expr, lark_parser.parse(text))  # the start rule's callback returns an Expr
        except LexError as err:
            return ParseResult(None, [*builder.problems, (err.message, err.offset)])
        except UnexpectedToken as err:
            tok = err.token
            at = len(text) if tok.type == "$END" else (tok.start_pos or 0)
            raw = "" if tok.type == "$END" else text[at : tok.end_pos or at]
            message = syntax_error_message(tok.type, raw, err.expected)
            return ParseResult(None, [*builder.problems, (message, at)])
        except (UnexpectedInput, VisitError) as err:  # pragma: no cover - not produced by this grammar
            return ParseResult(None, [*builder.problems, (f"cannot parse the query: {_one_line(err)}", 0)])
        except Exception as err:  # pragma: no cover - a checker bug must not crash its caller
            problem = f"internal error of the LogQL checker, the query was not checked: {type(err).__name__}: {_one_line(err)}"
            return ParseResult(None, [*builder.problems, (problem, 0)])
        return ParseResult(root, builder.problems)


def _plain(value: Any) -> Any:
    """The same data with lark's str subclasses (Token) turned into plain str."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _load_json(text: str) -> dict[str, Any]:
    """Tables from JSON, with the integer keys JSON turned into strings restored.

    Integer keys occur in the memo (rule ids) and in the parse table (state and
    token ids); every other key is a name.
    """
    def restore(mapping: dict[str, Any]) -> dict[Any, Any]:
        return {int(k): v for k, v in mapping.items()}

    loaded: dict[str, Any] = json.loads(text)
    if all(k.isdigit() for k in loaded):
        return restore(loaded)
    table = loaded["parser"]["parser"]
    table["states"] = {int(k): restore(v) for k, v in table["states"].items()}
    table["tokens"] = restore(table["tokens"])
    return loaded


def _json_literal(value: Any) -> str:
    """A parenthesised run of string literals holding ``value`` as JSON.

    A string constant compiles in no time, where the same data as a Python
    literal takes ~0.1 s to compile wherever no ``.pyc`` can be written.
    """
    text = json.dumps(_plain(value), separators=(",", ":"), sort_keys=True)
    chunks = [text[i : i + _CHUNK] for i in range(0, len(text), _CHUNK)]
    return "(\n" + "".join(f"    {chunk!r}\n" for chunk in chunks) + ")"


def _render_tables(data: dict[str, Any], memo: dict[int, Any]) -> str:
    return (
        '"""LALR tables of the LogQL grammar (lark serialized parser, as JSON); generated, do not edit.\n\n'
        "Regenerate with ``python -m paladin_obs.validate.logql.parser --write-tables``.\n"
        '"""\n\n'
        f"DIGEST = {grammar_digest()!r}\n\n"
        f"DATA = {_json_literal(data)}\n\n"
        f"MEMO = {_json_literal(memo)}\n"
    )


def _canonical(table: dict[str, Any]) -> dict[str, Any]:
    """The parse table with states and tokens renumbered in a fixed order.

    lark numbers LALR states in an order that varies between runs (its item sets
    hash by identity); numbering tokens by name and states breadth-first from
    the start state, actions in token-name order, makes regeneration byte-stable.
    """
    names: dict[int, str] = table["tokens"]
    token_id = {old: new for new, old in enumerate(sorted(names, key=lambda t: names[t]))}
    states: dict[int, dict[int, Any]] = table["states"]
    order: dict[int, int] = {}
    roots = [table[kind][name] for kind in ("start_states", "end_states") for name in sorted(table[kind])]
    queue = deque(roots)
    while queue or len(order) < len(states):
        state = queue.popleft() if queue else min(s for s in states if s not in order)
        if state in order:
            continue
        order[state] = len(order)
        for token in sorted(states[state], key=lambda t: names[t]):
            action, arg = states[state][token]
            if action == 0:  # shift: arg is the next state
                queue.append(arg)
    renumbered = {
        order[state]: {
            token_id[token]: (action, order[arg] if action == 0 else arg)
            for token, (action, arg) in actions.items()
        }
        for state, actions in states.items()
    }
    return {
        "tokens": {new: names[old] for old, new in token_id.items()},
        "states": dict(sorted(renumbered.items())),
        "start_states": {k: order[v] for k, v in table["start_states"].items()},
        "end_states": {k: order[v] for k, v in table["end_states"].items()},
    }


def generated_tables() -> str:
    """What ``--write-tables`` would write now (for the staleness test)."""
    data, memo = _from_grammar(Builder()).memo_serialize([TerminalDef, Rule])
    data["options"] = dict(data["options"], lexer=_LEXER_PLACEHOLDER, transformer=None)
    data["parser"]["lexer_conf"]["lexer_type"] = _LEXER_PLACEHOLDER
    data["parser"]["parser"] = _canonical(data["parser"]["parser"])
    return _render_tables(data, memo)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if sys.argv[1:] == ["--write-tables"]:
        _TABLES_PATH.write_text(generated_tables(), encoding="utf-8")
        print(f"wrote {_TABLES_PATH}")
    else:
        sys.exit("usage: python -m paladin_obs.validate.logql.parser --write-tables")
