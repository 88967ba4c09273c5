"""PromQL parse errors carry promtool's reason and its line:col inside the
expression, and are reported at that spot of the file.

Real promtool is the oracle: each broken expression becomes its own rule file,
both tools check them all, and the position inside the expression and the key
words of the reason must agree (the wording may differ: promql-parser says some
things its own way). ``None`` marks errors whose position we do not know (type
errors about a node promql-parser does not place): only the reason is compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import CliRun, PromtoolRun

from paladin_obs.diagnostics import Location
from paladin_obs.validate.promql_position import expr_position
from paladin_obs.validate.promql_syntax import explain, line_column

# (expression, position inside it as promtool prints it or None, key words in both reasons)
BROKEN: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("up ==", "1:6", ("unexpected end of input",)),
    ("1 +", "1:4", ("unexpected end of input",)),
    ("rate(x[5m]) > bool", "1:19", ("unexpected end of input",)),
    ("sum(rate(x[5m])", "1:16", ("unclosed left parenthesis",)),
    ("sum(x) by (a", "1:13", ("unclosed left parenthesis",)),
    ("up @ start(", "1:12", ("unclosed left parenthesis",)),
    ("up{job=\"a\"", "1:11", ("unexpected end of input inside braces",)),
    ("up{", "1:4", ("unexpected end of input inside braces",)),
    ("x[5m", "1:5", ("bracket",)),
    ("up offset", "1:10", ("end of input in offset", "duration")),
    ("x[5m] offset", "1:13", ("end of input in offset", "duration")),
    ("sum(x) by", "1:10", ("end of input in grouping opts",)),
    ("foo bar", "1:5", ("unexpected identifier", "bar")),
    ("up{a=}", "1:6", ("unexpected \"}\" in label matching", "expected string")),
    ("up{a!~}", "1:7", ("unexpected \"}\" in label matching", "expected string")),
    ("up > > 1", "1:6", ("unexpected <op:>>",)),
    ("absent(up) bool", "1:12", ("unexpected <bool>",)),
    (")", "1:2", ("unexpected right parenthesis",)),
    ("(up))", "1:6", ("unexpected right parenthesis",)),
    ("x[5m:1m:]", "1:8", ("unexpected", "colon")),
    ("x == bool", "1:10", ("unexpected end of input",)),
    ("rate(x)", "1:6", ("expected type range vector", "rate", "got instant vector")),
    ("avg_over_time(rate(x[5m]))", "1:15", ("expected type range vector", "avg_over_time")),
    ("quantile_over_time(x[5m], y)", "1:20", ("expected type scalar", "quantile_over_time")),
    ("histogram_quantile(0.9, x[5m])", "1:25", ("expected type instant vector", "got range vector")),
    ("sum(up[5m])", "1:5", ("expected type instant vector in aggregation expression",)),
    ("abs(x, y)", "1:1", ("expected 1 argument(s) in call to", "abs")),
    ("label_replace(up, \"a\", \"b\", \"c\")", "1:1", ("expected 5 argument(s)", "label_replace")),
    ("nosuchfn(x)", "1:1", ("unknown function with name", "nosuchfn")),
    ("up{a=\"\\z\"}", "1:6", ("unknown escape sequence",)),
    ("'abc", "1:1", ("unterminated quoted string",)),
    ("up[1m1h]", "1:4", ("not a valid duration string", "1m1h")),
    ("up\n  == ", "2:6", ("unexpected end of input",)),
    ("sum by (job) (\n  rate(x[5m])\n) > > 1", "3:5", ("unexpected <op:>>",)),
    ("up and 1", None, ("set operator", "and", "not allowed in binary scalar expression")),
    ("{}", None, ("vector selector must contain at least one non-empty matcher",)),
    ("\"a\" + 1", None, ("binary expression must contain only scalar and instant vector types",)),
    ("sum(x, y)", None, ("wrong number of arguments for aggregate expression",)),
]

_PROMTOOL = re.compile(r"^(?P<file>\S+): \d+:\d+: .*could not parse expression: (?:(?P<pos>\d+:\d+): )?parse error: (?P<reason>.*)$")
_OURS = re.compile(r"^(?P<file>[^:]+):\d+:\d+: record 'r': (?:(?P<pos>\d+:\d+): )?parse error: (?P<reason>.*?)(?: \(at .*\))?$")


def _rule_file(expr: str) -> str:
    body = "".join(f"      {line}\n" for line in expr.split("\n")) if "\n" in expr else ""
    value = "|-\n" + body if body else "'" + expr.replace("'", "''") + "'\n"
    return f"groups:\n- name: g\n  rules:\n  - record: r\n    expr: {value}"


def _by_file(pattern: re.Pattern[str], text: str) -> dict[str, tuple[str | None, str]]:
    out = {}
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            out[Path(m["file"]).name] = (m["pos"], m["reason"])
    return out


def test_parse_errors_match_promtool(tmp_path: Path, run_promtool: PromtoolRun, run_cli: CliRun) -> None:
    files = []
    for i, (expr, _, _) in enumerate(BROKEN):
        files.append(tmp_path / f"e{i:02d}.yaml")
        files[-1].write_text(_rule_file(expr))
    theirs = _by_file(_PROMTOOL, run_promtool("check", "rules", *files).stderr)
    ours_run = run_cli("validate", "--prometheus-version", "2.42", *files, cwd=tmp_path)
    assert ours_run.returncode == 1 and "Traceback" not in ours_run.stderr
    ours = _by_file(_OURS, ours_run.stdout)
    problems = []
    for path, (expr, position, words) in zip(files, BROKEN, strict=True):
        their_pos, their_reason = theirs[path.name]
        our_pos, our_reason = ours.get(path.name, (None, "<no parse error reported>"))
        for word in words:
            if word not in their_reason or word.replace('"', "'") not in our_reason.replace('"', "'"):
                problems.append(f"{expr!r}: {word!r} not in both {their_reason!r} / {our_reason!r}")
        if their_pos != (position or their_pos):
            problems.append(f"{expr!r}: table says {position}, promtool says {their_pos}")
        if position is not None and our_pos != their_pos:
            problems.append(f"{expr!r}: we say {our_pos}, promtool says {their_pos}")
        if position is None and our_pos is not None and our_pos != their_pos:
            problems.append(f"{expr!r}: we guess {our_pos}, promtool says {their_pos}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("expr", [e for e, _, _ in BROKEN])
def test_explain_never_points_outside_the_expression(expr: str) -> None:
    located = explain(expr, "invalid promql query")
    assert located.offset is None or 0 <= located.offset <= len(expr)


# (the expr value as written in the file, the expression YAML decodes, offset, expected line:col)
# The rule's expr key is on line 5; its value starts at column 11.
POSITIONS = [
    ("sum(rate(x[5m])", "sum(rate(x[5m])", 15, "5:26"),
    ("'foo bar'", "foo bar", 4, "5:16"),
    ("'it''s bar'", "it's bar", 5, "5:18"),
    ('"up{a=\\"b\\" c=\\"d\\"}"', 'up{a="b" c="d"}', 9, "5:23"),
    ('"up\\u00e9 bar"', "up\u00e9 bar", 4, "5:21"),
    ("up\n      == ==", "up == ==", 6, "6:10"),
    ("|\n      sum by (job) (\n        rate(x[5m])\n      ) > > 1\n", "sum by (job) (\n  rate(x[5m])\n) > > 1\n", 33, "8:11"),
    ("|\n      up ==\n", "up ==\n", 6, "6:12"),
    (">\n      sum(up)\n      by\n", "sum(up) by\n", 11, "7:9"),
    (">-\n      sum(up)\n      by bar\n", "sum(up) by bar", 11, "7:10"),
    # Not the decoded text (a spec's template, say): the value's start, never a wrong spot.
    ("'something else'", "up ==", 5, "5:11"),
    ("|2\n      up ==\n", "    up ==\n", 9, "5:11"),
]


@pytest.mark.parametrize(("written", "expr", "offset", "expected"), POSITIONS)
def test_position_in_the_file(tmp_path: Path, written: str, expr: str, offset: int, expected: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"groups:\n- name: g\n  rules:\n  - record: r\n    expr: {written}\n")
    found = expr_position(Location(str(path), 5, 11), expr, offset)
    assert f"{found.line}:{found.column}" == expected


def test_line_column_counts_bytes_like_go() -> None:
    assert line_column("up{a=\"é\"} ==", 12) == (1, 14)
    assert line_column("up\n==", 5) == (2, 3)
