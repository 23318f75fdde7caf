"""Filing a complaint in the conversation (the web widget, the API, Zalo OA).

When someone says they want to complain, the assistant asks, one message at a time, what the form asks:
the content, the name, the phone number, then a confirmation; "hủy" stops at any step. What was typed is
kept only in the cache, under the conversation, for `DRAFT_SECONDS` (never in the kept questions), and
the complaint is filed through the complaints app's own service, which validates and routes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.phones import normalise_phone
from motcua.core.privacy import mask_phone
from motcua.core.text import fold

DRAFT_SECONDS = 1800
SUBJECT_LENGTH = 120
NAME_LENGTH = 120
CANCEL = frozenset({"huy", "thoi", "dung", "huy bo", "cancel"})
YES = frozenset({"dong y", "co", "ok", "gui", "xac nhan", "yes"})
PRIVATE = frozenset({"gui rieng", "khong cong khai"})
# What the kept question says instead of what was typed while filing (a name, a phone number, ...).
KEPT_QUESTION = "[thông tin phản ánh]"


@dataclass
class Step:
    """The assistant's next message while filing, and whether the filing is over (sent or stopped)."""

    answer: str
    links: list[tuple[str, str]] = field(default_factory=list)
    done: bool = False


def _key(conversation: str) -> str:
    return f"assistant:filing:{conversation}"


def in_progress(conversation: str) -> bool:
    return cache.get(_key(conversation)) is not None


def _form_link(about: str) -> tuple[str, str]:
    url = reverse("complaint-new") + ("?" + urlencode({"about": about}) if about else "")
    return _("Gửi theo mẫu (kèm được tệp)"), url


def start(conversation: str, about: str = "") -> Step:
    """Begin: ask for the content (the procedure of the conversation, if any, is what it is about)."""
    cache.set(_key(conversation), {"step": "content", "about": about}, DRAFT_SECONDS)
    return Step(_("Tôi có thể ghi nhận phản ánh, kiến nghị của bạn ngay tại đây. Hãy viết nội dung: việc gì, ở đâu, "
                  "khi nào (gõ “hủy” để thôi)."), [_form_link(about)])


def _subject(content: str) -> str:
    first = content.split("\n", 1)[0].split(". ", 1)[0].strip()
    return first if len(first) <= SUBJECT_LENGTH else first[:SUBJECT_LENGTH - 1].rstrip() + "…"


def advance(conversation: str, text: str, channel: str) -> Step:
    """The person's next message while filing: keep it, ask the next thing, or file the complaint."""
    draft = cache.get(_key(conversation))
    if draft is None:  # expired between two messages
        return Step(_("Phần phản ánh đang soạn đã hết hạn; hãy bắt đầu lại."), done=True)
    text = " ".join(text.split())
    folded = fold(text).strip(" .!")
    if folded in CANCEL:
        cache.delete(_key(conversation))
        return Step(_("Đã hủy, không có phản ánh nào được gửi."), done=True)
    step = draft["step"]
    if step == "content":
        draft.update(content=text, step="name")
        reply = Step(_("Xin cho biết họ và tên của bạn (chỉ cán bộ xử lý phản ánh được xem)."))
    elif step == "name":
        if len(text) > NAME_LENGTH or not any(ch.isalpha() for ch in text):
            return Step(_("Hãy nhập họ và tên (tối đa %(max)s ký tự).") % {"max": NAME_LENGTH})
        draft.update(name=text, step="phone")
        reply = Step(_("Số điện thoại để nhận tin khi có câu trả lời?"))
    elif step == "phone":
        try:
            draft["phone"] = normalise_phone(text)
        except DomainError as error:
            return Step(str(error.message))
        draft["step"] = "confirm"
        reply = Step(_("Xác nhận gửi phản ánh “%(subject)s” của %(name)s, điện thoại %(phone)s. Gõ “đồng ý” để gửi "
                       "(câu hỏi và câu trả lời được công khai, không kèm họ tên, số điện thoại), “gửi riêng” để gửi "
                       "mà không công khai, hoặc “hủy”.")
                     % {"subject": _subject(draft["content"]), "name": draft["name"],
                        "phone": mask_phone(draft["phone"])})
    else:
        if folded not in YES | PRIVATE:
            return Step(_("Gõ “đồng ý”, “gửi riêng” hoặc “hủy”."))
        return _file(conversation, draft, channel, publish=folded not in PRIVATE)
    cache.set(_key(conversation), draft, DRAFT_SECONDS)
    return reply


def _file(conversation: str, draft: dict, channel: str, *, publish: bool) -> Step:
    from motcua.complaints import services as complaints
    from motcua.complaints.models import Complaint

    try:
        complaint = complaints.file_complaint(
            subject=_subject(draft["content"]), content=draft["content"], name=draft["name"], phone=draft["phone"],
            about=draft.get("about", ""), publish=publish,
            channel=Complaint.Channel.ZALO if channel == "zalo" else Complaint.Channel.ASSISTANT)
    except DomainError as error:
        cache.delete(_key(conversation))
        return Step(_("Chưa gửi được: %(reason)s Hãy bắt đầu lại hoặc gửi theo mẫu.") % {"reason": error.message},
                    [_form_link(draft.get("about", ""))], done=True)
    cache.delete(_key(conversation))
    key = complaint.printed_tracking_key
    track = reverse("complaint-track") + "?" + urlencode({"code": complaint.code, "key": key})
    due = timezone.localtime(complaint.due_at).strftime("%H:%M %d/%m/%Y")
    return Step(_("Đã gửi phản ánh, kiến nghị. Mã phản ánh: %(code)s, mã tra cứu: %(key)s (hãy giữ lại). Hạn trả lời: "
                  "%(due)s.") % {"code": complaint.code, "key": key, "due": due},
                [(_("Theo dõi phản ánh"), track)], done=True)
