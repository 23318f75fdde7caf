"""What people asked the assistant, kept without personal data, to improve the synonym list."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Conversation(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Trang web")
        API = "api", _("API")
        ZALO = "zalo", _("Zalo OA")

    public_id = models.UUIDField(_("mã hội thoại"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices, default=Channel.API)
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    last_at = models.DateTimeField(_("lần hỏi cuối"), auto_now=True)
    # The procedure the last answer was about, so that "lệ phí bao nhiêu?" follows on from it.
    procedure_code = models.CharField(_("thủ tục đang nói đến"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("hội thoại")
        verbose_name_plural = pgettext_lazy("plural", "hội thoại")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return str(self.public_id)


class Exchange(models.Model):
    """One question and what was answered: the question with ID, phone and dossier numbers masked."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="exchanges",
                                     verbose_name=_("hội thoại"))
    asked_at = models.DateTimeField(_("thời điểm hỏi"), auto_now_add=True)
    question = models.TextField(_("câu hỏi (đã che thông tin cá nhân)"))
    intent = models.CharField(_("ý định"), max_length=20)
    procedure_codes = models.JSONField(_("thủ tục gợi ý"), default=list, blank=True)
    answered = models.BooleanField(_("đã trả lời được"), default=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = pgettext_lazy("plural", "câu hỏi")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["intent", "asked_at"])]

    def __str__(self) -> str:
        return self.question[:80]
