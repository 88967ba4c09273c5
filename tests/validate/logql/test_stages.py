"""Pipeline stages (stages.py, pattern.py, extraction.py, netip.py): what Loki's pipeline builder refuses."""

from __future__ import annotations

import pytest

from paladin_obs.validate.logql import check_logql
from paladin_obs.validate.logql.extraction import json_path_error, logfmt_key_error
from paladin_obs.validate.logql.netip import ip_pattern_error
from paladin_obs.validate.logql.pattern import line_filter_pattern_error, parser_pattern_error
from paladin_obs.validate.logql.stages import regexp_parser_error, template_error

SEL = '{app="api"}'

# (query, fragment, offset): every query parses; Loki fails building its pipeline.
STAGE_ERRORS = [
    # line filters: regexes, patterns, ip()
    (f'{SEL} |~ "("', "invalid regex in |~ line filter", 15),
    (f'{SEL} !~ "a" or "[b"', "missing closing ]", 22),
    (f'{SEL} |~ `\\p{{Nope}}`', "invalid character class range", 15),
    (f'{SEL} |> "<a><_>"', "follow each other", 15),
    (f'{SEL} !> "<_>" or "<level>"', "named capture <level> is not allowed", 24),
    (f'{SEL} |= ip("300.1.1.1")', "invalid ip() pattern", 18),
    (f'{SEL} |~ ip("1.2.3.4")', "ip() only works with |= and !=", 18),
    (f'{SEL} |= "a" or ip("1.2.3.04")', "invalid ip() pattern", 25),
    # label filter: a lone ip() filter has its pattern checked
    (f'{SEL} | logfmt | addr = ip("nope")', "invalid ip() pattern", 33),
    (f'{SEL} | logfmt | (addr = ip("::1/129"))', "invalid ip() pattern", 34),
    # parsers
    (f'{SEL} | regexp "(a)(b)"', "named capture group", 21),
    (f'{SEL} | regexp "plain"', "named capture group", 21),
    (f'{SEL} | regexp "(?P<x>a)(?P<x>b)"', "duplicate capture group name 'x'", 21),
    (f'{SEL} | regexp "(?P<x>a"', "missing closing )", 21),
    (f'{SEL} | pattern "<a><b>"', "follow each other", 22),
    (f'{SEL} | pattern "no captures"', "at least one named capture", 22),
    (f'{SEL} | pattern "<_> only"', "at least one named capture", 22),
    (f'{SEL} | pattern "<x> and <x>"', "duplicate capture <x>", 22),
    (f'{SEL} | pattern ""', "empty", 22),
    (f'{SEL} | json a="b..c"', "invalid json expression 'b..c'", 21),
    (f'{SEL} | json a="[0.5]"', "integer", 21),
    (f'{SEL} | json a=""', "empty", 21),
    (f'{SEL} | logfmt a="b.c"', "invalid logfmt expression", 23),
    (f'{SEL} | logfmt --strict a="b c"', "single key", 32),
    # templates
    (f'{SEL} | line_format "{{{{.a"', "invalid line_format template: unclosed action", 26),
    (f'{SEL} | line_format "{{{{ nope .a }}}}"', 'function "nope" not defined', 26),
    (f'{SEL} | label_format a="{{{{end}}}}"', "invalid label_format template for a", 29),
    (f"{SEL} | label_format a=b, a=c", "label_format sets a twice", 32),
    (f"{SEL} | label_format __error__=x", "cannot set __error__", 27),
]


@pytest.mark.parametrize(("query", "fragment", "offset"), STAGE_ERRORS)
def test_stage_error(query: str, fragment: str, offset: int) -> None:
    errors = check_logql(query)
    matching = [e for e in errors if fragment in e.message]
    assert matching, f"no message contains {fragment!r}: {errors}"
    assert matching[0].offset == offset, matching[0]


STAGE_OK = [
    f'{SEL} | logfmt | addr = ip("nope") or x="y"',  # Loki checks only a lone ip() filter
    f'sum_over_time({SEL} | logfmt | unwrap x | a = ip("nope") [5m])',  # nor one after unwrap
    f'{SEL} |= "("',  # |= is a substring, not a regex
    f'{SEL} |> "<_> at <_>" !> "<_>debug<_>"',
    f'{SEL} | regexp "(?P<a>x)(y)(?:z)[(]\\\\(\\\\Q(\\\\E"',
    f'{SEL} | pattern "<ip> <<weird> <_>"',  # "<<weird>" is a literal '<' then a capture
    f'{SEL} | line_format "{{{{ .a | regexReplaceAll \\"x\\" \\"y\\" | alignLeft 5 | b64dec }}}}"',
    f'{SEL} | line_format "{{{{ __timestamp__ | date \\"2006\\" }}}}{{{{ if .a }}}}x{{{{ else }}}}y{{{{ end }}}}"',
    f'{SEL} | label_format a="{{{{ .b | default \\"-\\" }}}}", b=a',
]


