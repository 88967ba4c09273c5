"""The artifact validators of a build, fed one artifact at a time.

A fleet's dashboards are most of its output (a 500-service fleet: 2,000
dashboards per environment, each a dict tree of a few hundred KB), so the
pipeline builds, checks and serialises each artifact and then lets go of
it. A kind whose validator checks one file at a time can take artifacts as
they come; one that compares files (rule files: duplicates across files,
cross-file lint) gets them all at the end, as before. The results are the
same either way: only how long each artifact's data is held differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from paladin_obs.conventions import grafana as gconv
from paladin_obs.validate import VALIDATORS, Checked, Settings, Source, Validator


class Checker(Protocol):
    def add(self, source: Source) -> None: ...

    def finish(self) -> Checked: ...


#: Kinds whose validator judges each file alone (grafana_delivery's): checking
#: files one by one finds what checking them together does.
_EACH_FILE = frozenset({gconv.OPERATOR_KIND, gconv.PROVISIONING_KIND})


class _Together:
    """Every source kept until the end, for a validator that compares files."""

    def __init__(self, validator: Validator, settings: Settings) -> None:
        self._validator = validator
        self._settings = settings
        self.sources: list[Source] = []

    def add(self, source: Source) -> None:
        self.sources.append(source)

    def finish(self) -> Checked:
        return self._validator.check(self.sources, self._settings)


class _EachAlone:
    def __init__(self, validator: Validator, settings: Settings) -> None:
        self._validator = validator
        self._settings = settings
        self._result = Checked()

    def add(self, source: Source) -> None:
        checked = self._validator.check((source,), self._settings)
        self._result.errors.extend(checked.errors)
        self._result.findings.extend(checked.findings)

    def finish(self) -> Checked:
        return self._result


class Checks:
    """One checker per artifact kind, made on the kind's first artifact."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._by_kind: dict[str, Checker] = {}

    def add(self, kind: str, source: Source) -> None:
        checker = self._by_kind.get(kind)
        if checker is None:
            checker = self._by_kind[kind] = self._checker(kind)
        checker.add(source)

    def finish(self) -> list[tuple[str, Checked]]:
        """Each kind's result, in the order of kind names."""
        return [(kind, self._by_kind[kind].finish()) for kind in sorted(self._by_kind)]

    def _checker(self, kind: str) -> Checker:
        validator = VALIDATORS.get(kind)
        if validator is None:
            raise LookupError(f"no validator is registered for artifact kind {kind!r}")
        stream: Callable[[Settings], Checker] | None = getattr(validator, "stream", None)
        if stream is not None:
            return stream(self._settings)
        if kind in _EACH_FILE:
            return _EachAlone(validator, self._settings)
        return _Together(validator, self._settings)
