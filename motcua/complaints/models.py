"""Complaints and petitions (phản ánh, kiến nghị): filed by anyone, answered by the responsible agency or
branch within the legal time, approved by its head, published without personal data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.codes import new_tracking_key, printed_tracking_key
from motcua.org.models import Agency, Branch

SUBJECT_MAX_LENGTH = 200
CONTENT_MAX_LENGTH = 5000


class Complaint(models.Model):
    class About(models.TextChoices):
        PROCEDURE = "procedure", _("Thủ tục")
        DOSSIER = "dossier", _("Hồ sơ")
        OFFICER = "officer", _("Cán bộ")
        COUNTER = "counter", _("Quầy phục vụ")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ANSWERED = "answered", _("Đã có dự thảo trả lời, chờ lãnh đạo duyệt")
        CLOSED = "closed", _("Đã trả lời")

    class Channel(models.TextChoices):
        WEB = "web", _("Trang web")
        API = "api", _("API")
        ASSISTANT = "assistant", _("Trợ lý ảo")
        ZALO = "zalo", _("Zalo OA")

    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    tracking_key = models.CharField(_("mã tra cứu"), max_length=16, default=new_tracking_key, editable=False)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    subject = models.CharField(_("tiêu đề"), max_length=SUBJECT_MAX_LENGTH)
    content = models.TextField(_("nội dung"))
    # The author: personal data, shown to the staff handling it only, never published.
    name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"), blank=True)
    about = models.CharField(_("về"), max_length=10, choices=About.choices, default=About.OTHER)
    about_reference = models.CharField(_("mã thủ tục, mã hồ sơ, số quầy…"), max_length=60, blank=True)
    publish = models.BooleanField(_("đồng ý công khai câu trả lời"), default=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints",
                               verbose_name=_("cơ quan trả lời"))
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints",
                               verbose_name=_("chi nhánh trả lời"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    reminded_at = models.DateTimeField(_("đã nhắc hạn lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("đã báo lãnh đạo (quá hạn) lúc"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("người soạn trả lời"))
    answered_at = models.DateTimeField(_("soạn trả lời lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("lãnh đạo duyệt"))
    closed_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    # What is published: the question with personal data removed (written once, when it is published).
    public_subject = models.CharField(_("tiêu đề công khai"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    public_content = models.TextField(_("nội dung công khai"), blank=True)
    rating = models.PositiveSmallIntegerField(_("đánh giá của người gửi"), null=True, blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "phản ánh, kiến nghị")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["published_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="complaint_rating_1_to_5"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False, approved_by__isnull=False),
                                   name="complaint_closed_is_approved"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def printed_tracking_key(self) -> str:
        return printed_tracking_key(self.tracking_key)

    @property
    def on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at <= self.due_at

# The folder of the stored attachments (core.uploads); never published, seen by the staff handling it.
ATTACHMENT_FOLDER = "complaints"
MAX_ATTACHMENTS = 5


class ComplaintAttachment(models.Model):
    """A file the author sent with the complaint (a photo, a scanned paper): checked by its content."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments",
                                  verbose_name=_("phản ánh, kiến nghị"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    file = models.FileField(_("tệp"), upload_to=f"{ATTACHMENT_FOLDER}/%Y/%m/")
    filename = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("tệp đính kèm phản ánh")
        verbose_name_plural = pgettext_lazy("plural", "tệp đính kèm phản ánh")
        ordering = ["complaint", "position"]
        constraints = [models.UniqueConstraint(fields=["complaint", "position"], name="complaint_attachment_position")]

    def __str__(self) -> str:
        return self.filename


def referenced_files(names: list[str]) -> set[str]:
    """Which of these stored names an attachment still names (core.uploads' sweep)."""
    return set(ComplaintAttachment.objects.filter(file__in=names).values_list("file", flat=True))
