"""What exists: administrative units, the center and its places, agencies and people."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.worktime import DEFAULT_PERIODS, Period


class AdministrativeUnit(models.Model):
    """A province or commune (two-tier government since 1/7/2025), or a former unit kept for old addresses."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Quận, huyện (trước 1/7/2025)")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=10, help_text=_("Mã đơn vị hành chính của Cục Thống kê."))
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=40, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("thuộc"))
    is_current = models.BooleanField(_("đang hiệu lực"), default=True)
    successors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="predecessors",
                                        verbose_name=_("đơn vị mới"))

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "is_current"], name="unique_unit_code_per_level"),
        ]

    def __str__(self) -> str:
        return self.name if self.is_current else f"{self.name} ({_('cũ')})"


class Center(models.Model):
    """A Public Administrative Service Center (one deployment usually serves one province)."""

    class ResumeMode(models.TextChoices):
        RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ")
        RESUME = "resume", _("Tính tiếp thời gian đã dùng")

    code = models.SlugField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80)
    motto = models.CharField(_("phương châm"), max_length=200, blank=True)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "province", "is_current": True},
                                 verbose_name=_("tỉnh, thành phố"))
    e_id_suffix = models.CharField(_("mã định danh tỉnh"), max_length=10,
                                   help_text=_("Phần cấp 1 của mã định danh điện tử theo QCVN 102:2016, ví dụ H26."))
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    working_periods = models.JSONField(
        _("giờ làm việc"), default=list,
        help_text=_('Các khoảng làm việc trong ngày, ví dụ [["08:00", "12:00"], ["13:00", "17:00"]].'))
    cutoff_time = models.TimeField(_("giờ chốt tiếp nhận"), null=True, blank=True,
                                   help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo."))
    last_hour_counts_next_day = models.BooleanField(
        _("giờ làm việc cuối ngày tính từ ngày hôm sau"), default=False,
        help_text=_("Hồ sơ nhận trong giờ làm việc cuối cùng của ngày được tính từ ngày làm việc tiếp theo."))
    resume_mode = models.CharField(_("khi nhận đủ hồ sơ bổ sung"), max_length=10, choices=ResumeMode.choices,
                                   default=ResumeMode.RESTART)
    slip_prefix = models.CharField(
        _("tiền tố số phiếu"), max_length=8, blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{1,8}$", _("Chỉ gồm chữ in hoa không dấu và chữ số."))],
        help_text=_("Đứng trước đơn vị đánh số của phiếu, biên lai (ví dụ DN: 0001/TNHS-DN-CN01); "
                    "để trống: CN01, TT."))

    class Meta:
        verbose_name = _("trung tâm")
        verbose_name_plural = pgettext_lazy("plural", "trung tâm")

    def __str__(self) -> str:
        return self.short_name


class Agency(models.Model):
    """A competent agency: a department, the police, a commune People's Committee …"""

    class Kind(models.TextChoices):
        CENTER = "center", _("Trung tâm phục vụ hành chính công")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        POLICE = "police", _("Công an")
        TAX = "tax", _("Thuế")
        SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
        COMMUNE = "commune", _("UBND xã, phường")
        OTHER = "other", _("Khác")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    e_id = models.CharField(_("mã định danh điện tử"), max_length=20, unique=True,
                            help_text=_("Theo QCVN 102:2016, dùng trong mã hồ sơ."))
    commune = models.OneToOneField(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="people_committee", verbose_name=_("xã, phường"))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name


class ServiceGroup(models.Model):
    """A group of fields served by the same counters and numbered together (e.g. B = land)."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="service_groups",
                               verbose_name=_("trung tâm"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=120)
    letter = models.CharField(_("chữ cái số thứ tự"), max_length=2)
    average_service_minutes = models.PositiveSmallIntegerField(_("thời gian phục vụ trung bình (phút)"), default=12)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = pgettext_lazy("plural", "nhóm dịch vụ")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="unique_group_code"),
            models.UniqueConstraint(fields=["center", "letter"], name="unique_group_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} – {self.name}"


class Branch(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="branches",
                               verbose_name=_("trung tâm"))
    number = models.PositiveSmallIntegerField(_("số"))
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    opened_on = models.DateField(_("khai trương"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("chi nhánh")
        verbose_name_plural = pgettext_lazy("plural", "chi nhánh")
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="unique_branch_number")]

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    """A place where citizens are received (a branch has one or more)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="service_points",
                               verbose_name=_("chi nhánh"))
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=250)
    commune = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"level": "commune", "is_current": True},
                                verbose_name=_("xã, phường"))
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("điểm tiếp nhận")
        verbose_name_plural = pgettext_lazy("plural", "điểm tiếp nhận")
        ordering = ["branch__number", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="service_point_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="service_point_longitude_range"),
        ]

    def __str__(self) -> str:
        return self.name


def _as_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or len(value.strip()) != 5:
        raise ValueError(value)
    return dt.time.fromisoformat(value.strip())


def parse_day_periods(periods: Any) -> tuple[Period, ...]:
    """Periods of a day written as [["08:00", "12:00"], …] (JSON) as (start, end) times; ValueError if not."""
    if not isinstance(periods, (list, tuple)):
        raise ValueError(periods)
    parsed = []
    for period in periods:
        if not isinstance(period, (list, tuple)) or len(period) != 2:
            raise ValueError(period)
        parsed.append((_as_time(period[0]), _as_time(period[1])))
    return tuple(parsed)


