"""The RE2 checker gives Go's verdict and message; promtool is the oracle where installed."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from paladin_obs.validate.re2 import check_regex, matches_empty

# (pattern, Go's message without "error parsing regexp: ", or None when valid).
CASES: list[tuple[str, str | None]] = [
    ("a", None),
    ("web-\\d{1,3}\\.example\\.com", None),
    # repetition
    ("a++", "invalid nested repetition operator: `++`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a*?", None),
    ("a*??", "invalid nested repetition operator: `*??`"),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("a{2}*", "invalid nested repetition operator: `{2}*`"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("a{1000}", None),
    ("a{1000,}", None),
    ("a{2,1}", "invalid repeat count: `{2,1}`"),
    ("a{,5}", None),  # not a repeat: literal braces
    ("a{01}", None),  # leading zero: literal braces
    ("a{1", None),
    ("{5}", "missing argument to repetition operator: `{5}`"),
    ("(a{100}){100}", "invalid repeat count: `{100}`"),
    ("(a{10}){100}", None),
    ("((a{10}){10}){11}", "invalid repeat count: `{11}`"),
    ("*", "missing argument to repetition operator: `*`"),
    ("a|*", "missing argument to repetition operator: `*`"),
    ("(*)", "missing argument to repetition operator: `*`"),
    ("(?i)*", "missing argument to repetition operator: `*`"),
    ("^*", None),
    ("\\b*", None),
    ("()*", None),
    # groups
    ("(a", "missing closing ): `(a`"),
    ("a)", "unexpected ): `a)`"),
    (")(", "unexpected ): `)(`"),
    ("(?:a", "missing closing ): `(?:a`"),
    ("(a|)", None),
    ("|", None),
    # flags and Perl syntax
    ("(?i)a", None),
    ("(?i-s:a)", None),
    ("(?U)a*", None),
    ("(?P<name>a)", None),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("(?P<n-1>a)", "invalid named capture: `(?P<n-1>`"),
    ("(?P<n", "invalid named capture: `(?P<n`"),
    ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?<n>a)", "invalid or unsupported Perl syntax: `(?<`"),  # Go < 1.22
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?#c)", "invalid or unsupported Perl syntax: `(?#`"),
    ("(?x)a", "invalid or unsupported Perl syntax: `(?x`"),
    ("(?-)a", "invalid or unsupported Perl syntax: `(?-)`"),
    ("(?i-)a", "invalid or unsupported Perl syntax: `(?i-)`"),
    ("(?--i)a", "invalid or unsupported Perl syntax: `(?--`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("(?P<a>x)(?P<a>y)", None),  # Go does not reject duplicate names
    # escapes
    ("\\Z", "invalid escape sequence: `\\Z`"),
    ("\\A\\z\\b\\B", None),
    ("\\C", "invalid escape sequence: `\\C`"),
    ("\\d\\D\\s\\S\\w\\W", None),
    ("\\pL\\PL\\p{Greek}\\p{^Greek}\\P{^L}\\pN", None),
    ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
    ("\\p{Letter}", "invalid character class range: `\\p{Letter}`"),
    ("\\pX", "invalid character class range: `\\pX`"),
    ("\\p{L", "invalid character class range: `\\p{L`"),
    ("\\x41\\x{10FFFF}\\x{0}", None),
    ("\\x4", "invalid escape sequence: `\\x4`"),
    ("\\xZZ", "invalid escape sequence: `\\xZZ`"),
    ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
    ("\\x{}", "invalid escape sequence: `\\x{}`"),
    ("\\x{4G}", "invalid escape sequence: `\\x{4G`"),
    ("\\101\\0\\08\\12", None),
    ("\\1", "invalid escape sequence: `\\1`"),
    ("\\8", "invalid escape sequence: `\\8`"),
    ("\\Qa.b*\\E+", None),
    ("\\Qa.b", None),
    ("\\E", "invalid escape sequence: `\\E`"),
    ("\\a\\f\\t\\n\\r\\v", None),
    ("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-\\ \\#\\&\\~\\!\\@\\%\\=\\:\\<\\>", None),
    ("\\é", "invalid escape sequence: `\\é`"),
    ("\\k<n>", "invalid escape sequence: `\\k`"),
    ("a\\", "trailing backslash at end of expression: ``"),
    # classes
    ("[a-z0-9_]", None),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[a-][-a][]a][^]a]", None),
    ("[]", "missing closing ]: `[]`"),
    ("[a", "missing closing ]: `[a`"),
    ("x[^a", "missing closing ]: `[^a`"),
    ("[[:alpha:]][[:^alpha:]][[:word:][:xdigit:]]", None),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("[[:alpha]", None),
    ("[a-\\d]", "invalid escape sequence: `\\d`"),
    ("[\\d-z]", None),
    ("[\\p{Foo}]", "invalid character class range: `\\p{Foo}`"),
    ("[\\Q]\\E]", "invalid escape sequence: `\\Q`"),
    ("[\\b]", "invalid escape sequence: `\\b`"),
    ("[\\x00-\\x{10FFFF}]", None),
    ("a]}", None),  # unmatched ] and } are literals
    # UTF-8
    ("日本語+", None),
    ("\ud800", "invalid UTF-8: `\ud800`"),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_regex_matches_go(pattern: str, expected: str | None) -> None:
    assert check_regex(pattern, go_version=(1, 19)) == expected


@pytest.mark.parametrize(
    ("pattern", "go", "valid"),
    [
        ("(?<n>a)", (1, 19), False),
        ("(?<n>a)", (1, 22), True),
        ("(?<n", (1, 22), False),
        ("\\p{Kawi}", (1, 19), False),
        ("\\p{Kawi}", (1, 21), True),
        ("\\p{Letter}", (1, 22), False),
        ("\\p{letter}", (1, 25), True),
        ("\\p{ascii}", (1, 25), True),
        ("\\p{NoSuchThing}", (1, 25), False),
    ],
)
def test_go_version_dialects(pattern: str, go: tuple[int, int], valid: bool) -> None:
    assert (check_regex(pattern, go_version=go) is None) is valid


def test_nesting_depth_limit() -> None:
    assert check_regex("(" * 999 + "a" + ")" * 999) is None
    assert check_regex("(" * 1500 + "a" + ")" * 1500) == (
        "expression nests too deeply: `" + "(" * 1500 + "a" + ")" * 1500 + "`"
    )


@pytest.mark.parametrize(
    ("pattern", "empty"),
    [
        ("", True),
        ("a", False),
        ("a*", True),
        ("(a|)", True),
        ("a{0,3}", True),
        ("a{1,3}", False),
        ("^$", True),
        ("\\b", False),
        ("\\B", True),
        ("[a-z]?", True),
        ("(a)(b?)", False),
        ("\\Q\\E", True),
        (".+", False),
        ("(", None),
    ],
)
def test_matches_empty(pattern: str, empty: bool | None) -> None:
    assert matches_empty(pattern) is empty


def test_never_raises_on_random_input() -> None:
    rng = random.Random(42)
    alphabet = "ab()[]{}|*+?\\^$.-:,0123456789PpQExdwz<>=!i#é"
    for _ in range(3000):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        result = check_regex(pattern)
        assert result is None or isinstance(result, str)


def _promtool_regex_verdicts(run_promtool: Any, tmp_path: Path, patterns: list[str]) -> list[str]:
    """promtool's regex error per pattern ("" if valid), one rule file per pattern."""
    files = []
    for i, pattern in enumerate(patterns):
        expr = "up{a=~" + json.dumps(pattern, ensure_ascii=False) + "}"
        rule = {"record": "test:expr", "expr": expr}
        path = tmp_path / f"re_{i:03d}.yaml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [rule]}]}))
        files.append(path)
    result = run_promtool("check", "rules", "--lint=none", *files)
    output = result.stdout + result.stderr
    verdicts = []
    for path in files:
        match = re.search(re.escape(str(path)) + r": .*?error parsing regexp: (.*)", output)
        verdicts.append(match.group(1) if match else "")
    return verdicts


def test_cases_agree_with_promtool(run_promtool: Any, tmp_path: Path) -> None:
    """Prometheus compiles ``^(?:re)$`` first, then parses ``re`` alone; so do we here."""
    patterns = [p for p, _ in CASES if "\ud800" not in p]
    go = _promtool_regex_verdicts(run_promtool, tmp_path, patterns)
    for pattern, go_error in zip(patterns, go, strict=True):
        ours = check_regex(f"^(?:{pattern})$", go_version=(1, 19)) or check_regex(
            pattern, go_version=(1, 19)
        )
        assert (ours or "") == go_error, pattern
