"""The messages notify sends, one template per event (Vietnamese source text, English from the catalogue).

A template's text takes named parameters; ZNS sends the same parameters to the template registered with
Zalo under the id `MOTCUA_ZALO_ZNS_TEMPLATES[key]` (no id: that message does not go by Zalo).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Kind


@dataclass(frozen=True)
class Template:
    kind: str
    subject: object  # lazy text
    text: object  # lazy text with %(name)s parameters


TEMPLATES: dict[str, Template] = {
    "dossier_received": Template(Kind.DOSSIER, _("Hồ sơ %(code)s đã được tiếp nhận"), _(
        "Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s. Tra cứu bằng mã hồ sơ trên cổng dịch vụ công.")),
    "dossier_supplement": Template(Kind.DOSSIER, _("Hồ sơ %(code)s cần bổ sung"), _(
        "Hồ sơ %(code)s cần bổ sung giấy tờ. Vui lòng xem phiếu yêu cầu bổ sung và nộp bổ sung trong %(days)s ngày "
        "làm việc.")),
    "dossier_apology": Template(Kind.DOSSIER, _("Hồ sơ %(code)s có ngày hẹn trả mới"), _(
        "Xin lỗi ông/bà: hồ sơ %(code)s chưa giải quyết được đúng hẹn. Ngày hẹn trả mới: %(due)s.")),
    "dossier_ready": Template(Kind.DOSSIER, _("Hồ sơ %(code)s đã có kết quả"), _(
        "Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận theo hình thức đã đăng ký.")),
    "dossier_refused": Template(Kind.DOSSIER, _("Hồ sơ %(code)s không được giải quyết"), _(
        "Hồ sơ %(code)s không được giải quyết. Lý do được ghi trong văn bản trả lời gửi ông/bà.")),
    "payment_receipt": Template(Kind.PAYMENT, _("Biên lai điện tử của hồ sơ %(code)s"), _(
        "Biên lai điện tử số %(number)s (%(series)s) của hồ sơ %(code)s: %(amount)s. Xem và kiểm tra: %(url)s")),
    "complaint_answered": Template(Kind.COMPLAINT, _("Phản ánh, kiến nghị %(code)s đã được trả lời"), _(
        "Phản ánh, kiến nghị %(code)s đã được trả lời. Xem câu trả lời bằng mã phản ánh và mã tra cứu tại trang "
        "Phản ánh, kiến nghị.")),
    "document_expiring": Template(Kind.REMINDER, _("%(kind)s sắp hết hạn"), _(
        "%(title)s (%(kind)s) của ông/bà hết hạn ngày %(expires)s (còn %(days)s ngày).%(renewal)s")),
}


def render(key: str, params: dict[str, str], language: str) -> tuple[str, str]:
    """(subject, text) of template `key` in `language`."""
    template = TEMPLATES[key]
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(template.subject) % params, str(template.text) % params


def zns_template_id(key: str) -> str:
    """The Zalo ZNS template registered for `key`, '' when there is none."""
    return str((getattr(settings, "MOTCUA_ZALO_ZNS_TEMPLATES", None) or {}).get(key, ""))