def center_periods(center: Center) -> tuple[Period, ...]:
    """The center's working periods (the working calendar's default hours when it names none)."""
    return parse_day_periods(center.working_periods) if center.working_periods else DEFAULT_PERIODS


def planned_periods_problem(periods: Any, working: tuple[Period, ...]) -> str | None:
    """What is wrong with a counter's planned periods against the center's `working` periods, or None.

    One of "format" (not [["HH:MM", "HH:MM"], …]), "order" (a period that ends before it starts, or periods
    out of order), "overlap", "outside" (a period not inside one of the center's working periods).
    """
    try:
        parsed = parse_day_periods(periods)
    except ValueError:
        return "format"
    previous_start = previous_end = dt.time.min
    for start, end in parsed:
        if not start < end:
            return "order"
        if start < previous_end:
            return "overlap" if start >= previous_start else "order"
        previous_start, previous_end = start, end
        if not any(w_start <= start and end <= w_end for w_start, w_end in working):
            return "outside"
    return None


class Counter(models.Model):
    """A counter of a service point, as planned: its role, the groups and lanes it serves, a priority reservation.

    Only intake counters (`reception`) call the numbers of their groups; fee, result, consultation and
    digitisation counters call the numbers sent to them. A counter reserved for priority cases calls
    only those (see `queueing.services.calling`).
    """

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Tiếp nhận hồ sơ")
        FEE = "fee", _("Thu phí, lệ phí")
        RESULT = "result", _("Trả kết quả")
        CONSULTATION = "consultation", _("Tư vấn, hướng dẫn")
        DIGITISATION = "digitisation", _("Tự số hóa")

    class Lanes(models.TextChoices):
        ALL = "all", _("Mọi luồng")
        IN_PERSON = "in_person", _("Chỉ công dân trực tiếp")
        REPRESENTATIVE = "representative", _("Chỉ người được ủy quyền")

    service_point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="counters",
                                      verbose_name=_("điểm tiếp nhận"))
    number = models.PositiveSmallIntegerField(_("số quầy"))
    kind = models.CharField(_("loại quầy"), max_length=20, choices=Kind.choices, default=Kind.RECEPTION)
    service_groups = models.ManyToManyField(ServiceGroup, blank=True, related_name="counters",
                                            verbose_name=_("nhóm dịch vụ"))
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="counters",
                               verbose_name=_("cơ quan cử cán bộ"))
    lanes = models.CharField(_("luồng phục vụ"), max_length=16, choices=Lanes.choices, default=Lanes.ALL)
    priority_only = models.BooleanField(
        _("dành cho đối tượng ưu tiên"), default=False,
        help_text=_("Quầy dành riêng cho người cao tuổi, người có công …: chỉ gọi số ưu tiên (trừ khi không còn "
                    "ai ưu tiên chờ và điểm tiếp nhận cho phép phục vụ số thường)."))
    planned_periods = models.JSONField(
        _("giờ mở quầy theo kế hoạch"), default=list, blank=True,
        help_text=_('Các khoảng quầy mở trong ngày, nằm trong giờ làm việc của trung tâm, ví dụ [["08:00", '
                    '"12:00"]] cho quầy chỉ mở buổi sáng. Để trống: quầy mở suốt giờ làm việc của trung tâm.'))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = pgettext_lazy("plural", "quầy")
        ordering = ["service_point", "number"]
        constraints = [models.UniqueConstraint(fields=["service_point", "number"], name="unique_counter_number")]

    def __str__(self) -> str:
        return f"{_('Quầy')} {self.number} – {self.service_point}"

    PLANNED_PERIODS_MESSAGES = {
        "format": _('Ghi giờ mở quầy dạng [["08:00", "12:00"], ["13:00", "17:00"]].'),
        "order": _("Mỗi khoảng giờ mở quầy phải kết thúc sau khi bắt đầu, các khoảng xếp theo thứ tự thời gian."),
        "overlap": _("Các khoảng giờ mở quầy không được chồng lên nhau."),
        "outside": _("Mỗi khoảng giờ mở quầy phải nằm trong một khoảng giờ làm việc của trung tâm."),
    }

    def clean(self) -> None:
        super().clean()
        if self.planned_periods is None:  # an empty field of a form: the center's hours
            self.planned_periods = []
        if not self.planned_periods or self.service_point_id is None:
            return
        center = self.service_point.branch.center
        problem = planned_periods_problem(self.planned_periods, center_periods(center))
        if problem:
            raise ValidationError({"planned_periods": self.PLANNED_PERIODS_MESSAGES[problem]})

    def periods(self, center: Center | None = None) -> tuple[Period, ...]:
        """The counter's planned periods of a working day: its own, or the center's working hours.

        `center`: the counter's center when the caller has it (saves the queries).
        """
        if self.planned_periods:
            return parse_day_periods(self.planned_periods)
        return center_periods(center or self.service_point.branch.center)


class Officer(models.Model):
    """A staff member: belongs to an agency and may be seconded to a branch of the center."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer",
                                verbose_name=_("tài khoản"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers", verbose_name=_("cơ quan"))
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.SET_NULL, related_name="officers",
                               verbose_name=_("chi nhánh công tác"))
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = pgettext_lazy("plural", "cán bộ")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Person(models.Model):
    """A citizen known to the center (personal data: never shown on public pages or in logs)."""

    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"))
    gender = models.CharField(_("giới tính"), max_length=6, choices=Gender.choices)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    commune = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("xã, phường cư trú"))
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="person", verbose_name=_("tài khoản"))

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = pgettext_lazy("plural", "công dân")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name
