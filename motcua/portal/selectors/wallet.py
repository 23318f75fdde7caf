"""Read queries of the wallet: which procedure renews a paper, which papers expire soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.datafiles import read_yaml

from ..models import WalletDocument

DEFAULT_LEAD_DAYS = (60, 30, 7)


def lead_days() -> tuple[int, ...]:
    """The reminder lead times (days before expiry), largest first: `MOTCUA_WALLET_REMINDER_DAYS`."""
    raw = getattr(settings, "MOTCUA_WALLET_REMINDER_DAYS", None) or DEFAULT_LEAD_DAYS
    return tuple(sorted({int(day) for day in raw if int(day) > 0}, reverse=True))


def renewals_path() -> Path:
    return Path(
        getattr(settings, "MOTCUA_WALLET_RENEWALS_FILE", settings.DATA_DIR / "wallet" / "renewals.yaml")
    )


@lru_cache(maxsize=4)
def _renewals(path: str, mtime: float) -> dict[str, dict]:
    data = read_yaml(Path(path)) or []
    return {
        str(row["kind"]): {
            "procedure": str(row.get("procedure") or ""),
            "validity_years": row.get("validity_years"),
        }
        for row in data
    }


def renewals() -> dict[str, dict]:
    """kind → {procedure (code), validity_years} from the renewals data file ({} when there is none)."""
    path = renewals_path()
    if not path.is_file():
        return {}
    return _renewals(str(path), path.stat().st_mtime)


def renewal_procedure(kind: str) -> Procedure | None:
    """The operational procedure that renews a paper of this kind, if the data names one."""
    code = renewals().get(kind, {}).get("procedure")
    if not code:
        return None
    return Procedure.objects.filter(code=code, status=Procedure.Status.OPERATIONAL, is_active=True).first()


@dataclass
class Expiring:
    document: WalletDocument
    days_left: int
    renewal: Procedure | None

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def expiring(documents: list[WalletDocument], *, today: dt.date | None = None) -> list[Expiring]:
    """The papers that expire within the largest lead time (or already expired), soonest first."""
    today = today or timezone.localdate()
    horizon = max(lead_days(), default=0)
    found = []
    procedures: dict[str, Procedure | None] = {}
    for document in documents:
        if document.expires_on is None:
            continue
        days_left = (document.expires_on - today).days
        if days_left <= horizon:
            if document.kind not in procedures:
                procedures[document.kind] = renewal_procedure(document.kind)
            found.append(Expiring(document, days_left, procedures[document.kind]))
    return sorted(found, key=lambda item: item.days_left)
