"""Notifications on every channel (SMS, Zalo, e-mail, in the portal), with preferences and delivery status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")
    PORTAL = "portal", _("Hộp thư trên cổng")


class Kind(models.TextChoices):
    """What a message is about: a person chooses the channels for each kind."""

    DOSSIER = "dossier", _("Tình trạng hồ sơ")
    PAYMENT = "payment", _("Phí, lệ phí và biên lai")
    COMPLAINT = "complaint", _("Phản ánh, kiến nghị")
    REMINDER = "reminder", _("Nhắc giấy tờ sắp hết hạn")


class Status(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã nhận")
    FAILED = "failed", _("Không đến được")
    DEAD = "dead", _("Ngừng gửi")


class Delivery(models.Model):
    """One message to one recipient on one channel. `dedupe_key` (the event, the channel, the recipient) is
    unique: the same event is never sent twice on a channel to a person, whoever plans it and how often."""

    dedupe_key = models.CharField(max_length=200, unique=True)
    event_key = models.CharField(_("sự kiện"), max_length=80, db_index=True)  # groups one message's channels
    topic = models.CharField(_("loại sự kiện"), max_length=80)
    kind = models.CharField(_("loại thông báo"), max_length=20, choices=Kind)
    template = models.CharField(_("mẫu"), max_length=60)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notify_deliveries", verbose_name=_("tài khoản"))
    # Who it is for, as pages and logs may name it ("dossier:<code>/applicant"), never the number itself.
    recipient = models.CharField(_("người nhận"), max_length=120)
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)  # phone or e-mail; shown masked
    fallback_phone = models.CharField(max_length=20, blank=True)  # SMS instead if this channel gives up
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    text = models.TextField(_("nội dung"))
    params = models.JSONField(default=dict, blank=True)  # the template's parameters (ZNS template_data)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tới"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=120, blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    failed_at = models.DateTimeField(_("thất bại lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt gửi thông báo")
        verbose_name_plural = _("lượt gửi thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_due"),
                   models.Index(fields=["user", "channel", "-created_at"], name="notify_inbox")]
        constraints = [models.CheckConstraint(condition=~models.Q(status="queued") | models.Q(next_attempt_at__isnull=False),
                                              name="notify_queued_has_next_attempt")]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.channel})"


class Preference(models.Model):
    """A person's channels for each kind of message (`{"dossier": ["sms", "email"], …}`) and language.
    Without a row, or for a kind not listed, SMS (the portal inbox always gets a copy)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference")
    channels = models.JSONField(_("kênh theo loại thông báo"), default=dict, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)
