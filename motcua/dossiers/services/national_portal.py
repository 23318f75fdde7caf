"""Keeping the national portal in step: every status change pushed, every dossier filed there received.

Pushes follow the outbox in order (core/outbox.py, cursor `national_portal_push`): a status change is
pushed once the portal accepts it, and an outage leaves the cursor where it is, so the next run retries
from the same change.
Dossiers filed on the portal enter through `submit_dossier` on the channel `national_portal`, as the
integration account (`MOTCUA_NATIONAL_PORTAL_USER`, role system_admin); they wait as *new* for a
reception officer. Each filing is recorded once in `PortalImport` (its reference is unique): one
already imported is only acknowledged again, one rejected is not tried again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from motcua.core import audit, outbox, uploads
from motcua.core.errors import DomainError
from motcua.core.models import OutboxMessage
from motcua.integrations.national_portal import PortalDossier, PortalUnavailable, get_portal

from ..models import Channel, Dossier, PortalImport
from ..states import ACTIONS, national_status
from .intake import ApplicantData, Submission, submit_dossier

logger = logging.getLogger(__name__)

# Every dossier event that may change a dossier's state (outbox topics, the same as the audit actions).
EVENTS = ("dossier.submitted", "dossier.received", *(f"dossier.{action}" for action in ACTIONS))
CONSUMER = "national_portal_push"
# Audit actions: what happened to a filing (recorded, never read to decide anything).
IMPORTED = "dossier.national_portal_imported"
REJECTED = "dossier.national_portal_rejected"
REFERENCE_LENGTH = PortalImport._meta.get_field("reference").max_length or 100


def _status_change(message: OutboxMessage) -> int | None:
    """The national status this event moved the dossier to, None when it stayed the same."""
    to_state, from_state = message.payload.get("to_state"), message.payload.get("from_state")
    if not to_state:
        return None
    new = national_status(to_state)
    if from_state and national_status(from_state) == new:
        return None
    return new


def _push(message: OutboxMessage) -> bool:
    status = _status_change(message)
    if status is None:
        return False
    get_portal().push_status(message.object_id, status, message.created_at,
                             appointment_at=_appointment_then(message))
    return True


def _appointment_then(message: OutboxMessage) -> dt.datetime | None:
    """The appointment as it stood right after the change (a message without it: the current one)."""
    if "due_at" in message.payload:
        due_at = message.payload["due_at"]
        return dt.datetime.fromisoformat(due_at) if due_at else None
    dossier = Dossier.objects.filter(code=message.object_id).only("due_at").first()
    return dossier.due_at if dossier is not None else None


def push_status_changes() -> dict[str, int]:
    """Push every status change not yet accepted by the portal, in order (the periodic job)."""
    counts = outbox.consume(CONSUMER, EVENTS, _push, retryable=(PortalUnavailable,))
    if counts["failed"]:
        logger.warning("national portal push: unavailable, will retry (pushed %d before)", counts["done"])
    return counts


# --- intake from the portal -------------------------------------------------------------------------

def integration_user():
    username = getattr(settings, "MOTCUA_NATIONAL_PORTAL_USER", "")
    return get_user_model().objects.filter(username=username, is_active=True).first() if username else None


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


def _problem_codes(exc: DomainError) -> list:
    details = exc.details
    return [p.get("code") for p in details if isinstance(p, dict)] if isinstance(details, list) else []


def _take_in(user, filed: PortalDossier, now: dt.datetime | None) -> tuple[PortalImport, bool]:
    """Import one filing not seen yet, or record why it cannot be: (the record, True). When another run
    got there first: (its record, False) — the reference is unique, so the second insert fails and this
    run's work is rolled back."""
    try:
        # The record of the reference, the dossier and its files, or none of them.
        with uploads.atomic_with_files():
            # Claimed first: a concurrent run of the same filing waits here (PostgreSQL) and then fails.
            record = PortalImport.objects.create(reference=filed.reference, outcome=PortalImport.Outcome.IMPORTED)
            sub, files = _submission(filed)
            try:
                with uploads.atomic_with_files():
                    dossier = submit_dossier(user, sub, files, now=now or filed.submitted_at)
            except DomainError as exc:
                # Not importable as it is (unknown procedure, missing document …): recorded once, by code only.
                record.outcome = PortalImport.Outcome.REJECTED
                record.reason, record.problems = exc.code, _problem_codes(exc)
                record.save(update_fields=["outcome", "reason", "problems"])
                audit.record_event("scheduler", REJECTED, "dossier", filed.reference, reason=exc.code,
                                   data={"problems": record.problems})
                return record, True
            record.dossier = dossier
            record.save(update_fields=["dossier"])
            audit.record_event("scheduler", IMPORTED, "dossier", dossier.code, data={"reference": filed.reference})
            return record, True
    except IntegrityError:
        existing = PortalImport.objects.select_related("dossier").filter(reference=filed.reference).first()
        if existing is None:
            raise
        return existing, False


def pull_new_dossiers(now: dt.datetime | None = None) -> dict[str, int]:
    """Take in the dossiers filed on the portal (the periodic job); counts only, never applicants."""
    counts = {"imported": 0, "acknowledged": 0, "rejected": 0}
    user = integration_user()
    if user is None:
        logger.warning("national portal pull skipped: MOTCUA_NATIONAL_PORTAL_USER is not an active account")
        return counts
    portal = get_portal()
    for filed in portal.fetch_new_dossiers():  # PortalUnavailable: the job fails, retried next interval
        if not filed.reference or len(filed.reference) > REFERENCE_LENGTH:
            logger.warning("national portal filing skipped: its reference is empty or too long")
            continue
        record = PortalImport.objects.select_related("dossier").filter(reference=filed.reference).first()
        if record is None:
            record, new = _take_in(user, filed, now)
            if new:
                counts["imported" if record.outcome == PortalImport.Outcome.IMPORTED else "rejected"] += 1
        if record.outcome == PortalImport.Outcome.REJECTED or record.dossier is None:  # only a rejection has none
            continue
        portal.acknowledge(filed.reference, record.dossier.code)
        counts["acknowledged"] += 1
    return counts
