"""Citizens' satisfaction ratings of a service at a counter, one per queue ticket."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 500
SATISFIED_FROM = 4  # levels 4 (Hài lòng) and 5 (Rất hài lòng) count as satisfied


class Level(models.IntegerChoices):
    """The five-level scale used to survey satisfaction with public administrative services."""

    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


class Rating(models.Model):
    """One citizen's rating of one service (a finished ticket), tied to its counter and officer.

    The comment is free text typed by the citizen: it may contain personal data, so it is shown to
    staff only and never written to logs or public payloads.
    """

    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.PROTECT, related_name="rating",
                                  verbose_name=_("số thứ tự"))
    service_point = models.ForeignKey("org.ServicePoint", on_delete=models.PROTECT, related_name="ratings",
                                      verbose_name=_("điểm tiếp nhận"))
    counter = models.ForeignKey("org.Counter", on_delete=models.PROTECT, related_name="ratings",
                                verbose_name=_("quầy"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("cán bộ"))
    day = models.DateField(_("ngày phục vụ"))
    score = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Level.choices)
    comment = models.TextField(_("góp ý"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["service_point", "day"], name="rating_point_day_idx"),
            models.Index(fields=["counter", "day"], name="rating_counter_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"

    @property
    def satisfied(self) -> bool:
        return self.score >= SATISFIED_FROM
