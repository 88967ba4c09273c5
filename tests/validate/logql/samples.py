"""Valid LogQL, one or more queries per production of Loki's grammar (shared by the tests).

Verdicts are Loki's (pkg/logql/syntax/syntax.y, lex.go and the validation of
parser.go/ast.go); each query is our own.
"""

from __future__ import annotations

SEL = '{app="api"}'

VALID_LOG = [
    # stream selectors
    '{app="api"}',
    '{app="api", env!="dev", pod=~"api-.+", tier!~"db|cache"}',
    "{ app = `api` }",
    '{app="a\\"b\\\\c\\x41\\u00e9\\101"}',
    '{café="données"}',
    '{app="api", shard=""}',
    '{app!~".*"}',  # !~ of an everything-regex matches no empty value
    # line filters
    f'{SEL} |= "error"',
    f'{SEL} != "debug"',
    f'{SEL} |~ "(?i)timeout|deadline"',
    f'{SEL} !~ `\\d{{3}}`',
    f'{SEL} |= "a" or "b" or "c"',
    f'{SEL} != "a" or "b"',
    f'{SEL} |= "a" |~ "b" != "c" !~ "d"',
    f'{SEL} |> "<_> error <_>"',
    f'{SEL} !> "<_>GET<_>" or "<_>POST<_>"',
    f'{SEL} |> ""',
    f'{SEL} |= ip("192.168.0.1")',
    f'{SEL} != ip("10.0.0.0/8")',
    f'{SEL} |= ip("::1") or ip("192.168.0.1-192.168.0.23") or "local"',
    f'{SEL}|="x"!="y"',
    # parsers
    f"{SEL} | json",
    f'{SEL} | json status="response.status", first="params[0]", key="[\\"a b\\"]", top',
    f"{SEL} | logfmt",
    f"{SEL} | logfmt --strict --keep-empty",
    f'{SEL} | logfmt --strict host, fwd="forwarded"',
    f'{SEL} | pattern "<ip> - <_> [<ts>] \\"<method> <path>\\""',
    f'{SEL} | regexp "(?P<status>\\\\d{{3}}) (?<size>\\\\d+)"',
    f"{SEL} | unpack",
    f"{SEL} | JSON | LogFmt",  # keywords are case-insensitive
    # label filters
    f'{SEL} | json | level="error"',
    f'{SEL} | json | level!="info", path=~"/api/.*", user!~"bot.*"',
    f"{SEL} | logfmt | status >= 500 and status < 600",
    f"{SEL} | logfmt | status == 200 or status != 204",
    f"{SEL} | logfmt | latency > 250ms or latency <= 1h30m",
    f"{SEL} | logfmt | latency > 1.5s",
    f"{SEL} | logfmt | size > 20MB, size < 1.5GiB",
    f'{SEL} | logfmt | (a="1" or b="2") and c="3"',
    f'{SEL} | logfmt | a="1" b="2"',  # juxtaposition means and
    f"{SEL} | logfmt | x > -1 | y >= +2 | z = 0.5",
    f'{SEL} | logfmt | addr = ip("10.0.0.0/8")',
    f'{SEL} | logfmt | addr != ip("192.168.0.1-192.168.0.9")',
    f'{SEL} | logfmt | __error__=""',
    f'{SEL} | logfmt | @ > 5',  # a stray character lexes as an identifier
    # formatting and label stages
    f'{SEL} | line_format "{{{{.level}}}} {{{{ .msg | ToUpper }}}}"',
    f'{SEL} | line_format `{{{{ __line__ | trunc 10 }}}}`',
    f'{SEL} | label_format dst=src, msg="{{{{.a}}}}-{{{{.b}}}}"',
    f"{SEL} | keep level, status",
    f'{SEL} | keep level, env="prod"',
    f'{SEL} | drop __error__, __error_details__, level=~"debug|trace"',
    f"{SEL} | decolorize",
    # comments and layout
    f"{SEL} # trailing comment",
    f"{SEL}\n  # a commented-out stage\n  | json",
    f"{SEL} /* block */ | json // line",
    f"({SEL})",
    f'(({SEL} |= "x"))',
]

