from __future__ import annotations

import pytest

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


def test_hand_written_inits_keep_dataclass_behaviour() -> None:
    # Location and Diagnostic write their fields directly (speed); they must still
    # act as the frozen, ordered dataclasses they are declared as.
    import dataclasses
    import pickle

    loc = Location("a.yaml", 3, 5)
    assert (loc.file, loc.line, loc.column) == ("a.yaml", 3, 5)
    assert Location("a.yaml") == Location(file="a.yaml", line=0, column=0)
    d = Diagnostic(loc, "m", ("groups", 0), check="x/y", severity="warning", detail="d", source="s")
    assert dataclasses.astuple(d) == (("a.yaml", 3, 5), "m", ("groups", 0), "x/y", "warning", "d", "s")
    assert Diagnostic(loc, "m") == Diagnostic(loc, "m", (), "", "error", "", "")
    assert d == dataclasses.replace(d, detail="other", source="other")  # not compared
    assert dataclasses.replace(d, message="n").message == "n"
    assert pickle.loads(pickle.dumps(d)) == d
    assert hash(d) == hash(Diagnostic(loc, "m", ("groups", 0), "x/y", "warning"))
    assert sorted([Diagnostic(Location("b", 1), "m"), Diagnostic(loc, "m")])[0].location == loc
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.message = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.line = 4  # type: ignore[misc]



def test_rows_carry_every_field_across_a_pickle() -> None:
    import pickle

    from paladin_obs.diagnostics import from_rows, to_rows

    found = [
        Diagnostic(Location("a.yaml", 3, 5), "m", ("groups", 0), "x/y", "warning", "d", "s"),
        Diagnostic(Location("b.yaml"), "n"),
    ]
    back = from_rows(pickle.loads(pickle.dumps(to_rows(found))))
    assert back == found
    assert [(d.detail, d.source) for d in back] == [("d", "s"), ("", "")]  # not compared by ==