@pytest.mark.parametrize("query", STAGE_OK)
def test_stage_accepted(query: str) -> None:
    assert check_logql(query) == []


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("<a> <b>", None),
        ("<_>", "at least one named capture"),
        ("<a><_>", "follow each other"),
        ("<a> <a>", "duplicate"),
        ("<1a> text", "at least one named capture"),  # not a capture: a literal
        ("<a_1> <B>", None),
        ("<é>", "at least one named capture"),  # captures are ASCII names
        ("", "empty"),
    ],
)
def test_parser_pattern(pattern: str, fragment: str | None) -> None:
    problem = parser_pattern_error(pattern)
    assert (problem is None) if fragment is None else (fragment in (problem or "")), problem


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [("", True), ("<_> x <_>", True), ("<_><_>", False), ("<x>", False), ("plain", True)],
)
def test_line_filter_pattern(pattern: str, ok: bool) -> None:
    assert (line_filter_pattern_error(pattern) is None) is ok


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ("a", True), ("a.b.c", True), ("a[0]", True), ('a["k y"]', True), ('["a"]["b"]', True),
        ("[0]", True), ("a[0].b", True), ("a [ 1 ] . b", True), ("utf8", True),
        ("", False), (".a", False), ("a.", False), ("a..b", False), ("a[b]", False), ("a[0", False),
        ("a[1.5]", False), ('"a"', False), ("0", False), ("a-b", False), ("a b", False),
        ('["a"', False), ("a[99999999999999999999]", False), ("é", False),
    ],
)  # fmt: skip
def test_json_path(path: str, ok: bool) -> None:
    assert (json_path_error(path) is None) is ok, json_path_error(path)


@pytest.mark.parametrize(
    ("key", "ok"),
    [("a", True), ("a_1", True), ('"quoted"', True), ('a "b"', True), ("", False), ("a.b", False),
     ("a b", False), ("1a", False), ("fieldÜ", False)],
)  # fmt: skip
def test_logfmt_key(key: str, ok: bool) -> None:
    assert (logfmt_key_error(key) is None) is ok


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        ("192.168.0.1", True), ("::1", True), ("fe80::1%eth0", True), ("::ffff:10.0.0.1", True),
        ("10.0.0.0/8", True), ("10.0.0.0/32", True), ("2001:db8::/32", True),
        ("10.0.0.1-10.0.0.9", True), ("::1-::9", True),
        ("", False), ("1.2.3", False), ("1.2.3.04", False), ("256.1.1.1", False), ("10.0.0.0/33", False),
        ("10.0.0.0/08", False), ("fe80::1%eth0/64", True), ("fe80::1%", False), ("10.0.0.9-10.0.0.1", False),
        ("10.0.0.1-::1", False), ("1:2:3:4:5:6:7:8:9", False), ("12345::", False), ("localhost", False),
    ],
)  # fmt: skip
def test_ip_pattern(pattern: str, ok: bool) -> None:
    # "fe80::1%eth0/64" is an address whose zone is "eth0/64": Go's ParseAddr takes
    # everything after % as the zone, so it never gets to ParsePrefix.
    assert (ip_pattern_error(pattern) is None) is ok


@pytest.mark.parametrize(
    ("regex", "fragment"),
    [
        ("(?P<a>.)", None), ("(?<a>.)", None), ("[(](?P<a>x)", None), ("\\((?P<a>x)", None),
        ("(?i)(?:x)", "named capture group"), ("[(?P<a>x)]", "named capture group"),
        ("\\Q(?P<a>x)\\E", "named capture group"), ("(?P<a>x)|(?P<a>y)", "duplicate"),
        ("(?P<a-b>x)", "invalid regex"),
    ],
)  # fmt: skip
def test_regexp_parser(regex: str, fragment: str | None) -> None:
    problem = regexp_parser_error(regex)
    assert (problem is None) if fragment is None else (fragment in (problem or "")), problem


def test_template_uses_lokis_function_names() -> None:
    assert template_error("{{ .a | ToLower | trunc 3 | urlencode }}", "line") is None
    assert template_error("{{ humanize .a }}", "line") is not None  # a Prometheus function, not Loki's
