"""Complaints and petitions: file, route, answer, approve and publish, rate; reminders and escalation.

Deadlines (settings `MOTCUA_COMPLAINTS`, see docs/complaints.md for their legal source) are counted in
working days of the center's calendar (`org.calendars.calendar_for`, i.e. `worktime`). Each change is
audited and writes an outbox row; the author is texted the answer.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog
from motcua.core import audit, clock, outbox, uploads
from motcua.core.codes import DOSSIER_CODE_IN_TEXT, next_complaint_code, normalise_tracking_key
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.phones import normalise_phone
from motcua.core.privacy import mask_text
from motcua.org import selectors as org
from motcua.org.models import Agency, Branch

from . import policies
from .models import (
    ATTACHMENT_FOLDER,
    CONTENT_MAX_LENGTH,
    MAX_ATTACHMENTS,
    SUBJECT_MAX_LENGTH,
    Complaint,
    ComplaintAttachment,
)

logger = logging.getLogger(__name__)
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def rules() -> dict:
    """The deadline settings: working days to answer, working days before the due date to remind."""
    return {"ANSWER_WORKING_DAYS": 10, "REMIND_WORKING_DAYS_BEFORE": 2, **getattr(settings, "MOTCUA_COMPLAINTS", {})}


def _center():
    return org.home_center()


def _calendar():
    from motcua.org.calendars import calendar_for
    from motcua.worktime.calendar import WorkCalendar

    center = _center()
    return calendar_for(center) if center is not None else WorkCalendar(timezone=settings.TIME_ZONE)


def due_at_for(received_at: dt.datetime) -> dt.datetime:
    """The answer's deadline: the legal number of working days from when counting starts."""
    calendar = _calendar()
    return calendar.add_working_days(calendar.counting_start(received_at), float(rules()["ANSWER_WORKING_DAYS"]))


def _required(value: str, field: str, message: str, limit: int) -> str:
    text = " ".join((value or "").split()) if field != "content" else (value or "").strip()
    if not text:
        raise ValidationFailed(message, code=f"{field}_required", details={"field": field})
    if len(text) > limit:
        raise ValidationFailed(_("Quá dài: tối đa %(max)s ký tự.") % {"max": limit}, code=f"{field}_too_long",
                               details={"field": field})
    return text


def route(about: str) -> tuple[str, str, Agency | None, Branch | None]:
    """What the complaint is about and who answers it: (about kind, reference, agency, branch).

    A procedure code goes to the procedure's competent agency; a dossier code to the dossier's competent
    agency and branch; anything else (an officer, a counter, the center) to the center itself. An unknown
    code goes to the center too, and nothing tells the author whether a dossier exists."""
    reference = " ".join((about or "").split())[:60]
    if PROCEDURE_CODE.match(reference):
        procedure = catalog.get_procedure(reference)
        agency = procedure.agency if procedure is not None and not procedure.competent_by_commune else None
        return Complaint.About.PROCEDURE, reference, agency, None
    if DOSSIER_CODE_IN_TEXT.fullmatch(reference.upper()):
        from motcua.dossiers import selectors as dossiers

        try:
            dossier = dossiers.by_code(reference.upper())
        except NotFound:
            return Complaint.About.DOSSIER, reference.upper(), None, None
        return Complaint.About.DOSSIER, dossier.code, dossier.competent_agency, dossier.branch
    lowered = reference.lower()
    if lowered.startswith(("quầy", "quay", "counter")):
        return Complaint.About.COUNTER, reference, None, None
    if lowered.startswith(("cán bộ", "can bo", "officer")):
        return Complaint.About.OFFICER, reference, None, None
    return Complaint.About.OTHER, reference, None, None


def check_attachments(files) -> list[uploads.CheckedFile]:
    """The files sent with a complaint, each checked by its content (core.uploads); at most MAX_ATTACHMENTS."""
    files = [file for file in files or () if file is not None]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("Gửi kèm tối đa %(max)s tệp.") % {"max": MAX_ATTACHMENTS}, code="too_many_files",
                               details={"field": "files"})
    return [uploads.check_upload(file) for file in files]


