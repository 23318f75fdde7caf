"""Planning: the staffing plans branch leaders save for a day at a service point."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffingPlan(models.Model):
    """The counters a branch leader plans for each service group, hour by hour, on one day at one point.

    Booking capacity and the capacity guarantee of that day follow it (`planning.selectors.staffing`).
    `expected` keeps what the simulation expected of the plan when it was saved, for the comparison
    with what happened.
    """

    service_point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.CASCADE,
        related_name="staffing_plans",
        verbose_name=_("điểm tiếp nhận"),
    )
    day = models.DateField(_("ngày"))
    wait_target_minutes = models.PositiveSmallIntegerField(_("mục tiêu thời gian chờ (phút)"))
    wait_target_percent = models.PositiveSmallIntegerField(_("tỷ lệ công dân đạt mục tiêu (%)"))
    expected = models.JSONField(_("kết quả mô phỏng khi lưu"), default=dict, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người lưu"),
    )
    saved_at = models.DateTimeField(_("lưu lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kế hoạch bố trí quầy")
        verbose_name_plural = _("kế hoạch bố trí quầy")
        ordering = ["-day", "service_point"]
        constraints = [
            models.UniqueConstraint(fields=["service_point", "day"], name="unique_staffing_plan_per_day"),
            models.CheckConstraint(
                condition=Q(wait_target_percent__gte=1, wait_target_percent__lte=100),
                name="staffing_plan_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_point} {self.day:%d/%m/%Y}"


class StaffingPlanHour(models.Model):
    """How many counters serve one group during one hour of the plan's day."""

    plan = models.ForeignKey(StaffingPlan, on_delete=models.CASCADE, related_name="hours")
    group = models.ForeignKey(
        "org.ServiceGroup", on_delete=models.CASCADE, related_name="+", verbose_name=_("nhóm dịch vụ")
    )
    hour = models.PositiveSmallIntegerField(_("giờ"), help_text=_("Giờ bắt đầu: 8 là 08:00–09:00."))
    counters = models.PositiveSmallIntegerField(_("số quầy"))

    class Meta:
        verbose_name = _("số quầy theo giờ")
        verbose_name_plural = _("số quầy theo giờ")
        ordering = ["plan", "group", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "group", "hour"], name="unique_staffing_plan_hour"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="staffing_plan_hour_range"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.group_id} {self.hour:02d}:00 ×{self.counters}"
