"""The citizen is told by SMS when the dossier is received, needs a supplement, gets a new date, is ready
or is refused. Sent by a periodic job reading the outbox (core/outbox.py) with its own cursor
(`citizen_sms`): an SMS gateway outage never blocks an officer's action, and every message is sent once,
in order, retried until the gateway accepts it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from motcua.core import outbox
from motcua.core.models import OutboxMessage
from motcua.integrations.sms import SmsUnavailable, get_sms

from ..models import Dossier, State
from . import deadlines

logger = logging.getLogger(__name__)

EVENTS = ("dossier.submitted", "dossier.received", "dossier.request_supplement", "dossier.apologise",
          "dossier.mark_ready", "dossier.refuse", "dossier.refuse_intake")
CONSUMER = "citizen_sms"


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "-"


def message_for(message: OutboxMessage, dossier: Dossier) -> str | None:
    """The text for this event (Vietnamese unless the site's language says otherwise), None: no SMS."""
    action = message.topic.removeprefix("dossier.")
    code = dossier.code
    if action in ("submitted", "received"):
        if message.payload.get("to_state") != State.RECEIVED:
            return None  # an online dossier is told when an officer receives it
        return gettext("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s. Tra cứu bằng mã hồ sơ "
                       "trên cổng dịch vụ công.") % {"code": code, "due": _when(dossier.due_at)}
    if action == "request_supplement":
        days = f"{deadlines.supplement_expiry_days():g}"
        return gettext("Hồ sơ %(code)s cần bổ sung giấy tờ. Vui lòng xem phiếu yêu cầu bổ sung và nộp bổ sung "
                       "trong %(days)s ngày làm việc.") % {"code": code, "days": days}
    if action == "apologise":
        new_due = message.payload.get("new_due_at")
        moment = dt.datetime.fromisoformat(new_due) if new_due else dossier.due_at
        return gettext("Xin lỗi ông/bà: hồ sơ %(code)s chưa giải quyết được đúng hẹn. Ngày hẹn trả mới: %(due)s.") % {
            "code": code, "due": _when(moment)}
    if action == "mark_ready":
        return gettext("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận theo hình thức đã đăng ký.") % {
            "code": code}
    if action in ("refuse", "refuse_intake"):
        return gettext("Hồ sơ %(code)s không được giải quyết. Lý do được ghi trong văn bản trả lời gửi "
                       "ông/bà.") % {"code": code}
    return None


def _phone_of(dossier: Dossier) -> str:
    return (dossier.applicant_phone or dossier.representative_phone or "").strip()


def _send_for(message: OutboxMessage) -> bool:
    dossier = Dossier.objects.filter(code=message.object_id).first()
    if dossier is None or not _phone_of(dossier):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = message_for(message, dossier)
    if not text:
        return False
    get_sms().send(_phone_of(dossier), text)
    return True


def send_citizen_sms() -> dict[str, int]:
    """Send the SMS of every dossier event not yet dealt with (the periodic job); counts, no numbers."""
    # News older than this is no longer worth a text (and a first run must not text the whole history).
    max_age = dt.timedelta(hours=float(getattr(settings, "MOTCUA_SMS_MAX_AGE_HOURS", 48)))
    counts = outbox.consume(CONSUMER, EVENTS, _send_for, retryable=(SmsUnavailable,), max_age=max_age)
    if counts["failed"]:
        logger.warning("citizen SMS: gateway unavailable, will retry (sent %d before)", counts["done"])
    return counts
