"""Issue 9, part 6: messages that fix the mistake (each with its exact location)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paladin_obs.commands import templates as templates_cmd
from paladin_obs.diagnostics import InputError
from paladin_obs.loader import load_text
from paladin_obs.resolve import resolve
from paladin_obs.spec_schema import validate_spec

HEAD = """\
version: 1
defaults: {runbook_url: "https://rb.test/{alert}"}
services:
  api:
    selector: {job: api}
    metrics:
      http_requests_total: {type: counter, labels: [code, route]}
      lat: {type: histogram}
      mem: {type: gauge}
    signals:
      requests: http_requests_total
      errors: {metric: http_requests_total, match: {code: "=~5.."}}
      latency: lat
"""
A = HEAD + "    alerts:\n"
ERR = "      X: {template: error_ratio, threshold: 0.1, severity: info}\n"


def errors(text: str, env: str | None = None) -> list[str]:
    with pytest.raises(InputError) as info:
        resolve(load_text(text, "s.yaml"), env)
    return [d.render() for d in info.value.diagnostics]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # metric in a signal
        (
            HEAD.replace("requests: http_requests_total", "requests: http_request_total"),
            "s.yaml:11:17: metric 'http_request_total' is not in the service's metrics catalog; "
            "add it under metrics; did you mean 'http_requests_total'?",
        ),
        # label in a signal's match
        (
            HEAD.replace('{code: "=~5.."}', '{cod: "=~5.."}'),
            "s.yaml:12:53: 'cod' is not a label of http_requests_total (declared labels: code, route); "
            "did you mean 'code'?",
        ),
        # template
        (
            A + "      X: {template: eror_ratio, threshold: 0.1, severity: info}\n",
            "s.yaml:15:21: unknown template 'eror_ratio'; available alerts templates:",
        ),
        # template parameter
        (
            A + "      X: {template: error_ratio, treshold: 0.1, severity: info}\n",
            "s.yaml:15:34: unknown parameter 'treshold' for template error_ratio; "
            "allowed: by, min_rate, threshold, window; did you mean 'threshold'?",
        ),
        # alert in an environment's overrides
        (
            A
            + ERR.replace("X:", "CheckoutErrors:")
            + "environments:\n  p:\n    alerts:\n      CheckoutErorrs: {for: 1m}\n",
            "s.yaml:19:7: override for unknown alert 'CheckoutErorrs'; did you mean 'CheckoutErrors'?",
        ),
        # SLO and service in an environment's SLO overrides
        (
            HEAD + "    slos:\n      availability:\n        objective: 99\n"
            "        sli: {events: {errors: errors, total: requests}}\n"
            "environments:\n  p:\n    slos:\n      api:\n        availabilty: {objective: 98}\n",
            "s.yaml:22:9: override for unknown SLO 'availabilty' of service api; did you mean 'availability'?",
        ),
        (
            HEAD + "environments:\n  p:\n    slos:\n      apii: {}\n",
            "s.yaml:17:7: SLO override for unknown service 'apii'; did you mean 'api'?",
        ),
        # metric of a saturation panel
        (
            HEAD + "    dashboards:\n      saturation: [me]\n",
            "s.yaml:15:20: metric 'me' is not in the service's metrics catalog (known: http_requests_total, lat, mem); "
            "did you mean 'mem'?",
        ),
        # metric of an SLI
        (
            HEAD + "    slos:\n      a:\n        objective: 99\n"
            "        sli: {latency: {signal: {metric: latt}, threshold: 1}}\n",
            "s.yaml:17:42: metric 'latt' is not in the service's metrics catalog; add it under metrics; "
            "did you mean 'lat'?",
        ),
    ],
)
def test_unknown_names_suggest_the_closest(text: str, expected: str) -> None:
    found = errors(text)
    assert any(m.startswith(expected) for m in found), found


def test_unknown_environment_suggests_the_closest() -> None:
    text = HEAD + "environments:\n  production: {}\n  staging: {}\n"
    with pytest.raises(
        InputError,
        match=r"^s\.yaml: unknown environment 'productio'; defined: "
        r"production, staging; did you mean 'production'\?$",
    ):
        resolve(load_text(text, "s.yaml"), "productio")
    # Nothing close enough: no guess.
    with pytest.raises(InputError) as info:
        resolve(load_text(text, "s.yaml"), "qa")
    assert "did you mean" not in str(info.value)


LOGS = """\
version: 1
defaults: {runbook_url: "https://rb.test/{alert}", dashboards: {enabled: false}}
services:
  api:
    selector: {job: api}
    logs:
      source: {files: [/var/log/api/*.log]}
      format: json
      fields:
        severity: {role: level}
        request.path: {role: structured_metadata, name: path}
        msg: {role: line}
      drop:
        - {field: request.pth, value: /health}
"""


def test_unknown_log_field_suggests_the_closest() -> None:
    found = errors(LOGS)
    assert any(
        m.startswith("s.yaml:14:")
        and "'request.pth' is not a declared field" in m
        and m.endswith("did you mean 'request.path'? (at services.api.logs.drop[0].field)")
        for m in found
    ), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A number in a string-or-mapping field's matchers: quote it.
        (
            HEAD.replace('{code: "=~5.."}', "{code: 503}"),
            's.yaml:12:59: 503 is a number; quote it: "503"',
        ),
        (
            HEAD.replace("selector: {job: api}", "selector: {job: 1.5}"),
            's.yaml:5:21: 1.5 is a number; quote it: "1.5"',
        ),
        (
            HEAD.replace("selector: {job: api}", "selector: {job: true}"),
            's.yaml:5:21: true is a boolean; quote it: "true"',
        ),
        # YAML 1.1 booleans keep their own hint.
        (
            HEAD.replace("selector: {job: api}", "selector: {job: yes}"),
            "s.yaml:5:21: expected string, got boolean: YAML 1.1 reads unquoted 'yes' as a boolean",
        ),
        # A number where a metric name or mapping goes: quoting would not make it a name.
        (
            HEAD.replace("requests: http_requests_total", "requests: 503"),
            "s.yaml:11:17: expected string or object, got integer: 503 must be a Prometheus metric name",
        ),
    ],
)
def test_numbers_where_text_goes_say_to_quote(text: str, expected: str) -> None:
    found = [d.render() for d in validate_spec(load_text(text, "s.yaml"))]
    assert any(m.startswith(expected) for m in found), found
    assert len(found) == 1, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The signal's own error, and not the alert's "needs the 'requests' signal".
        (
            A.replace("requests: http_requests_total", "requests: http_request_total") + ERR,
            ["s.yaml:11:17: metric 'http_request_total' is not in the service's metrics catalog"],
        ),
        # A signal of the wrong type: one error, not one per template using it.
        (
            A.replace("latency: lat", "latency: mem")
            + "      X: {template: latency_quantile, threshold: 1s, severity: info}\n",
            ["s.yaml:13:16: the latency signal needs a histogram, but mem is a gauge"],
        ),
        # A record naming the broken signal by parameter (no rendering error from the template).
        (
            HEAD.replace("requests: http_requests_total", "requests: http_request_total")
            + '    records:\n      "api:requests:rate5m": {template: signal_rate, signal: requests}\n',
            ["s.yaml:11:17: metric 'http_request_total' is not in the service's metrics catalog"],
        ),
        # An SLI on the broken signal.
        (
            HEAD.replace("requests: http_requests_total", "requests: http_request_total")
            + "    slos:\n      a:\n        objective: 99\n"
            "        sli: {events: {errors: errors, total: requests}}\n",
            ["s.yaml:11:17: metric 'http_request_total' is not in the service's metrics catalog"],
        ),
        # A misspelt parameter is not also reported as missing.
        (
            A + "      X: {template: error_ratio, treshold: 0.1, severity: info}\n",
            ["s.yaml:15:34: unknown parameter 'treshold'"],
        ),
        # A signal that is simply not declared is still reported, at the parameter.
        (
            HEAD.replace("      latency: lat\n", "")
            + '    records:\n      "api:lat:rate5m": {template: signal_rate, signal: latency}\n',
            [
                "s.yaml:14:57: parameter 'signal' of template signal_rate names the 'latency' signal, "
                "which this scope does not define"
            ],
        ),
    ],
)
def test_follow_on_errors_are_not_reported(text: str, expected: list[str]) -> None:
    found = errors(text)
    assert len(found) == len(expected), found
    for message, start in zip(found, expected, strict=True):
        assert message.startswith(start), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n  b: 1\n    c: 2\n",
            "f.yaml:3:6: YAML syntax error: unexpected ':': bad indentation (this line is indented more "
            "than the key above it expects), or a value that contains ': ' and needs quotes "
            "(mapping values are not allowed",
        ),
        (
            "a:\n  b:\n    c: 1\n   d: 2\n",
            "f.yaml:4:4: YAML syntax error: bad indentation: this line is indented more than the keys of "
            "the mapping at line 2, column 3 but is not nested under one of them",
        ),
        (
            "a:\n\tb: 1\n",
            "f.yaml:2:1: YAML syntax error: a tab character: YAML indents with spaces only; "
            "replace the tab with spaces (while scanning for the next token",
        ),
        (
            "a: 1\nb\nc: 2\n",
            "f.yaml:3:1: YAML syntax error: the line at line 2, column 1 is neither a key (add ':' after it) "
            "nor part of a value",
        ),
        (
            'a: "abc\nb: 1\n',
            "f.yaml:3:1: YAML syntax error: unclosed quote: the quoted value at line 1, column 4 has no "
            "closing quote (while scanning a quoted scalar",
        ),
        (
            "a: [1, 2\nb: 1\n",
            "f.yaml:2:2: YAML syntax error: unclosed '[': the list opened at line 1, column 4 needs a "
            "closing ']'",
        ),
        (
            "a: {x: 1\nb: 1\n",
            "f.yaml:2:2: YAML syntax error: unclosed '{': the mapping opened at line 1, column 4 needs a "
            "closing '}'",
        ),
        (
            "a:\n  b: 1\n  - c\n",
            "f.yaml:3:3: YAML syntax error: a list item among the keys of the mapping at line 2, column 3",
        ),
        (
            'a: "x" y\n',
            "f.yaml:1:8: YAML syntax error: text after a value where a new key was expected",
        ),
        (
            "a: @x\n",
            "f.yaml:1:4: YAML syntax error: a plain value cannot start with '@': quote the value",
        ),
        (
            "- a\n- b\nc: 1\n",
            "f.yaml:3:1: YAML syntax error: a key among the items of the list at line 1, column 1",
        ),
        # Messages without a rephrasing keep libyaml's text.
        ("a: *nope\n", "f.yaml:1:4: YAML syntax error: found undefined alias"),
    ],
)
def test_yaml_syntax_errors_for_humans(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_text(text, "f.yaml")
    assert str(info.value).startswith(expected), str(info.value)


def test_yaml_syntax_errors_with_the_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's own parser (no libyaml) words its errors differently; same rephrasing."""
    import yaml

    from paladin_obs import yaml_located, yaml_nodes

    monkeypatch.setattr(yaml_nodes, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_located, "_Loader", yaml.SafeLoader)
    cases = {
        "a:\n  b:\n    c: 1\n   d: 2\n": "f.yaml:4:4: YAML syntax error: bad indentation: this line is "
        "indented more than the keys of the mapping at line 2, column 3",
        "a:\n\tb: 1\n": "f.yaml:2:1: YAML syntax error: a tab character",
        "a: [1, 2\nb: 1\n": "f.yaml:2:2: YAML syntax error: unclosed '['",
    }
    for text, expected in cases.items():
        with pytest.raises(InputError) as info:
            load_text(text, "f.yaml")
        assert str(info.value).startswith(expected), str(info.value)


# templates command


def test_templates_lists_the_library_by_kind() -> None:
    report = templates_cmd.run()
    text = "\n".join(report.lines)
    assert report.exit_code == 0
    assert text.index("alerts:") < text.index("records:") < text.index("logs:")
    assert "  error_ratio\n" in text
    assert "    - threshold (ratio, required): Error ratio that fires; 0.05 is 5%." in text
    assert "    - window (duration, default 5m): Rate window." in text


def test_templates_name_gives_full_details() -> None:
    report = templates_cmd.run("error_ratio")
    text = "\n".join(report.lines)
    assert report.exit_code == 0
    assert "error_ratio (alerts template, built-in)" in text
    assert "error_ratio (records template, built-in)" in text
    assert "  needs signals: requests, errors" in text
    assert report.summary == "2 template(s) named error_ratio."


def test_templates_unknown_name_suggests() -> None:
    report = templates_cmd.run("eror_ratio")
    assert report.exit_code == 2
    assert (
        report.problems[0].render()
        == "templates: unknown template 'eror_ratio'; did you mean 'error_ratio'?"
    )


def test_templates_include_the_specs_own(tmp_path: Path) -> None:
    (tmp_path / "mine" / "alerts").mkdir(parents=True)
    (tmp_path / "mine" / "alerts" / "queue_full.yaml").write_text(
        "about: The queue is full.\n"
        "params:\n  limit: {type: number, required: true, description: Queue size.}\n"
        "  metric: {type: metric, default: queue_depth, metric_types: [gauge]}\n"
        "expr: ${ metric } > ${ limit }\nsummary: Queue full.\ndescription: '{{ $value }}'\n"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\ndefaults: {templates: [mine]}\nservices: {}\n")
    listing = "\n".join(templates_cmd.run(spec=str(spec)).lines)
    assert (
        f"  queue_full ({tmp_path / 'mine' / 'alerts' / 'queue_full.yaml'})\n    The queue is full."
        in listing
    )
    assert "    - limit (number, required): Queue size." in listing
    details = templates_cmd.run("queue_full", str(spec))
    text = "\n".join(details.lines)
    assert "    metric (metric, default queue_depth)" in text
    assert "      metric types: gauge" in text


def test_templates_spec_with_a_missing_directory(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\ndefaults:\n  templates: [gone]\nservices: {}\n")
    report = templates_cmd.run(spec=str(spec))
    assert report.exit_code == 2
    assert (
        report.problems[0].render().startswith(f"{spec}:3:15: template directory 'gone' not found")
    )
