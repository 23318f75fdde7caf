"""Supplements, apologies and the end of the road: result, return, withdrawal, stop."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import uploads
from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.uploads import UploadRefused, check_upload

from .. import policies
from ..models import RESULT_FOLDER, DossierDocument, ReturnMethod, State, SupplementRequest
from . import common, deadlines, numbering
from .intake import _require_reason, check_files, store_files


@transaction.atomic
def request_supplement(user, code: str, *, items: list[dict], version: int | None = None,
                       now: dt.datetime | None = None) -> SupplementRequest:
    """Ask ONCE for everything missing (form 02); the processing clock stops until it arrives."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "request_supplement", dossier, now=now)
    cleaned = [{"name": str(i.get("name", "")).strip(), "reason": str(i.get("reason", "")).strip()}
               for i in items or []]
    bad = [{"field": f"items.{n}", "code": "item_incomplete"} for n, i in enumerate(cleaned)
           if not i["name"] or not i["reason"]]
    if not cleaned or bad:
        raise ValidationFailed(_("Cần liệt kê đầy đủ từng nội dung cần bổ sung và lý do."),
                               code="items_required", details=bad or [{"field": "items", "code": "items_required"}])
    before = common.claim(dossier, version)
    request = SupplementRequest.objects.create(dossier=dossier, items=cleaned, requested_by=user, requested_at=now,
                                               resume_state=dossier.state)
    common.save_fields(dossier, state=State.SUPPLEMENT_REQUESTED, due_at=None)
    numbering.assign(dossier, numbering.Form.SUPPLEMENT, now)
    common.log(user, dossier, "request_supplement", before, items=len(cleaned))
    return request


def supply(user, code: str, *, files: dict[int, list], version: int | None = None,
           now: dt.datetime | None = None):
    """The applicant completes the dossier; the clock restarts or resumes (Center.resume_mode)."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "supply", dossier, now=now)
    documents = {d.position: d for d in dossier.procedure.documents.all()}
    problems: list = []
    checked = check_files(files, set(documents), problems)
    if not files:
        problems.append({"field": "document", "code": "document_missing", "message": str(_("Chưa có tệp bổ sung."))})
    if problems:
        raise ValidationFailed(details=problems)
    with uploads.atomic_with_files():
        before = common.claim(dossier, version)
        store_files(dossier, documents, checked, DossierDocument.Source.SUPPLEMENT, now)
        supplement = dossier.supplement
        supplement.supplied_at = now
        supplement.save(update_fields=["supplied_at"])
        due = deadlines.appointment_at(dossier)
        if dossier.original_due_at and dossier.due_at and due and dossier.due_at > due:
            due = dossier.due_at
        common.save_fields(dossier, state=supplement.resume_state, due_at=due)
        step = dossier.current_step
        if step is not None:
            step.due_at = common.step_due(dossier, now, step.hours)
            step.save(update_fields=["due_at"])
        common.log(user, dossier, "supply", before, files=sum(len(v) for v in checked.values()))
    return dossier


@transaction.atomic
def stop(user, code: str, *, reason: str = "", version: int | None = None,
         now: dt.datetime | None = None):
    """Close a dossier whose supplement has not come within the limit (15 working days by default).

    `user` None is the scheduler (see `stop_expired_supplements`).
    """
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "stop", dossier, now=now)
    before = common.claim(dossier, version)
    common.close_step(dossier.current_step, "closed", reason, now)
    common.save_fields(dossier, state=State.STOPPED, current_step=None, closed_at=now,
                       decision_reason=(reason or "").strip() or str(_("Quá hạn bổ sung hồ sơ.")))
    numbering.assign(dossier, numbering.Form.STOP, now)
    common.log(user if user is not None else "scheduler", dossier, "stop", before, dossier.decision_reason)
    return dossier


def stop_expired_supplements(now: dt.datetime | None = None) -> list[str]:
    """Stop every dossier whose supplement is overdue (for the scheduler); returns their codes."""
    now = now or timezone.now()
    stopped = []
    waiting = SupplementRequest.objects.filter(supplied_at__isnull=True, dossier__state=State.SUPPLEMENT_REQUESTED)
    for request in waiting.select_related("dossier"):
        try:
            stopped.append(stop(None, request.dossier.code, now=now).code)
        except DomainError:
            continue  # not expired yet, or changed meanwhile
    return stopped


def attach_result(user, code: str, *, upload, version: int | None = None):
    """Attach the result document (the decision, the certificate …)."""
    dossier = common.load(code, version)
    policies.check(user, "attach_result", dossier)
    if upload is None:
        raise ValidationFailed(details=[{"field": "result", "code": "document_missing"}])
    try:
        checked = check_upload(upload)
    except UploadRefused as exc:
        raise ValidationFailed(exc.message, code=exc.code, details=[{"field": "result", "code": exc.code,
                                                                     "file": exc.filename}]) from exc
    with uploads.atomic_with_files():
        before = common.claim(dossier, version)
        common.save_fields(dossier, result_file=uploads.stage(checked, RESULT_FOLDER))
        common.log(user, dossier, "attach_result", before, sha256=checked.sha256)
    return dossier


@transaction.atomic
def mark_ready(user, code: str, *, version: int | None = None, now: dt.datetime | None = None):
    dossier = common.load(code, version)
    policies.check(user, "mark_ready", dossier, now=now)
    before = common.claim(dossier, version)
    common.save_fields(dossier, state=State.RESULT_READY, result_ready_at=now or timezone.now())
    common.log(user, dossier, "mark_ready", before)
    return dossier


@transaction.atomic
def return_result(user, code: str, *, method: str, received_by_name: str = "", version: int | None = None,
                  now: dt.datetime | None = None):
    """Hand the result over (counter, post or electronically), recording who received it."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "return_result", dossier, now=now)
    if method not in ReturnMethod.values:
        raise ValidationFailed(details=[{"field": "method", "code": "unknown_method"}])
    name = (received_by_name or "").strip()
    if method == ReturnMethod.ELECTRONIC and not name:
        name = dossier.applicant_name
    if not name:
        raise ValidationFailed(_("Cần ghi tên người nhận kết quả."), code="receiver_required",
                               details=[{"field": "received_by_name", "code": "receiver_required"}])
    before = common.claim(dossier, version)
    common.save_fields(dossier, state=State.RETURNED, returned_at=now, return_method=method,
                       returned_to=name[:200], returned_by=user, closed_at=now)
    common.log(user, dossier, "return_result", before, method=method)
    return dossier


