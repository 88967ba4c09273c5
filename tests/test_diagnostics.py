from __future__ import annotations

from paladin_obs.diagnostics import Diagnostic, InputError, Location, format_path


def test_rendering() -> None:
    assert str(Location("s.yaml", 3, 7)) == "s.yaml:3:7"
    assert str(Location("s.yaml")) == "s.yaml"
    assert format_path(("services", "api", "alerts", 0, "x")) == "services.api.alerts[0].x"
    assert Diagnostic(Location("s.yaml", 1, 2), "bad", ("a",)).render() == "s.yaml:1:2: bad (at a)"


def test_input_error_sorts_and_deduplicates() -> None:
    late = Diagnostic(Location("s.yaml", 9, 1), "late")
    early = Diagnostic(Location("s.yaml", 2, 1), "early")
    error = InputError([late, early, late])
    assert error.diagnostics == [early, late]
    assert str(error) == "s.yaml:2:1: early\ns.yaml:9:1: late"
