"""Dossiers written directly with chosen times: each test's figures are computed by hand from them."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Dossier, DossierDocument

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def at(day: int, hour: int = 9, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=HANOI)


def dossier(world, *, received: dt.datetime, due: dt.datetime | None = None, result: dt.datetime | None = None,
            state: str | None = None, channel: str = "counter", branch=None, agency=None, procedure=None,
            original_due: dt.datetime | None = None, kind: str = "person", registry: bool = False,
            result_file: str = "", documents: tuple[tuple[str, str], ...] = ()) -> Dossier:
    """One dossier; `documents` are (source, file name or "") pairs."""
    n = next(_numbers)
    state = state or ("returned" if result else "processing")
    returned = {"returned_at": result, "return_method": "counter"} if state == "returned" else {}
    made = Dossier.objects.create(
        code=f"T-{n:06d}", procedure=procedure or world.land, channel=channel, state=state,
        applicant_kind=kind, applicant_name="Nguyễn Văn An", applicant_id_number="001090012345",
        competent_agency=agency or world.department, branch=branch or world.branch, submitted_at=received,
        received_at=received, due_at=due, original_due_at=original_due, result_ready_at=result,
        registry_used=registry, result_file=result_file, **returned)
    for position, (source, name) in enumerate(documents, start=1):
        DossierDocument.objects.create(dossier=made, position=position, name=f"Giấy tờ {position}", source=source,
                                       file=name)
    return made
