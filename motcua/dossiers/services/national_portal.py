"""Keeping the national portal in step: every status change pushed, every dossier filed there received.

Pushes follow the audit log in order (outbox.py): a status change is pushed once the portal accepts it,
and an outage leaves the cursor where it is, so the next run retries from the same change.
Dossiers filed on the portal enter through `submit_dossier` on the channel `national_portal`, as the
integration account (`MOTCUA_NATIONAL_PORTAL_USER`, role system_admin); they wait as *new* for a
reception officer. A filing already imported (same portal reference) is only acknowledged again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core import audit
from motcua.core.errors import DomainError
from motcua.core.models import AuditEntry
from motcua.integrations.national_portal import PortalDossier, PortalUnavailable, get_portal

from .. import uploads
from ..models import Channel, Dossier
from ..states import ACTIONS, national_status
from . import outbox
from .intake import ApplicantData, Submission, submit_dossier

logger = logging.getLogger(__name__)

# Every audit action that may change a dossier's state.
EVENTS = ("dossier.submitted", "dossier.received", *(f"dossier.{action}" for action in ACTIONS))
MARKERS = ("dossier.national_pushed", "dossier.national_push_skipped")
IMPORTED = "dossier.national_portal_imported"
REJECTED = "dossier.national_portal_rejected"


def _status_change(entry: AuditEntry) -> int | None:
    """The national status this event moved the dossier to, None when it stayed the same."""
    if not entry.to_state:
        return None
    new = national_status(entry.to_state)
    if entry.from_state and national_status(entry.from_state) == new:
        return None
    return new


def _push(entry: AuditEntry) -> bool:
    status = _status_change(entry)
    if status is None:
        return False
    get_portal().push_status(entry.object_id, status, entry.occurred_at, appointment_at=_appointment_then(entry))
    return True


def _appointment_then(entry: AuditEntry) -> dt.datetime | None:
    """The appointment as it stood right after the change (entries older than that field: the current one)."""
    if "due_at" in entry.data:
        return dt.datetime.fromisoformat(entry.data["due_at"]) if entry.data["due_at"] else None
    dossier = Dossier.objects.filter(code=entry.object_id).only("due_at").first()
    return dossier.due_at if dossier is not None else None


def push_status_changes() -> dict[str, int]:
    """Push every status change not yet accepted by the portal, in order (the periodic job)."""
    counts = outbox.consume(EVENTS, MARKERS, _push, retryable=(PortalUnavailable,))
    if counts["failed"]:
        logger.warning("national portal push: unavailable, will retry (pushed %d before)", counts["done"])
    return counts


# --- intake from the portal -------------------------------------------------------------------------

def integration_user():
    username = getattr(settings, "MOTCUA_NATIONAL_PORTAL_USER", "")
    return get_user_model().objects.filter(username=username, is_active=True).first() if username else None


def _imported_code(reference: str) -> str | None:
    entry = (AuditEntry.objects.filter(action=IMPORTED, object_type="dossier", data__reference=reference)
             .order_by("seq").first())
    return entry.object_id if entry is not None else None


def _was_rejected(reference: str) -> bool:
    return AuditEntry.objects.filter(action=REJECTED, object_type="dossier", object_id=reference[:60]).exists()


def _submission(filed: PortalDossier) -> tuple[Submission, dict[int, list]]:
    a = filed.applicant
    applicant = ApplicantData(kind=a.get("kind", "person"), id_number=a.get("id_number", ""),
                              name=a.get("name", ""), phone=a.get("phone", ""), email=a.get("email", ""),
                              address=a.get("address", ""), commune=a.get("commune", ""))
    files: dict[int, list] = {}
    for document in filed.documents:
        files.setdefault(document.position, []).append(SimpleUploadedFile(document.filename, document.content))
    return Submission(procedure=filed.procedure, applicant=applicant, channel=Channel.NATIONAL_PORTAL,
                      branch=filed.branch), files


def pull_new_dossiers(now: dt.datetime | None = None) -> dict[str, int]:
    """Take in the dossiers filed on the portal (the periodic job); counts only, never applicants."""
    counts = {"imported": 0, "acknowledged": 0, "rejected": 0}
    user = integration_user()
    if user is None:
        logger.warning("national portal pull skipped: MOTCUA_NATIONAL_PORTAL_USER is not an active account")
        return counts
    portal = get_portal()
    for filed in portal.fetch_new_dossiers():  # PortalUnavailable: the job fails, retried next interval
        if _was_rejected(filed.reference):
            continue
        code = _imported_code(filed.reference)
        if code is None:
            sub, files = _submission(filed)
            try:
                # The dossier, its files and the record of its portal reference, or none of them.
                with uploads.atomic_with_files():
                    dossier = submit_dossier(user, sub, files, now=now or filed.submitted_at)
                    audit.record_event("scheduler", IMPORTED, "dossier", dossier.code,
                                       data={"reference": filed.reference})
            except DomainError as exc:
                # Not importable as it is (unknown procedure, missing document …): recorded once, by code only.
                audit.record_event("scheduler", REJECTED, "dossier", filed.reference[:60],
                                   reason=exc.code, data={"problems": [p.get("code") for p in exc.details
                                                                       if isinstance(p, dict)]
                                                          if isinstance(exc.details, list) else []})
                counts["rejected"] += 1
                continue
            code = dossier.code
            counts["imported"] += 1
        portal.acknowledge(filed.reference, code)
        counts["acknowledged"] += 1
    return counts
