"""Dossiers (hồ sơ): what was filed, by whom, where it is on its route, and how it ended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, RequiredDocument, RouteStep
from motcua.core.codes import new_tracking_key, printed_tracking_key
from motcua.org.models import AdministrativeUnit, Agency, Branch, Person, ServicePoint

# The folders of the stored uploads (core.uploads): documents filed and results issued.
DOCUMENT_FOLDER = "dossiers"
RESULT_FOLDER = "results"


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại quầy")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Qua bưu chính")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")


class State(models.TextChoices):
    NEW = "new", _("Mới đăng ký (chưa tiếp nhận)")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    FINANCIAL_PENDING = "financial_pending", _("Chờ thực hiện nghĩa vụ tài chính")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt, chờ kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


FINAL_STATES = frozenset({State.NOT_RECEIVED, State.RETURNED, State.WITHDRAWN, State.STOPPED})
OPEN_STATES = frozenset(State.values) - FINAL_STATES
# The open states in a fixed order: the condition of the partial indexes on open dossiers. A query uses
# them when it filters on `state__in=OPEN_STATE_LIST` (or on some of these states); the list's order
# keeps the migrations and the SQL text stable.
OPEN_STATE_LIST = sorted(OPEN_STATES)
OPEN_DOSSIER = Q(state__in=OPEN_STATE_LIST)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại quầy")
    POST = "post", _("Qua bưu chính")
    ELECTRONIC = "electronic", _("Bản điện tử")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    # The secret printed on slip 01 beside the code: public tracking needs both (docs/security.md).
    tracking_key = models.CharField(_("mã tra cứu"), max_length=16, default=new_tracking_key, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name=_("thủ tục"))
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=24, choices=State.choices, db_index=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    applicant_kind = models.CharField(_("loại người nộp"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("tên người nộp"), max_length=200)
    # The name without diacritics, lower case (core.text.fold): what the inbox searches ("tran thi binh").
    applicant_name_folded = models.CharField(max_length=200, blank=True, editable=False)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=14)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # A person's gender (digit 4 of the national ID agrees with it); empty for an organisation.
    applicant_gender = models.CharField(_("giới tính"), max_length=6, blank=True, choices=Person.Gender.choices)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    applicant_commune = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("xã, phường"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers",
                               verbose_name=_("công dân"))
    representative_name = models.CharField(_("người được ủy quyền"), max_length=200, blank=True)
    representative_id_number = models.CharField(_("số định danh người được ủy quyền"), max_length=12, blank=True)
    representative_phone = models.CharField(_("điện thoại người được ủy quyền"), max_length=20, blank=True)
    registry_used = models.BooleanField(_("đã khai thác CSDL dân cư"), default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="dossiers", verbose_name=_("tài khoản nộp trực tuyến"))

    competent_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers",
                                         verbose_name=_("cơ quan có thẩm quyền"))
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
                               verbose_name=_("chi nhánh tiếp nhận"))
    service_point = models.ForeignKey(ServicePoint, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="dossiers", verbose_name=_("điểm tiếp nhận"))
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    # What the applicant declared for the fees at intake (units, copies, declared values, exemptions
    # claimed and whether their evidence was seen): `catalog.fees.declaration_of`; the invoice and slip 01 read it.
    fee_declaration = models.JSONField(_("kê khai tính phí"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("cán bộ tiếp nhận"))
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu (trước khi xin lỗi)"), null=True, blank=True)
    apology_reason = models.TextField(_("lý do chậm"), blank=True)
    current_step = models.ForeignKey("DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("bước hiện tại"))

    decision_reason = models.TextField(_("lý do (từ chối, dừng, rút)"), blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=f"{RESULT_FOLDER}/%Y/%m/", blank=True)
    result_ready_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    return_method = models.CharField(_("hình thức trả"), max_length=12, choices=ReturnMethod.choices, blank=True)
    returned_to = models.CharField(_("người nhận kết quả"), max_length=200, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("cán bộ trả kết quả"))
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["branch", "state"]), models.Index(fields=["competent_agency", "state"]),
            # The inboxes read open dossiers only: these stay as small as the backlog whatever the history.
            models.Index(fields=["branch"], condition=OPEN_DOSSIER, name="dossier_open_by_branch"),
            models.Index(fields=["competent_agency"], condition=OPEN_DOSSIER, name="dossier_open_by_agency"),
            models.Index(fields=["current_step"], condition=OPEN_DOSSIER, name="dossier_open_by_step"),
            # The register (form 07) reads a period of reception, of a branch or an agency.
            models.Index(fields=["received_at"], name="dossier_received"),
            models.Index(fields=["branch", "received_at"], name="dossier_branch_received"),
            models.Index(fields=["competent_agency", "received_at"], name="dossier_agency_received"),
            # The leaders' figures read the results of a period and the returns of the day (insights).
            models.Index(fields=["result_ready_at"], name="dossier_result_ready"),
            models.Index(fields=["returned_at"], name="dossier_returned"),
            # A citizen's own dossiers, found by their national ID (selectors.visible_dossiers, the portal).
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="dossier_version_positive"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="dossier_state_known"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="dossier_channel_known"),
            # Received means a receipt time; returned means who took the result and how.
            models.CheckConstraint(condition=Q(state__in=["new", "not_received"]) | Q(received_at__isnull=False)
                                   | Q(state="withdrawn"), name="dossier_received_has_time"),
            models.CheckConstraint(condition=~Q(state="returned") | (Q(returned_at__isnull=False)
                                   & ~Q(return_method="")), name="dossier_returned_has_method"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def printed_tracking_key(self) -> str:
        return printed_tracking_key(self.tracking_key)

    def tracking_path(self) -> str:
        """The public tracking page of this dossier with its key (what the QR code of the slips opens)."""
        return f"{reverse('tracking-code', args=[self.code])}?key={self.printed_tracking_key}"


class DossierDocument(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Tệp tải lên")
        SUPPLEMENT = "supplement", _("Bổ sung")
        SHOWN = "shown", _("Xuất trình tại quầy")
        REGISTRY = "registry", _("Khai thác CSDL dân cư")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    position = models.PositiveSmallIntegerField(_("thứ tự trong danh mục"))
    name = models.TextField(_("tên giấy tờ"))
    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices)
    file = models.FileField(_("tệp"), upload_to=f"{DOCUMENT_FOLDER}/%Y/%m/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    content_type = models.CharField(_("định dạng"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "position", "id"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One pass of the dossier through a route step (a step sent back and redone gets a new row)."""

    class Outcome(models.TextChoices):
        FORWARDED = "forwarded", _("Chuyển bước tiếp")
        SENT_BACK = "sent_back", _("Trả lại bước trước")
        APPROVED = "approved", _("Phê duyệt")
        REFUSED = "refused", _("Từ chối")
        CLOSED = "closed", _("Kết thúc")
        REASSIGNED = "reassigned", _("Chuyển cơ quan giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    route_step = models.ForeignKey(RouteStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(_("thứ tự bước"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=20, choices=RouteStep.Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("cán bộ thụ lý"))
    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    due_at = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "started_at", "id"]
        constraints = [
            # At most one open step per dossier.
            models.UniqueConstraint(fields=["dossier"], condition=Q(finished_at__isnull=True),
                                    name="one_open_step_per_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}:{self.position} {self.name}"


class Consultation(models.Model):
    """A question to another agency (liên thông); the step waits until it is answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    step = models.ForeignKey(DossierStep, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations",
                               verbose_name=_("cơ quan được hỏi ý kiến"))
    question = models.TextField(_("nội dung xin ý kiến"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.TextField(_("ý kiến trả lời"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("xin ý kiến liên thông")
        verbose_name_plural = _("xin ý kiến liên thông")
        ordering = ["dossier", "asked_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


class SupplementRequest(models.Model):
    """The one supplement request a dossier may get, listing everything missing (form 02)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="supplement")
    items = models.JSONField(_("nội dung cần bổ sung"), help_text=_("Danh sách {name, reason}."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    resume_state = models.CharField(max_length=24, choices=State.choices)
    supplied_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        constraints = [models.CheckConstraint(condition=Q(supplied_at__isnull=True)
                                              | Q(supplied_at__gte=models.F("requested_at")),
                                              name="supplement_supplied_after_request")]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class SlipNumber(models.Model):
    """The number an official slip got in its numbering book (sổ): one book per branch, form and year.

    Numbers are taken inside the transaction of the event that issues the slip, so they have no gaps;
    a dossier has at most one slip of each form (a supplement, a refusal, an apology, a stop are
    each issued once).
    """

    class Form(models.TextChoices):
        RECEIPT = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        SUPPLEMENT = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "03", _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ")
        APOLOGY = "04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        STOP = "05", _("Phiếu dừng xử lý hồ sơ")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="slip_numbers")
    form = models.CharField(_("biểu mẫu"), max_length=2, choices=Form.choices)
    book = models.CharField(_("quyển số"), max_length=20)
    number = models.PositiveIntegerField(_("số"))
    issued_at = models.DateTimeField(_("cấp số lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("số phiếu")
        verbose_name_plural = _("số phiếu")
        ordering = ["book", "form", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "form"], name="one_slip_number_per_form"),
            models.UniqueConstraint(fields=["book", "form", "number"], name="unique_slip_number_in_book"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.book} ({self.form})"


class PortalImport(models.Model):
    """A filing of the national portal taken in once: the dossier it became, or why it could not be.

    The unique reference keeps the import idempotent, also when two runs of the pull job meet the
    same filing: the second one's insert fails and it acknowledges the first one's dossier.
    """

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("đã tiếp nhận")
        REJECTED = "rejected", _("không tiếp nhận được")

    reference = models.CharField(_("mã hồ sơ trên Cổng quốc gia"), max_length=100, unique=True)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="portal_imports")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("mã lý do"), max_length=60, blank=True)
    problems = models.JSONField(_("mã các lỗi"), default=list, blank=True)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng quốc gia")
        verbose_name_plural = _("hồ sơ nhận từ Cổng quốc gia")
        constraints = [models.CheckConstraint(condition=Q(outcome="imported") | Q(dossier__isnull=True),
                                              name="portal_rejection_has_no_dossier")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.outcome})"


class DeadlineFlag(models.Model):
    """The inboxes were told that a deadline of the dossier became near or passed (once per deadline)."""

    class Target(models.TextChoices):
        APPOINTMENT = "appointment", _("ngày hẹn trả")
        STEP = "step", _("hạn bước xử lý")

    class Level(models.TextChoices):
        NEAR = "near", _("sắp đến hạn")
        OVERDUE = "overdue", _("quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_flags")
    target = models.CharField(_("hạn"), max_length=12, choices=Target.choices)
    level = models.CharField(_("mức"), max_length=8, choices=Level.choices)
    due_at = models.DateTimeField(_("hạn lúc"))
    flagged_at = models.DateTimeField(_("báo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("cảnh báo hạn")
        verbose_name_plural = _("cảnh báo hạn")
        constraints = [models.UniqueConstraint(fields=["dossier", "target", "level", "due_at"],
                                               name="one_flag_per_deadline_and_level")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.target} {self.level}"


def referenced_files(names: list[str]) -> set[str]:
    """Which of these stored names a dossier's document or result still names (core.uploads' sweep)."""
    found = set(DossierDocument.objects.filter(file__in=names).values_list("file", flat=True))
    found |= set(Dossier.objects.filter(result_file__in=names).values_list("result_file", flat=True))
    return found
