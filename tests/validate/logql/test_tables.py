"""The committed LALR tables (_tables.py) are the ones the grammar produces.

They are generated (``python -m paladin_obs.validate.logql.parser
--write-tables``) so that the first check of a process does not spend ~0.2 s
building them; this test fails as soon as the grammar changes without them.
"""

from __future__ import annotations

from pathlib import Path

from paladin_obs.validate.logql import _tables, check_logql
from paladin_obs.validate.logql.parser import generated_tables, grammar_digest, table_source

TABLES = Path(_tables.__file__)


def test_committed_tables_match_the_grammar() -> None:
    assert TABLES.read_text(encoding="utf-8") == generated_tables(), (
        "stale LALR tables: run python -m paladin_obs.validate.logql.parser --write-tables"
    )


def test_parser_uses_the_committed_tables() -> None:
    assert grammar_digest() == _tables.DIGEST
    check_logql('{app="api"}')
    assert table_source() == "committed"
