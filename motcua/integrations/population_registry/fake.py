"""Local fakes of the registry, speaking its protocol without leaving the process.

The fake knows no app: it answers from the records it was given, or from the lookup that the project
plugged in (`use_source`). The org app plugs in the people known to the center (org.Person) when it
starts, so the demo and the tests see them as the nation's registry would.
"""

from __future__ import annotations

from collections.abc import Callable

from .protocol import PersonRecord, RegistryUnavailable

Source = Callable[[str], PersonRecord | None]

_source: Source | None = None


def use_source(source: Source | None) -> None:
    """The lookup every `LocalRegistry` without records of its own answers from (None: no one is known)."""
    global _source
    _source = source


class LocalRegistry:
    """In-process fake: answers from `records` when given, else from the plugged-in source."""

    def __init__(self, records: dict[str, PersonRecord] | None = None):
        self.records = records

    def lookup(self, national_id: str) -> PersonRecord | None:
        if self.records is not None:
            return self.records.get(national_id)
        return _source(national_id) if _source is not None else None


class StaticRegistry:
    """A fixed answer set (tests): a dict of records; `unavailable=True` simulates an outage."""

    def __init__(self, records: dict[str, PersonRecord] | None = None, *, unavailable: bool = False):
        self.records = dict(records or {})
        self.unavailable = unavailable

    def lookup(self, national_id: str) -> PersonRecord | None:
        if self.unavailable:
            raise RegistryUnavailable("registry offline (fake)")
        return self.records.get(national_id)