VALID_METRIC = [
    # every range aggregation
    f"rate({SEL}[5m])",
    f"count_over_time({SEL}[5m])",
    f"bytes_rate({SEL}[5m])",
    f"bytes_over_time({SEL}[5m])",
    f"absent_over_time({SEL}[5m])",
    f"rate_counter({SEL} | logfmt | unwrap total [5m])",
    f"rate({SEL} | logfmt | unwrap bytes(size) [5m])",
    f"sum_over_time({SEL} | logfmt | unwrap size [5m])",
    f"avg_over_time({SEL} | logfmt | unwrap duration(took) [5m])",
    f"min_over_time({SEL} | logfmt | unwrap duration_seconds(took) [5m])",
    f"max_over_time({SEL} | logfmt | unwrap took [5m])",
    f"stddev_over_time({SEL} | logfmt | unwrap took [5m])",
    f"stdvar_over_time({SEL} | logfmt | unwrap took [5m])",
    f"first_over_time({SEL} | logfmt | unwrap took [5m])",
    f"last_over_time({SEL} | logfmt | unwrap took [5m])",
    f"absent_over_time({SEL} | logfmt | unwrap took [5m])",
    f"quantile_over_time(0.99, {SEL} | logfmt | unwrap took [5m])",
    f"quantile_over_time(1.5, {SEL} | logfmt | unwrap took [5m])",  # Loki does not range-check it
    # grouping after a range aggregation, where allowed
    f"avg_over_time({SEL} | logfmt | unwrap took [5m]) by (host)",
    f"max_over_time({SEL} | logfmt | unwrap took [5m]) without (pod)",
    f"quantile_over_time(0.5, {SEL} | logfmt | unwrap took [5m]) by ()",
    # post-unwrap filters, conversion errors dropped
    f'sum_over_time({SEL} | logfmt | unwrap took | __error__="" [5m])',
    f"sum_over_time({SEL} | logfmt | unwrap took | took > 1 | took < 100 [5m])",
    # every placement of range, offset, pipeline and unwrap
    f"count_over_time({SEL}[5m] offset 1h)",
    f"count_over_time({SEL}[5m] offset -30m)",
    f'count_over_time({SEL}[1h30m] |= "x" | json)',
    f'count_over_time({SEL}[5m] offset 1d |= "x")',
    f"sum_over_time({SEL}[5m] | logfmt | unwrap x)",
    f"sum_over_time({SEL}[5m] offset 5m | logfmt | unwrap x)",
    f"sum_over_time({SEL}[5m] | unwrap x)",
    f"sum_over_time({SEL} | unwrap x [5m] offset 1w)",
    f"sum_over_time(({SEL} | unwrap x)[5m])",
    f"sum_over_time(({SEL} | logfmt | unwrap x)[5m] offset 2h)",
    f"sum_over_time(({SEL})[5m] | unwrap x)",
    f"count_over_time(({SEL})[5m])",
    f"count_over_time(({SEL} |= \"x\")[5m] offset 1y)",
    f"count_over_time((({SEL}[5m])))",
    f"count_over_time({SEL}[0])",
    # every vector aggregation, grouping before or after
    f"sum(rate({SEL}[5m]))",
    f"avg by (host) (rate({SEL}[5m]))",
    f"min(rate({SEL}[5m])) without (pod, container)",
    f"max(rate({SEL}[5m])) by ()",
    f"stddev(rate({SEL}[5m]))",
    f"stdvar(rate({SEL}[5m]))",
    f"count(rate({SEL}[5m]))",
    f"topk(5, rate({SEL}[5m]))",
    f"bottomk by (host) (3, rate({SEL}[5m]))",
    f"topk(10, sum by (path) (rate({SEL}[5m]))) by (path)",
    f"sort(rate({SEL}[5m]))",
    f"sort_desc by () (rate({SEL}[5m]))",
    f"approx_topk(5, rate({SEL}[5m]))",
    "SUM BY (a) (Count_Over_Time({app=\"api\"}[5m]))",  # function names are case-insensitive
    "sum by(a)(rate({app=\"api\"}[5m]))",
    "sum(1)",
    "sum(vector(1))",
    # binary operators, modifiers, literals
    f"sum(rate({SEL}[5m])) / sum(rate({SEL}[5m]))",
    f"rate({SEL}[5m]) * 100 + 1 - 2 % 3 ^ 2 ^ 0.5",
    f"rate({SEL}[5m]) > 0.5",
    f"rate({SEL}[5m]) >= bool 1",
    f"rate({SEL}[5m]) == bool rate({SEL}[1m])",
    f"rate({SEL}[5m]) + bool 1",  # Loki accepts (and ignores) bool on arithmetic
    f"rate({SEL}[5m]) and rate({SEL}[1m])",
    f"rate({SEL}[5m]) or rate({SEL}[1m]) unless rate({SEL}[2m])",
    f"rate({SEL}[5m]) / on (host) rate({SEL}[1m])",
    f"rate({SEL}[5m]) / ignoring () rate({SEL}[1m])",
    f"rate({SEL}[5m]) / on (host) group_left rate({SEL}[1m])",
    f"rate({SEL}[5m]) / on (host) group_left (pod, ns) rate({SEL}[1m])",
    f"rate({SEL}[5m]) / ignoring (pod) group_right () rate({SEL}[1m])",
    f"rate({SEL}[5m]) > bool on (host) group_left rate({SEL}[1m])",
    "1 + 1",
    "(1 + 2) * 3 > bool 2",
    "-1",
    "+1.5",
    "1 - -1",
    "1e3",
    ".5",
    "1_000",
    "0x1p-2",
    "vector(1)",
    "vector(0.5) * 2",
    f"(count_over_time({SEL}[5m]) / 2) or vector(0)",
    "1 > 1 > bool 1",
    # label_replace
    f'label_replace(rate({SEL}[5m]), "dst", "$1", "src", "(.*):.*")',
    f'label_replace(sum by (a) (rate({SEL}[5m])), "dst", "", "src", "a)(b")',  # anchoring balances it
]
