"""What the rest of the system may ask the population registry, and the shape of its answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable


class RegistryUnavailable(Exception):
    """The registry could not answer (network, timeout, unexpected reply). Callers fall back to paper."""


@dataclass(frozen=True)
class PersonRecord:
    national_id: str
    full_name: str
    birth_date: dt.date | None = None
    gender: str = ""  # "male" | "female" | ""
    commune_code: str = ""  # administrative unit code (2025) of the permanent residence
    address: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PersonRecord:
        try:
            birth = data.get("birth_date")
            return cls(
                national_id=str(data["national_id"]),
                full_name=str(data["full_name"]),
                birth_date=dt.date.fromisoformat(birth) if birth else None,
                gender=str(data.get("gender") or ""),
                commune_code=str(data.get("commune_code") or ""),
                address=str(data.get("address") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryUnavailable(f"malformed registry record: {type(exc).__name__}") from exc


@runtime_checkable
class PopulationRegistry(Protocol):
    def lookup(self, national_id: str) -> PersonRecord | None:
        """The registry's record of this person, None if unknown; RegistryUnavailable if it cannot say."""
        ...
