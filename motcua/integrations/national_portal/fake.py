"""The local fake portal: an in-process store shared by the process (tests, the demo, the fake endpoint)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from .protocol import PortalDossier, PortalUnavailable


@dataclass(frozen=True)
class PushedStatus:
    dossier_code: str
    status: int
    at: dt.datetime
    appointment_at: dt.datetime | None


class InMemoryNationalPortal:
    """Statuses pushed and dossiers waiting, kept in class attributes; `failing=True` simulates an outage."""

    statuses: list[PushedStatus] = []
    waiting: dict[str, PortalDossier] = {}
    acknowledged: dict[str, str] = {}
    _lock = threading.Lock()

    def __init__(self, *, failing: bool = False):
        self.failing = failing

    def _check(self) -> None:
        if self.failing:
            raise PortalUnavailable("national portal offline (fake)")

    def push_status(self, dossier_code: str, national_status: int, at: dt.datetime, *,
                    appointment_at: dt.datetime | None = None) -> None:
        self._check()
        if not 1 <= national_status <= 10:
            raise ValueError("national status must be 1-10")
        with self._lock:
            self.statuses.append(PushedStatus(dossier_code, national_status, at, appointment_at))

    def fetch_new_dossiers(self) -> list[PortalDossier]:
        self._check()
        with self._lock:
            return sorted(self.waiting.values(), key=lambda d: (d.submitted_at, d.reference))

    def acknowledge(self, reference: str, dossier_code: str) -> None:
        self._check()
        with self._lock:
            self.waiting.pop(reference, None)
            self.acknowledged[reference] = dossier_code

    # --- test and demo helpers ---------------------------------------------------------------------

    @classmethod
    def file(cls, dossier: PortalDossier) -> None:
        """A citizen files a dossier on the portal."""
        with cls._lock:
            cls.waiting[dossier.reference] = dossier

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.statuses.clear()
            cls.waiting.clear()
            cls.acknowledged.clear()
