"""groups/size: groups of more than 20 rules."""

from __future__ import annotations

import pytest
from tests.lint.harness import ids_lines, lint_text

from paladin_obs.loader import load_text
from paladin_obs.validate import Settings, Source, loki_rules

ID = "groups/size"


def group(records: int, alerts: int = 0, name: str = "checkout") -> str:
    rules = "".join(
        f"  - record: job:http_requests_{i}:rate5m\n    expr: sum by (job) (rate(http_requests_total[5m]))\n"
        for i in range(records)
    ) + "".join(
        f'  - alert: CheckoutDown{i}\n    expr: up{{job="checkout"}} == 0\n    for: 5m\n'
        for i in range(alerts)
    )
    return f"- name: {name}\n  rules:\n{rules}"


@pytest.mark.parametrize(
    ("records", "alerts", "flagged"),
    [
        (21, 0, True),
        (0, 21, True),
        (11, 10, True),
        (40, 0, True),
        (20, 0, False),  # exactly the limit
        (10, 10, False),
        (1, 0, False),
        (0, 0, False),
    ],
)
def test_sizes(records: int, alerts: int, flagged: bool) -> None:
    found = lint_text("groups:\n" + group(records, alerts), [ID])
    assert ids_lines(found) == ([(ID, 2)] if flagged else [])


def test_counted_per_group_not_per_file() -> None:
    text = "groups:\n" + group(15, name="a") + group(15, name="b") + group(21, name="c")
    found = lint_text(text, [ID])
    assert ids_lines(found) == [(ID, 2 + 2 * (2 + 2 * 15))]  # after two groups of 2 + 30 lines
    assert found[0].message.startswith("group 'c' has 21 rules (more than 20)")
    assert found[0].severity == "warning"


def test_loki_rule_files() -> None:
    rules = "".join(
        f'  - record: job:log_lines_{i}:rate5m\n    expr: sum by (job) (rate({{job="checkout"}}[5m]))\n'
        for i in range(21)
    )
    text = f"groups:\n- name: logs\n  rules:\n{rules}"
    doc = load_text(text, "loki.yaml", text_scalars=True, first_document=True)
    source = Source("loki.yaml", doc.data, lambda p, k: doc.where(p, key=k))
    checked = loki_rules.check([source], Settings())
    assert checked.errors == []
    assert ids_lines([d for d in checked.findings if d.check == ID]) == [(ID, 2)]
