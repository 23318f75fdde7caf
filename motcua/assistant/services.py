"""The assistant's one use case: answer a question from the catalog, the organisation and the dossiers.

Every fact in an answer is read from those (a procedure's documents, fees and time from the catalog,
branches and hours from the organisation, waits from the queue, a dossier's status from public tracking)
and comes with a link to where it is shown; when nothing fits, the answer says so. The question is kept
with personal numbers masked (see `mask_question`), never the answer's facts about a dossier.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure
from motcua.core import clock, ratelimit
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.money import format_vnd
from motcua.core.privacy import mask_text
from motcua.org import selectors as org

from . import filing, intents
from . import synonyms as synonym_list
from .models import Conversation, Exchange
from .retrieval import Match, rank_procedures

QUESTION_MAX_LENGTH = 500
# Intents that need a procedure: without one in the question, the conversation's last one is meant.
_ABOUT_PROCEDURE = {intents.FEES, intents.TIME, intents.DOCUMENTS, intents.WHERE, intents.WAITS}


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Reply:
    answer: str
    intent: str
    procedures: list[Match] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    conversation: str = ""


def mask_question(text: str) -> str:
    """The question as kept: ID and phone numbers (core.privacy), dossier codes and tracking keys masked."""
    text = mask_text(intents.DOSSIER_CODE.sub("[mã hồ sơ]", text))
    return intents.TRACKING_KEY.sub(
        lambda m: "[mã tra cứu]" if any(ch.isdigit() for ch in m.group(0)) else m.group(0), text)


def _conversation(public_id: str | None, channel: str) -> Conversation:
    if not public_id:
        return Conversation.objects.create(channel=channel)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    found = Conversation.objects.filter(public_id=key).first() if key else None
    if found is None:
        raise ValidationFailed(_("Không tìm thấy cuộc hội thoại này; hãy bỏ trống để bắt đầu cuộc mới."),
                               code="conversation_unknown", details={"field": "conversation"})
    return found


def ask(question: str, *, conversation: str | None = None, channel: str = Conversation.Channel.API) -> Reply:
    """Answer `question` (in the conversation `conversation`, when given) and keep it, masked."""
    question = (question or "").strip()
    if not question:
        raise ValidationFailed(_("Hãy nhập câu hỏi."), code="question_empty", details={"field": "question"})
    if len(question) > QUESTION_MAX_LENGTH:
        raise ValidationFailed(_("Câu hỏi dài quá %(max)s ký tự; hãy hỏi ngắn gọn hơn.") % {"max": QUESTION_MAX_LENGTH},
                               code="question_too_long", details={"field": "question"})
    talk = _conversation(conversation, channel)
    kept = mask_question(question)
    if filing.in_progress(str(talk.public_id)):
        reply, kept = _filing_reply(filing.advance(str(talk.public_id), question, talk.channel)), filing.KEPT_QUESTION
    else:
        reply = answer(question, previous_code=talk.procedure_code)
        if reply.intent == intents.COMPLAINT and _complaints_installed():
            reply = _filing_reply(filing.start(str(talk.public_id), talk.procedure_code))
    with transaction.atomic():
        Exchange.objects.create(conversation=talk, question=kept, intent=reply.intent,
                                procedure_codes=[m.code for m in reply.procedures],
                                answered=reply.intent not in (intents.UNKNOWN,))
        if reply.procedures and reply.procedures[0].code != talk.procedure_code:
            talk.procedure_code = reply.procedures[0].code
        talk.save(update_fields=["procedure_code", "last_at"])
    reply.conversation = str(talk.public_id)
    return reply


def _complaints_installed() -> bool:
    try:
        reverse("complaint-new")
    except NoReverseMatch:
        return False
    return True


def _filing_reply(step: filing.Step) -> Reply:
    return Reply(step.answer, intents.COMPLAINT, links=[Link(title, url) for title, url in step.links])


def answer(question: str, *, previous_code: str = "") -> Reply:
    """The reply to `question`, without keeping anything (the evaluation and the benchmark call this)."""
    synonyms = synonym_list.current()
    found = intents.detect(question, synonyms)
    if intents.STATUS in found:
        return _status(question)
    if intents.COMPLAINT in found:
        return _complaint(previous_code)
    if intents.HOURS in found:
        return _hours()
    if intents.GREETING in found:
        return Reply(_("Xin chào! Tôi là trợ lý ảo của Trung tâm Phục vụ hành chính công. Bạn cần làm thủ "
                       "tục gì? Ví dụ: “làm giấy khai sinh cần giấy tờ gì”."), intents.GREETING)
    elsewhere = catalog.handled_elsewhere(question)
    matches = rank_procedures(question)
    if elsewhere and not matches:
        return _elsewhere(elsewhere)
    intent = next((i for i in found if i in _ABOUT_PROCEDURE), intents.PROCEDURE)
    if not matches and previous_code and intent in _ABOUT_PROCEDURE:
        previous = catalog.get_procedure(previous_code)
        if previous is not None:
            matches = [Match(previous.code, previous.name, 0.0)]
    if not matches:
        if intent == intents.WHERE:
            return _where(None, [])
        if intents.wants_status(question, synonyms):
            return _status(question)
        return _unknown(question)
    procedure = catalog.get_procedure(matches[0].code)
    if procedure is None:  # gone from the catalog since the index was built
        return _unknown(question)
    build = {intents.FEES: _fees, intents.TIME: _time, intents.DOCUMENTS: _documents, intents.WHERE: _where,
             intents.WAITS: _waits}.get(intent, _procedure)
    reply = build(procedure, matches)
    reply.procedures = matches
    return reply


# --- answers ------------------------------------------------------------------------------------------------

def _title(procedure: Procedure) -> str:
    """The procedure's name without the catalog's leading "Thủ tục" (the answers say it already)."""
    name = procedure.name
    if name.startswith("Thủ tục "):
        name = name[len("Thủ tục "):]
        name = name[:1].upper() + name[1:]
    return name


def _procedure_link(procedure: Procedure) -> Link:
    return Link(_title(procedure), reverse("procedure-detail", args=[procedure.code]))


def _days(value) -> str:
    number = float(value)
    return formats.number_format(number, decimal_pos=0 if number == int(number) else 1)


def _others(matches: list[Match]) -> str:
    if len(matches) < 2:
        return ""
    names = "; ".join(f"{m.name} ({m.code})" for m in matches[1:])
    return "\n" + _("Có thể bạn hỏi về: %(names)s.") % {"names": names}


def _procedure(procedure: Procedure, matches: list[Match]) -> Reply:
    lines = [_("Thủ tục phù hợp: %(name)s (mã %(code)s).") % {"name": _title(procedure), "code": procedure.code}]
    if procedure.processing_days is not None:
        lines.append(_("Thời hạn giải quyết: %(days)s ngày làm việc.") % {"days": _days(procedure.processing_days)})
    lines.append(_("Hỏi tiếp “cần giấy tờ gì”, “lệ phí bao nhiêu” hoặc “nộp ở đâu” để biết thêm."))
    return Reply("\n".join(lines) + _others(matches), intents.PROCEDURE, links=[_procedure_link(procedure)])


def _documents(procedure: Procedure, matches: list[Match]) -> Reply:
    documents = list(procedure.documents.all())
    lines = [_("Hồ sơ của thủ tục %(name)s gồm:") % {"name": _title(procedure)}]
    for document in documents:
        note = []
        note.append(str(document.get_kind_display()).lower())
        if document.count > 1:
            note.append(_("%(count)s bản") % {"count": document.count})
        if document.optional:
            note.append(_("tùy trường hợp"))
        if document.registry_replaces:
            note.append(_("không cần nộp nếu đã có trong CSDL dân cư"))
        lines.append(f"• {document.name} ({', '.join(note)})")
    if not documents:
        lines = [_("Danh mục chưa ghi thành phần hồ sơ của thủ tục %(name)s; xem trang thủ tục hoặc hỏi tại quầy "
                   "tư vấn.") % {"name": _title(procedure)}]
    return Reply("\n".join(lines) + _others(matches), intents.DOCUMENTS, links=[_procedure_link(procedure)])


def _fees(procedure: Procedure, matches: list[Match]) -> Reply:
    fees = list(procedure.fees.all())
    lines = [_("Phí, lệ phí của thủ tục %(name)s:") % {"name": _title(procedure)}]
    for fee in fees:
        amount = format_vnd(fee.amount) if fee.amount is not None else _("chưa xác định mức thu")
        per = f" / {fee.per}" if fee.per else ""
        exemption = " — " + _("miễn, giảm: %(text)s") % {"text": fee.exemptions} if fee.exemptions else ""
        lines.append(f"• {fee.name}: {amount}{per}{exemption}")
    if not fees:
        lines = [_("Danh mục không ghi khoản phí, lệ phí nào cho thủ tục %(name)s.") % {"name": _title(procedure)}]
    return Reply("\n".join(lines) + _others(matches), intents.FEES, links=[_procedure_link(procedure)])


def _time(procedure: Procedure, matches: list[Match]) -> Reply:
    if procedure.processing_days is None:
        text = _("Danh mục chưa ghi thời hạn giải quyết của thủ tục %(name)s.") % {"name": _title(procedure)}
    else:
        text = _("Thời hạn giải quyết thủ tục %(name)s: %(days)s ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ.") % {
            "name": _title(procedure), "days": _days(procedure.processing_days)}
        if procedure.processing_note:
            text += "\n" + procedure.processing_note
    return Reply(text + _others(matches), intents.TIME, links=[_procedure_link(procedure)])


def _branch_lines(procedure: Procedure | None) -> list[str]:
    lines = []
    for point in org.list_service_points().order_by("branch__number", "code"):
        if procedure is not None and catalog.taken_at_branch(procedure, point.branch.number) is False:
            continue
        lines.append(f"• {point.name}: {point.address}")
    return lines


def _where(procedure: Procedure | None, matches: list[Match]) -> Reply:
    links = [Link(_("Danh sách chi nhánh"), reverse("branch-list"))]
    if procedure is None:
        lines = [_("Bạn có thể nộp hồ sơ tại các điểm tiếp nhận của Trung tâm:")] + _branch_lines(None)
        return Reply("\n".join(lines), intents.WHERE, links=links)
    if procedure.anywhere:
        head = _("Thủ tục %(name)s được tiếp nhận tại mọi chi nhánh, không phụ thuộc nơi cư trú:")
    elif procedure.filing_branches:
        head = _("Thủ tục %(name)s chỉ được tiếp nhận tại các điểm sau:")
    else:
        head = _("Thủ tục %(name)s được tiếp nhận tại điểm tiếp nhận của chi nhánh có xã, phường nơi bạn cư trú:")
    lines = [head % {"name": _title(procedure)}] + _branch_lines(procedure)
    if procedure.online_level != Procedure.OnlineLevel.NONE:
        lines.append(_("Có thể nộp trực tuyến (%(level)s).") % {"level": procedure.get_online_level_display()})
        links.append(Link(_("Nộp hồ sơ trực tuyến"), reverse("dossier-online")))
    links.insert(0, _procedure_link(procedure))
    return Reply("\n".join(lines) + _others(matches), intents.WHERE, links=links)


def _waits(procedure: Procedure, matches: list[Match]) -> Reply:
    from motcua.queueing import selectors as queue

    group_code = procedure.field.service_group if procedure.field else ""
    lines = [_("Thời gian chờ ước tính lúc này cho thủ tục %(name)s:") % {"name": _title(procedure)}]
    for point in org.list_service_points().order_by("branch__number", "code"):
        if catalog.taken_at_branch(procedure, point.branch.number) is False:
            continue
        for status in queue.group_statuses(point):
            if status.group.code != group_code:
                continue
            if status.wait_minutes is None:
                wait = _("không có quầy nào đang mở")
            else:
                wait = _("khoảng %(minutes)s phút (%(waiting)s người đang chờ)") % {
                    "minutes": status.wait_minutes, "waiting": status.waiting}
            lines.append(f"• {point.name}: {wait}")
    if len(lines) == 1:
        lines.append(_("Chưa có số liệu hàng chờ cho nhóm thủ tục này."))
    links = [_procedure_link(procedure), Link(_("Đặt lịch hẹn"), reverse("queue-book"))]
    return Reply("\n".join(lines) + _others(matches), intents.WAITS, links=links)


def _hours() -> Reply:
    from motcua.org.calendars import calendar_for

    branch = org.list_branches().order_by("number").first()
    if branch is None:
        return Reply(_("Chưa có thông tin giờ làm việc."), intents.HOURS)
    center = branch.center
    calendar = calendar_for(center)
    periods = ", ".join(f"{start}–{end}" for start, end in center.working_periods)
    if not periods:  # the calendar's default hours
        periods = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in calendar.periods)
    lines = [_("Giờ làm việc của %(center)s: %(periods)s, các ngày làm việc từ thứ Hai đến thứ Sáu (trừ ngày "
               "nghỉ lễ, Tết).") % {"center": center.name, "periods": periods}]
    today = clock.today()
    if calendar.is_working_day(today):
        lines.append(_("Hôm nay (%(day)s) là ngày làm việc.") % {"day": today.strftime("%d/%m/%Y")})
    else:
        following = calendar.next_working_day(today)
        lines.append(_("Hôm nay (%(day)s) Trung tâm nghỉ; ngày làm việc tiếp theo: %(next)s.") % {
            "day": today.strftime("%d/%m/%Y"), "next": following.strftime("%d/%m/%Y")})
    if center.cutoff_time:
        lines.append(_("Hồ sơ nhận sau %(time)s được tính từ ngày làm việc tiếp theo.") % {
            "time": center.cutoff_time.strftime("%H:%M")})
    return Reply("\n".join(lines), intents.HOURS, links=[Link(_("Danh sách chi nhánh"), reverse("branch-list"))])


def _status(question: str) -> Reply:
    reference = intents.dossier_reference(question)
    link = Link(_("Tra cứu hồ sơ"), reverse("tracking"))
    if reference is None or not reference[1]:
        # The example carries the installation's own e-ID suffix (H26 in Hà Nội, the data's elsewhere).
        center = org.home_center()
        example = f"000.00.06.{center.e_id_suffix if center else 'H26'}-251027-0361 7KQ2M-X9FTA"
        return Reply(_("Để xem tình trạng hồ sơ, hãy gửi mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận hồ sơ và "
                       "hẹn trả kết quả, ví dụ: %(example)s.") % {"example": example}, intents.STATUS, links=[link])
    code, key = reference
    # The same per-dossier budget as the tracking page: the assistant is no way around it.
    ratelimit.enforce("tracking_code", code, getattr(settings, "MOTCUA_TRACKING_CODE_RATE", "10/h"))
    from motcua.dossiers import selectors as dossiers

    try:
        found = dossiers.tracking(code, key)
    except NotFound:
        return Reply(_("Không tìm thấy hồ sơ có mã và mã tra cứu này. Hãy kiểm tra lại hai mã trên Giấy tiếp nhận."),
                     intents.STATUS, links=[link])
    lines = [_("Hồ sơ %(code)s (%(procedure)s): %(state)s.") % {
        "code": found["code"], "procedure": found["procedure"], "state": found["state_label"]}]
    if found.get("current_step"):
        lines.append(_("Đang ở bước: %(step)s – %(agency)s.") % {
            "step": found["current_step"]["name"], "agency": found["current_step"]["agency"]})
    if found.get("appointment_at"):
        lines.append(_("Hẹn trả kết quả: %(at)s.") % {"at": _moment(found["appointment_at"])})
    return Reply("\n".join(lines), intents.STATUS, links=[Link(_("Tra cứu hồ sơ"), reverse("tracking-code",
                                                                                       args=[found["code"]]))])


def _moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _complaint(previous_code: str = "") -> Reply:
    try:
        url = reverse("complaint-new")  # the complaints app, when installed
    except NoReverseMatch:
        url = ""
    if url and previous_code:  # about the procedure of the conversation
        url += "?" + urlencode({"about": previous_code})
    if url:
        return Reply(_("Bạn có thể gửi phản ánh, kiến nghị về thủ tục, hồ sơ, cán bộ hoặc quầy phục vụ tại trang "
                       "phản ánh, kiến nghị."), intents.COMPLAINT, links=[Link(_("Gửi phản ánh, kiến nghị"), url)])
    branch = org.list_branches().order_by("number").first()
    phone = branch.center.phone if branch is not None else ""
    text = _("Trợ lý ảo chưa nhận phản ánh, kiến nghị.")
    if phone:
        text += " " + _("Hãy liên hệ Trung tâm qua số %(phone)s hoặc gặp cán bộ tại quầy.") % {"phone": phone}
    else:
        text += " " + _("Hãy gặp cán bộ tại quầy tư vấn của Trung tâm.")
    return Reply(text, intents.COMPLAINT, links=[Link(_("Danh sách chi nhánh"), reverse("branch-list"))])


def _elsewhere(entries) -> Reply:
    lines = []
    links = []
    for entry in entries:
        lines.append(_("Trung tâm không tiếp nhận %(name)s. Nơi nộp: %(where)s") % {"name": entry.name,
                                                                                  "where": entry.where})
        if entry.online_url:
            links.append(Link(_("Nộp trực tuyến"), entry.online_url))
    return Reply("\n".join(lines), intents.ELSEWHERE, links=links)


def _unknown(question: str) -> Reply:
    text = _("Tôi chưa tìm thấy thủ tục nào của Trung tâm phù hợp với câu hỏi này. Hãy thử diễn đạt khác (ví dụ "
             "tên thủ tục), tìm trong danh mục thủ tục, hoặc hỏi cán bộ tại quầy tư vấn.")
    search = reverse("procedure-list") + "?" + urlencode({"q": question[:100]})
    return Reply(text, intents.UNKNOWN, links=[Link(_("Tìm trong danh mục thủ tục"), search)])


