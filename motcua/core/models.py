import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    """A bearer token for scripts and integrations. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("người dùng"))
    name = models.CharField(_("tên"), max_length=100, blank=True)
    prefix = models.CharField(_("tiền tố"), max_length=12, help_text=_("Để nhận ra mã, không đủ để dùng."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("plural", "mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class DemoAccount(models.Model):
    """Marks a user created by the demo loader; production refuses to start while any exists."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_marker",
                                verbose_name=_("người dùng"))
    role = models.CharField(_("vai trò"), max_length=40)

    class Meta:
        verbose_name = _("tài khoản mẫu")
        verbose_name_plural = pgettext_lazy("plural", "tài khoản mẫu")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class AuditEntry(models.Model):
    """One event of the append-only, keyed hash chain of the audit log (see core/audit.py).

    `hash` = HMAC-SHA256 (key MOTCUA_AUDIT_KEY, outside the database) over the previous entry's hash and
    this entry's canonical content, so changing, removing, reordering or adding any entry without the
    key is found. Rows are never updated or deleted (on PostgreSQL a trigger refuses both).
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    # The actor's id is part of what the MAC covers and a row is never changed, so deleting a user must
    # leave the entry alone: no database constraint, nothing done on delete (the id then names a
    # former user, whose name stays in actor_label).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký kiểm toán")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class LiveEvent(models.Model):
    """A short-lived event for live pages (server-sent events), readable by every server process.

    Works the same on SQLite and PostgreSQL: a stream reads the rows after the last id it sent.
    """

    channel = models.CharField(max_length=120, db_index=True)
    name = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sự kiện trực tiếp")
        verbose_name_plural = pgettext_lazy("plural", "sự kiện trực tiếp")
        indexes = [models.Index(fields=["channel", "id"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.name}#{self.pk}"


class DailySequence(models.Model):
    """A counter per scope and day (dossier codes per agency, ticket numbers per group …)."""

    scope = models.CharField(max_length=120)
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dãy số theo ngày")
        verbose_name_plural = pgettext_lazy("plural", "dãy số theo ngày")
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="unique_sequence_per_day")]

    def __str__(self) -> str:
        return f"{self.scope} {self.day}: {self.value}"


class RateCounter(models.Model):
    """Hits of one key in one fixed time window, shared by every server process (core/ratelimit.py).

    The key is stored as a keyed hash: a phone number or an ID number used as a limit key is never
    kept in clear.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = pgettext_lazy("plural", "bộ đếm giới hạn truy cập")
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash", "window_start"],
                                               name="core_ratecounter_unique_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]}… {self.hits}"


class OutboxMessage(models.Model):
    """One change to tell other parts of the system about, written in the change's own transaction.

    The id is the order: writers are serialised (core/outbox.py), so ids become visible in order and a
    consumer that has seen id N has seen every message before it. The payload holds codes and ids, never
    personal data: a consumer loads the rest itself.
    """

    topic = models.CharField(_("chủ đề"), max_length=60)
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.CharField(_("mã đối tượng"), max_length=60)
    payload = models.JSONField(_("nội dung"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tin nhắn hộp thư đi")
        verbose_name_plural = pgettext_lazy("plural", "tin nhắn hộp thư đi")
        ordering = ["id"]
        indexes = [models.Index(fields=["topic", "id"], name="core_outbox_topic_id")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic} {self.object_type}:{self.object_id}"


class ConsumerCursor(models.Model):
    """How far one consumer of the outbox got: every message up to `last_id` is dealt with."""

    name = models.CharField(_("bên nhận"), max_length=60, unique=True)
    last_id = models.PositiveBigIntegerField(_("tin cuối đã xử lý"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("con trỏ bên nhận")
        verbose_name_plural = pgettext_lazy("plural", "con trỏ bên nhận")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"


class PeriodicJobState(models.Model):
    """When one periodic job (settings.MOTCUA_PERIODIC_JOBS) last ran, shared by every scheduler.

    A scheduler claims a due run with one conditional update of `last_run_at` (core/scheduler.py), so
    two schedulers on two machines never both start the same run.
    """

    name = models.CharField(_("tác vụ"), max_length=60, unique=True)
    last_run_at = models.DateTimeField(_("lần chạy gần nhất"), null=True, blank=True)
    last_status = models.CharField(_("kết quả"), max_length=20, blank=True)
    last_result = models.CharField(_("tóm tắt"), max_length=120, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ định kỳ")
        verbose_name_plural = pgettext_lazy("plural", "tác vụ định kỳ")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at}"