def file_complaint(*, subject: str, content: str, name: str, phone: str, email: str = "", about: str = "",
                   publish: bool = True, channel: str = Complaint.Channel.WEB, files=()) -> Complaint:
    """Anyone files a complaint or petition: it gets a code, a tracking key, an agency or branch, a deadline.

    `files` are uploaded files sent with it (photos, scanned papers), checked before anything is kept."""
    subject = _required(subject, "subject", _("Hãy nhập tiêu đề."), SUBJECT_MAX_LENGTH)
    content = _required(content, "content", _("Hãy nhập nội dung phản ánh, kiến nghị."), CONTENT_MAX_LENGTH)
    name = _required(name, "name", _("Hãy nhập họ và tên."), 120)
    try:
        phone = normalise_phone(phone or "")
    except ValidationFailed as error:
        error.details = {"field": "phone"}
        raise
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(_("Địa chỉ thư điện tử không hợp lệ."), code="email_format",
                                   details={"field": "email"}) from None
    checked = check_attachments(files)
    kind, reference, agency, branch = route(about)
    now = clock.now()
    with uploads.atomic_with_files():
        complaint = Complaint.objects.create(
            code=next_complaint_code(timezone.localdate(now)), channel=channel, subject=subject, content=content,
            name=name, phone=phone, email=email, about=kind, about_reference=reference, publish=bool(publish),
            agency=agency, branch=branch, received_at=now, due_at=due_at_for(now))
        ComplaintAttachment.objects.bulk_create(
            ComplaintAttachment(complaint=complaint, position=position, file=uploads.stage(item, ATTACHMENT_FOLDER, now),
                                filename=item.filename, content_type=item.content_type, size=item.size,
                                sha256=item.sha256)
            for position, item in enumerate(checked, start=1))
        audit.record_event("", "complaint.filed", "complaint", complaint.code, to_state=complaint.status,
                           data={"agency": agency.code if agency else "", "branch": branch.code if branch else "",
                                 "channel": channel, "attachments": len(checked)})
        outbox.emit("complaint.filed", "complaint", complaint.code,
                    {"agency": agency.code if agency else "", "due_at": complaint.due_at.isoformat()})
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def answer_complaint(user, complaint: Complaint, text: str) -> Complaint:
    """The responsible staff drafts the answer; the head approves it before anyone sees it."""
    text = _required(text, "answer", _("Hãy nhập nội dung trả lời."), CONTENT_MAX_LENGTH)
    with transaction.atomic():
        complaint = _locked(complaint)
        if not policies.can(user, "answer", complaint):
            raise PermissionDenied(_("Chỉ cán bộ của cơ quan, chi nhánh được giao mới trả lời phản ánh này."),
                                   code="not_responsible")
        before = complaint.status
        complaint.answer, complaint.answered_by, complaint.answered_at = text, user, clock.now()
        complaint.status = Complaint.Status.ANSWERED
        complaint.save(update_fields=["answer", "answered_by", "answered_at", "status"])
        audit.record_event(user, "complaint.answered", "complaint", complaint.code, from_state=before,
                           to_state=complaint.status)
        outbox.emit("complaint.answered", "complaint", complaint.code, {})
    return complaint


def public_text(text: str, complaint: Complaint) -> str:
    """`text` as it may be published: ID and phone numbers, e-mail addresses, dossier codes and the author's
    name removed."""
    text = DOSSIER_CODE_IN_TEXT.sub("[mã hồ sơ]", text)
    text = _EMAIL.sub("[thư điện tử]", text)
    text = mask_text(text)
    text = re.sub(r"\*{3,}\d{0,4}", "[số đã ẩn]", text)
    # The full name, then the middle and given names, then the given name ("chị Hoa"): longest first.
    words = complaint.name.split()
    for part in dict.fromkeys(" ".join(words[i:]) for i in range(len(words))):
        if len(part) >= 2:
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", "[người gửi]", text, flags=re.IGNORECASE)
    return text