@transaction.atomic
def withdraw(user, code: str, *, reason: str, version: int | None = None, now: dt.datetime | None = None):
    """The citizen withdraws the dossier (or the counter records their written request)."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "withdraw", dossier, now=now)
    _require_reason(reason)
    before = common.claim(dossier, version)
    common.close_step(dossier.current_step, "closed", reason.strip(), now)
    common.save_fields(dossier, state=State.WITHDRAWN, current_step=None, closed_at=now,
                       decision_reason=reason.strip())
    numbering.assign(dossier, numbering.Form.STOP, now)
    common.log(user, dossier, "withdraw", before, reason.strip())
    return dossier


@transaction.atomic
def apologise(user, code: str, *, new_due_at: dt.datetime, reason: str, version: int | None = None,
              now: dt.datetime | None = None):
    """Apology with a new appointment (form 04): once, and at least one working day (8 working hours) before the deadline.

Errors: `apology_already_made` (409, the date may be reset once), `apology_too_late` (400; details.rule
`deadline_passed` or `one_working_day` with `latest_at`), `new_due_invalid` (422), `new_due_not_working_time`
(422: a day off or outside the center's hours; details name the next working moment), `reason_required` (422).
"""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "apologise", dossier, now=now)
    _require_reason(reason)
    if new_due_at.tzinfo is None or dossier.due_at is None or new_due_at <= dossier.due_at:
        raise ValidationFailed(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), code="new_due_invalid",
                               details=[{"field": "new_due_at", "code": "new_due_invalid"}])
    calendar = common.calendar_of(dossier)
    if not calendar.is_working_time(new_due_at):
        # The citizen comes back for the result then: a working day of the center, within its hours.
        local = calendar.localize(new_due_at)
        day_off = calendar.day_off_name(local.date())
        if not calendar.is_working_day(local.date()):
            message = _("Ngày hẹn mới phải là ngày làm việc: %(day)s là ngày nghỉ%(name)s.") % {
                "day": local.strftime("%d/%m/%Y"), "name": f" ({day_off})" if day_off else ""}
        else:
            message = _("Giờ hẹn mới phải trong giờ làm việc của Trung tâm (%(when)s là ngoài giờ).") % {
                "when": local.strftime("%H:%M %d/%m/%Y")}
        raise ValidationFailed(
            message, code="new_due_not_working_time",
            details=[{"field": "new_due_at", "code": "new_due_not_working_time",
                      "next_working_at": calendar.counting_start(new_due_at).isoformat()}])
    before = common.claim(dossier, version)
    common.save_fields(dossier, original_due_at=dossier.due_at, due_at=new_due_at, apology_reason=reason.strip())
    numbering.assign(dossier, numbering.Form.APOLOGY, now)
    common.log(user, dossier, "apologise", before, reason.strip(), new_due_at=new_due_at.isoformat())
    return dossier
