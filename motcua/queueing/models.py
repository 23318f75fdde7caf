"""Queue tickets, the queue rules of a service point and the live state of its counters."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.privacy import mask, mask_phone


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class OrderingPolicy(models.TextChoices):
    STRICT = "strict", _("Ưu tiên tuyệt đối")
    INTERLEAVE = "interleave", _("Xen kẽ, không để số thường chờ quá lâu")


class QueueConfig(models.Model):
    """The queue rules of one service point; a point without a row uses the defaults below."""

    service_point = models.OneToOneField("org.ServicePoint", on_delete=models.CASCADE, related_name="queue_config",
                                         verbose_name=_("điểm tiếp nhận"))
    ordering_policy = models.CharField(_("thứ tự gọi số"), max_length=12, choices=OrderingPolicy.choices,
                                       default=OrderingPolicy.INTERLEAVE)
    max_priority_streak = models.PositiveSmallIntegerField(
        _("số lượt ưu tiên liên tiếp tối đa"), default=3,
        help_text=_("Chính sách xen kẽ: sau chừng này lượt ưu tiên liền nhau, quầy gọi một số thường nếu có."))
    tickets_per_person_per_day = models.PositiveSmallIntegerField(
        _("số lượt lấy số tối đa mỗi người mỗi ngày"), default=2,
        help_text=_("Tính chung lấy số tại quầy, tại kiosk và đặt trực tuyến."))
    device_flag_threshold = models.PositiveSmallIntegerField(
        _("ngưỡng cảnh báo theo thiết bị"), default=6,
        help_text=_("Số lượt lấy số trong ngày từ một thiết bị (trừ kiosk của trung tâm) để gắn cờ nghi vấn."))
    phone_flag_threshold = models.PositiveSmallIntegerField(
        _("ngưỡng cảnh báo theo số điện thoại"), default=3,
        help_text=_("Số người khác nhau dùng chung một số điện thoại trong ngày để gắn cờ nghi vấn."))
    enforce_capacity = models.BooleanField(
        _("ngừng cấp số khi hết khả năng phục vụ"), default=True)
    walk_in_priority_only = models.BooleanField(
        _("chỉ cấp số trực tiếp cho đối tượng ưu tiên"), default=False,
        help_text=_("Kiosk từ chối số thường và hướng dẫn công dân đặt lịch trực tuyến."))
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("số ngày được đặt trước"), default=6, help_text=_("Đặt lịch cho hôm nay hoặc tối đa chừng này ngày tới."))
    booking_opens = models.TimeField(_("giờ bắt đầu nhận lịch hẹn"), default=datetime.time(8, 0))
    booking_closes = models.TimeField(_("giờ kết thúc nhận lịch hẹn"), default=datetime.time(16, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("độ dài khung giờ (phút)"), default=30,
                                                    choices=[(15, "15"), (30, "30")])
    check_in_before_minutes = models.PositiveSmallIntegerField(
        _("được xác nhận có mặt trước giờ hẹn (phút)"), default=30)
    check_in_grace_minutes = models.PositiveSmallIntegerField(
        _("thời gian chờ sau giờ hẹn (phút)"), default=15,
        help_text=_("Quá thời gian này mà chưa xác nhận có mặt thì lịch hẹn bị hủy để nhường chỗ."))
    reminder_minutes = models.PositiveSmallIntegerField(_("nhắc lịch trước giờ hẹn (phút)"), default=60)
    priority_counters_serve_regular = models.BooleanField(
        _("quầy ưu tiên phục vụ số thường khi không còn ai ưu tiên chờ"), default=False,
        help_text=_("Tắt: quầy dành cho đối tượng ưu tiên chỉ gọi số ưu tiên, kể cả khi không còn ai ưu tiên chờ."))

    class Meta:
        verbose_name = _("quy tắc xếp hàng")
        verbose_name_plural = _("quy tắc xếp hàng")

    def __str__(self) -> str:
        return str(self.service_point)


DEFAULT_CONFIG = QueueConfig(ordering_policy=OrderingPolicy.INTERLEAVE, max_priority_streak=3,
                             tickets_per_person_per_day=2, device_flag_threshold=6, phone_flag_threshold=3,
                             enforce_capacity=True, walk_in_priority_only=False, booking_days_ahead=6,
                             booking_opens=datetime.time(8, 0), booking_closes=datetime.time(16, 0), slot_minutes=30,
                             check_in_before_minutes=30, check_in_grace_minutes=15, reminder_minutes=60,
                             priority_counters_serve_regular=False)


class Lane(models.TextChoices):
    IN_PERSON = "in_person", _("Công dân trực tiếp")
    REPRESENTATIVE = "representative", _("Người được ủy quyền")


class CounterState(models.Model):
    """What a counter is doing now: open, paused or closed, and who operates it.

    What it serves (role, groups, lanes, priority reservation) is planned on `org.Counter`.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        PAUSED = "paused", _("Tạm dừng")
        CLOSED = "closed", _("Đóng")

    counter = models.OneToOneField("org.Counter", on_delete=models.CASCADE, related_name="queue_state",
                                   verbose_name=_("quầy"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("cán bộ"))
    priority_streak = models.PositiveSmallIntegerField(default=0, editable=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trạng thái quầy")
        verbose_name_plural = _("trạng thái quầy")

    def __str__(self) -> str:
        return f"{self.counter} ({self.get_status_display()})"


class Ticket(models.Model):
    """A queue number (số thứ tự), bound to one person for one day at one service point."""

    # The (position, wait) a ticket was issued with, for the answer of the same request (not stored).
    issued_estimate: tuple[int, int | None] | None = None

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk lấy số")
        RECEPTION = "reception", _("Bàn đón tiếp")
        BOOKING = "booking", _("Đặt lịch trực tuyến")

    class Priority(models.TextChoices):
        NONE = "", _("Không")
        ELDERLY = "elderly", _("Người cao tuổi")
        PREGNANT = "pregnant", _("Phụ nữ mang thai")
        SMALL_CHILD = "small_child", _("Người đi cùng con nhỏ")
        DISABILITY = "disability", _("Người khuyết tật")
        MERIT = "merit", _("Cựu chiến binh, người có công")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đã gọi")
        SERVING = "serving", _("Đang phục vụ")
        DONE = "done", _("Đã phục vụ")
        NO_SHOW = "no_show", _("Vắng mặt")
        REFUSED = "refused", _("Từ chối (không đúng người)")

    OPEN_STATUSES = (Status.WAITING, Status.CALLED, Status.SERVING)
    AT_COUNTER = (Status.CALLED, Status.SERVING)

    service_point = models.ForeignKey("org.ServicePoint", on_delete=models.PROTECT, related_name="tickets",
                                      verbose_name=_("điểm tiếp nhận"))
    group = models.ForeignKey("org.ServiceGroup", on_delete=models.PROTECT, related_name="tickets",
                              verbose_name=_("nhóm dịch vụ"))
    day = models.DateField(_("ngày"))
    sequence = models.PositiveIntegerField(_("số trong ngày"))
    number = models.CharField(_("số thứ tự"), max_length=12)
    token = models.CharField(max_length=24, unique=True, default=_public_token, editable=False)
    # NULL: a source not recorded (tickets imported from an older system); bookings say "booking".
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, null=True,  # noqa: DJ001
                              blank=True)
    booking_reference = models.CharField(_("mã đặt lịch"), max_length=40, blank=True)
    # The start of the booked slot: from then on the ticket is called ahead of walk-ins of its class.
    booked_for = models.DateTimeField(_("giờ hẹn"), null=True, blank=True)
    lane = models.CharField(_("luồng"), max_length=16, choices=Lane.choices, default=Lane.IN_PERSON)
    priority = models.CharField(_("đối tượng ưu tiên"), max_length=12, choices=Priority.choices, blank=True,
                                default=Priority.NONE)
    priority_confirmed = models.BooleanField(_("đã xác nhận ưu tiên"), null=True, blank=True)
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    device = models.CharField(_("thiết bị"), max_length=64, blank=True)
    identity_confirmed_at = models.DateTimeField(_("xác nhận đúng người lúc"), null=True, blank=True)
    flagged = models.BooleanField(_("nghi vấn"), default=False)
    flag_reason = models.CharField(_("lý do nghi vấn"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.WAITING)
    counter = models.ForeignKey("org.Counter", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tickets", verbose_name=_("quầy"))
    target_counter = models.ForeignKey(
        "org.Counter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("chuyển đến quầy"), help_text=_("Chỉ quầy này được gọi số sau khi chuyển."))
    transfer_count = models.PositiveSmallIntegerField(default=0)
    call_count = models.PositiveSmallIntegerField(default=0)
    estimated_wait_minutes = models.PositiveIntegerField(_("dự kiến chờ khi lấy số (phút)"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(_("lấy số lúc"), default=timezone.now)
    # The place in the queue: issued_at, kept on transfer so a transferred citizen is not sent back.
    queued_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    # The first call: the end of the real wait (a recall or a transfer later moves `called_at`, not this).
    first_called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("bắt đầu phục vụ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc phục vụ"), null=True, blank=True)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["-day", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service_point", "day", "number"], name="unique_ticket_number_per_day"),
            models.CheckConstraint(condition=~Q(national_id="", phone=""), name="ticket_bound_to_person"),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(counter__isnull=False),
                name="ticket_called_has_counter"),
        ]
        indexes = [
            models.Index(fields=["service_point", "status", "queued_at"], name="ticket_queue_idx"),
            models.Index(fields=["day", "national_id"], name="ticket_person_day_idx"),
            models.Index(fields=["day", "phone"], name="ticket_phone_day_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_priority(self) -> bool:
        return bool(self.priority) and self.priority_confirmed is not False

    @property
    def masked_national_id(self) -> str:
        return mask(self.national_id)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def service_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class WaitEstimate(models.Model):
    """A wait estimate a ticket was shown: at issue, then at each later display (the slip, the API).

    Judged against the real wait (`Ticket.first_called_at`) by planning's report, beside the naive
    estimate of the same moment (waiting tickets of the group × its configured average ÷ open counters).
    Numbers only: nothing here says who the ticket belongs to.
    """

    class Moment(models.TextChoices):
        ISSUE = "issue", _("Khi lấy số")
        DISPLAY = "display", _("Khi xem lại")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="wait_estimates",
                               verbose_name=_("số thứ tự"))
    moment = models.CharField(_("thời điểm"), max_length=8, choices=Moment.choices)
    shown_at = models.DateTimeField(_("hiển thị lúc"))
    position = models.PositiveIntegerField(_("vị trí"))
    # NULL: no counter was open ("chưa ước tính được").
    minutes = models.PositiveIntegerField(_("dự kiến chờ (phút)"), null=True, blank=True)
    naive_minutes = models.PositiveIntegerField(_("ước tính đơn giản (phút)"), null=True, blank=True)

    class Meta:
        verbose_name = _("dự kiến thời gian chờ")
        verbose_name_plural = _("dự kiến thời gian chờ")
        indexes = [models.Index(fields=["ticket", "shown_at"], name="wait_estimate_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.moment} {self.minutes}"


class PersonDayQuota(models.Model):
    """Tickets taken by one person (a keyed hash of the ID or phone) on one day, all channels together.

    The limit is enforced with one upsert on this row that increments it only below the limit
    (`services.issuing._take_quota`), which is atomic on both databases.
    """

    key = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("hạn mức lấy số theo ngày")
        verbose_name_plural = _("hạn mức lấy số theo ngày")
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="unique_person_day_quota")]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.day}: {self.count}"


class BookingSlot(models.Model):
    """Places taken in one slot (point, group, start): the row the conditional UPDATE serialises on."""

    service_point = models.ForeignKey("org.ServicePoint", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("org.ServiceGroup", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("khung giờ đặt lịch")
        verbose_name_plural = _("khung giờ đặt lịch")
        constraints = [models.UniqueConstraint(fields=["service_point", "group", "starts_at"],
                                               name="unique_booking_slot")]

    def __str__(self) -> str:
        return f"{self.service_point_id}/{self.group_id} {self.starts_at:%Y-%m-%d %H:%M}: {self.booked}"


def _booking_public_id() -> str:
    return secrets.token_urlsafe(12)


class Booking(models.Model):
    """A queue number booked online for a slot, bound to a national ID; confirmed by a one-time code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận mã OTP")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        CHECKED_IN = "checked_in", _("Đã đến và nhận số")
        CANCELLED = "cancelled", _("Đã hủy")
        RELEASED = "released", _("Quá hạn, đã hủy")

    HOLDING = (Status.PENDING, Status.CONFIRMED)

    public_id = models.CharField(max_length=24, unique=True, default=_booking_public_id, editable=False)
    code = models.CharField(_("mã đặt lịch"), max_length=12, unique=True)
    service_point = models.ForeignKey("org.ServicePoint", on_delete=models.PROTECT, related_name="bookings",
                                      verbose_name=_("điểm tiếp nhận"))
    group = models.ForeignKey("org.ServiceGroup", on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("nhóm dịch vụ"))
    procedure = models.ForeignKey("catalog.Procedure", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("thủ tục"))
    day = models.DateField(_("ngày hẹn"))
    starts_at = models.DateTimeField(_("giờ hẹn"))
    ends_at = models.DateTimeField(_("hết khung giờ"))
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    phone = models.CharField(_("điện thoại"), max_length=15)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    otp_hash = models.CharField(max_length=64, editable=False)
    otp_expires_at = models.DateTimeField()
    otp_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("đặt lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("nhắc lịch lúc"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    ticket = models.OneToOneField(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking",
                                  verbose_name=_("số thứ tự"))

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="booking_status_start_idx"),
            models.Index(fields=["day", "national_id"], name="booking_person_day_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def masked_national_id(self) -> str:
        return mask(self.national_id)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Device(models.Model):
    """A hall device paired by an officer of the branch: a kiosk issuing numbers, or a counter's rating tablet.

    The device proves itself with a random key (a cookie in its browser, or the X-Device-Key header of
    the API); only the key's hash is kept. Revoking the row ends the pairing at once.
    """

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk lấy số")
        TABLET = "tablet", _("Máy tính bảng đánh giá")

    kind = models.CharField(_("loại thiết bị"), max_length=10, choices=Kind.choices)
    service_point = models.ForeignKey("org.ServicePoint", on_delete=models.CASCADE, related_name="devices",
                                      verbose_name=_("điểm tiếp nhận"))
    counter = models.ForeignKey("org.Counter", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="devices", verbose_name=_("quầy"),
                                help_text=_("Chỉ với máy tính bảng đánh giá: quầy mà máy đặt tại đó."))
    name = models.CharField(_("tên thiết bị"), max_length=100, blank=True)
    key_prefix = models.CharField(_("đầu khóa"), max_length=12, editable=False,
                                  help_text=_("Vài ký tự đầu của khóa, để nhận ra thiết bị; khóa đầy đủ không được lưu."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người ghép nối"))
    created_at = models.DateTimeField(_("ghép nối lúc"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("hoạt động gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người thu hồi"))

    class Meta:
        verbose_name = _("thiết bị đã ghép nối")
        verbose_name_plural = _("thiết bị đã ghép nối")
        ordering = ["service_point", "kind", "-created_at"]
        constraints = [
            # A tablet belongs to one counter; a kiosk to the whole service point.
            models.CheckConstraint(condition=Q(kind="tablet", counter__isnull=False)
                                   | Q(kind="kiosk", counter__isnull=True), name="device_counter_for_tablet_only"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name or self.key_prefix} ({self.service_point})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