def approve_answer(user, complaint: Complaint) -> Complaint:
    """The head approves: the answer is sent to the author and, unless they declined, published."""
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status != Complaint.Status.ANSWERED:
            raise Conflict(_("Phản ánh này không có dự thảo trả lời chờ duyệt."), code="nothing_to_approve")
        if not policies.can(user, "approve", complaint):
            raise PermissionDenied(_("Chỉ lãnh đạo cơ quan, chi nhánh được giao hoặc Giám đốc Trung tâm mới duyệt "
                                     "câu trả lời."), code="not_head")
        now = clock.now()
        complaint.status, complaint.approved_by, complaint.closed_at = Complaint.Status.CLOSED, user, now
        fields = ["status", "approved_by", "closed_at"]
        if complaint.publish:
            complaint.published_at = now
            complaint.public_subject = public_text(complaint.subject, complaint)
            complaint.public_content = public_text(complaint.content, complaint)
            fields += ["published_at", "public_subject", "public_content"]
        complaint.save(update_fields=fields)
        audit.record_event(user, "complaint.approved", "complaint", complaint.code, from_state="answered",
                           to_state="closed", data={"published": complaint.publish})
        outbox.emit("complaint.closed", "complaint", complaint.code,
                    {"on_time": complaint.on_time, "published": complaint.publish})
        # The author is told by notify, from this outbox message (template `complaint_answered`).
    return complaint


def open_attachment(user, complaint: Complaint, attachment_id: int) -> tuple:
    """An attachment's file for the staff handling the complaint (never published); each opening is audited."""
    if not policies.can(user, "view", complaint):
        raise NotFound()
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    try:
        handle = uploads.open_stored(attachment.file.name or "")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(code="attachment_file_missing") from exc
    audit.record_event(user, "complaint.attachment_opened", "complaint", complaint.code,
                       data={"attachment": attachment.pk, "position": attachment.position})
    return handle, attachment


def find_for_author(code: str, key: str) -> Complaint:
    """A complaint for whoever holds its code and tracking key; one NotFound for every miss."""
    import hmac

    complaint = Complaint.objects.select_related("agency", "branch").filter(code=(code or "").strip().upper()).first()
    if complaint is None or not hmac.compare_digest(complaint.tracking_key.encode(),
                                                    normalise_tracking_key(key).encode()):
        raise NotFound(_("Không tìm thấy phản ánh có mã và mã tra cứu này."), code="complaint_not_found")
    return complaint


def rate_answer(code: str, key: str, score: object) -> Complaint:
    """The author rates the answer, once, from 1 to 5."""
    try:
        value = int(str(score))
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ValidationFailed(_("Điểm đánh giá từ 1 đến 5."), code="rating_invalid", details={"field": "score"})
    found = find_for_author(code, key)
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=found.pk, status=Complaint.Status.CLOSED, rating__isnull=True).update(
            rating=value, rated_at=clock.now())
        if not updated:
            if found.status != Complaint.Status.CLOSED:
                raise Conflict(_("Phản ánh chưa được trả lời."), code="not_answered")
            raise Conflict(_("Câu trả lời đã được đánh giá."), code="already_rated")
        audit.record_event("", "complaint.rated", "complaint", found.code, data={"rating": value})
    found.refresh_from_db()
    return found


def check_deadlines(now: dt.datetime | None = None) -> str:
    """Periodic job: remind the responsible staff near the due date, escalate to the head once overdue.

    Each complaint is reminded once and escalated once (a conditional update claims it), whichever
    scheduler runs the job."""
    now = now or clock.now()
    calendar = _calendar()
    before = float(rules()["REMIND_WORKING_DAYS_BEFORE"])
    reminded = escalated = 0
    open_ = Complaint.objects.exclude(status=Complaint.Status.CLOSED)
    for complaint in open_.filter(escalated_at__isnull=True, due_at__lt=now):
        if Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=now):
            escalated += 1
            _signal(complaint, "complaint.overdue", now)
    for complaint in open_.filter(reminded_at__isnull=True, escalated_at__isnull=True, due_at__gte=now):
        if calendar.subtract_working_time(complaint.due_at, calendar.day_length * before) <= now:
            if Complaint.objects.filter(pk=complaint.pk, reminded_at__isnull=True).update(reminded_at=now):
                reminded += 1
                _signal(complaint, "complaint.due_soon", now)
    return f"{reminded} reminded, {escalated} escalated"


def _signal(complaint: Complaint, topic: str, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record_event("scheduler", topic, "complaint", complaint.code)
        outbox.emit(topic, "complaint", complaint.code,
                    {"agency": complaint.agency.code if complaint.agency else "",
                     "branch": complaint.branch.code if complaint.branch else "",
                     "to": "head" if topic == "complaint.overdue" else "staff", "due_at": complaint.due_at.isoformat()})
