"""The catalog of administrative procedures (danh mục thủ tục hành chính)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.org.models import Agency


class Field(models.Model):
    """A field of procedures (lĩnh vực), served at the counters of one service group."""

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    service_group = models.SlugField(_("nhóm dịch vụ"), max_length=40, blank=True,
                                     help_text=_("Mã nhóm dịch vụ tại quầy phục vụ lĩnh vực này."))

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    class Level(models.TextChoices):
        CENTRAL = "central", _("Cấp trung ương")
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        NONE = "none", _("Không trực tuyến")

    class Status(models.TextChoices):
        OPERATIONAL = "operational", _("Đang áp dụng tại trung tâm")
        REFERENCE = "reference", _("Tham khảo (Cổng DVC quốc gia)")

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=1200)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.OPERATIONAL)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"),
                              null=True, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="procedures",
                               verbose_name=_("cơ quan có thẩm quyền"))
    competent_by_commune = models.BooleanField(
        _("thẩm quyền theo xã của người nộp"), default=False,
        help_text=_("Cơ quan có thẩm quyền là UBND xã, phường nơi người nộp cư trú."))
    agency_text = models.CharField(_("cơ quan (theo nguồn)"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    processing_days = models.DecimalField(_("thời hạn giải quyết (ngày làm việc)"), max_digits=6, decimal_places=2,
                                          null=True, blank=True)
    processing_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    online_level = models.CharField(_("mức dịch vụ công trực tuyến"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    anywhere = models.BooleanField(_("tiếp nhận không phụ thuộc địa giới hành chính"), default=True)
    pay_before_processing = models.BooleanField(
        _("nộp phí trước khi giải quyết"), default=False,
        help_text=_("Hồ sơ chờ thực hiện nghĩa vụ tài chính cho đến khi nộp đủ phí, lệ phí."))
    filing_branches = models.JSONField(
        _("chi nhánh tiếp nhận"), default=list, blank=True,
        help_text=_("Khi không tiếp nhận phi địa giới: số các chi nhánh được tiếp nhận; để trống thì chỉ nơi "
                    "có điểm tiếp nhận ở xã, phường của người nộp."))
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    source_note = models.CharField(_("ghi chú nguồn"), max_length=300, blank=True)
    to_verify = models.JSONField(_("cần kiểm tra lại"), default=list, blank=True)
    import_problems = models.JSONField(_("thông tin chưa đọc được"), default=list, blank=True)
    ministry = models.CharField(_("bộ, ngành (nguồn)"), max_length=120, blank=True)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "level"])]
        constraints = [
            models.CheckConstraint(condition=Q(processing_days__isnull=True) | Q(processing_days__gte=0),
                                   name="procedure_processing_days_non_negative"),
            # An operational procedure must say who decides it and how long it takes.
            models.CheckConstraint(
                condition=Q(status="reference")
                | (Q(processing_days__isnull=False) & Q(field__isnull=False)
                   & (Q(agency__isnull=False) | Q(competent_by_commune=True))),
                name="operational_procedure_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class RequiredDocument(models.Model):
    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
        SHOWN = "shown", _("Xuất trình")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents",
                                  verbose_name=_("thủ tục"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.TextField(_("tên giấy tờ"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    registry_replaces = models.BooleanField(_("khai thác từ CSDL dân cư"), default=False,
                                            help_text=_("Không yêu cầu nộp khi CSDL quốc gia về dân cư có thông tin."))
    optional = models.BooleanField(_("tùy trường hợp"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "thành phần hồ sơ")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="unique_document_position")]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "charge", _("Lệ phí")
        FEE = "fee", _("Phí")

    class Basis(models.TextChoices):
        FIXED = "fixed", _("Mức cố định")
        PER_UNIT = "per_unit", _("Theo đơn vị")
        PERCENT = "percent", _("Theo tỷ lệ giá trị kê khai")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees",
                                  verbose_name=_("thủ tục"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    amount = models.BigIntegerField(_("mức thu (đồng)"), null=True, blank=True,
                                    help_text=_("Để trống khi chưa xác định được mức thu."))
    per = models.CharField(_("đơn vị tính"), max_length=60, blank=True,
                           help_text=_("Để trống nếu thu một lần cho hồ sơ."))
    exemptions = models.TextField(_("miễn, giảm"), blank=True)
    basis = models.CharField(_("cách tính"), max_length=10, choices=Basis.choices, default=Basis.FIXED)
    tiers = models.JSONField(_("bậc giá theo đơn vị"), default=list, blank=True,
                             help_text=_("Các cặp [từ đơn vị thứ n, giá mỗi đơn vị], ví dụ [[3, 1000]]."))
    rate = models.DecimalField(_("tỷ lệ (%)"), max_digits=7, decimal_places=4, null=True, blank=True)
    floor = models.BigIntegerField(_("mức tối thiểu (đồng)"), null=True, blank=True)
    cap = models.BigIntegerField(_("mức tối đa (đồng)"), null=True, blank=True)
    online_amount = models.BigIntegerField(_("mức thu khi nộp trực tuyến (đồng)"), null=True, blank=True)
    council_set = models.BooleanField(_("do HĐND cấp tỉnh quy định"), default=False)
    optional = models.BooleanField(_("chỉ thu khi có yêu cầu"), default=False,
                                   help_text=_("Không tính khi người nộp không kê khai số lượng (bản sao thêm…)."))

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = pgettext_lazy("plural", "phí, lệ phí")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_fee_position"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="fee_amount_non_negative"),
            models.CheckConstraint(condition=~Q(basis="percent") | Q(rate__isnull=False, rate__gte=0),
                                   name="fee_percent_has_rate"),
            models.CheckConstraint(condition=Q(floor__isnull=True) | Q(cap__isnull=True) | Q(floor__lte=F("cap")),
                                   name="fee_floor_not_above_cap"),
        ]

    def __str__(self) -> str:
        return self.name


class FeeExemption(models.Model):
    """An exemption or reduction of one fee for a class of payers, with the evidence it needs."""

    fee = models.ForeignKey(Fee, on_delete=models.CASCADE, related_name="exemption_rules", verbose_name=_("phí, lệ phí"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("đối tượng"), max_length=300)
    percent = models.PositiveSmallIntegerField(_("mức giảm (%)"), default=100)
    evidence = models.CharField(_("giấy tờ chứng minh"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("miễn, giảm phí")
        verbose_name_plural = pgettext_lazy("plural", "miễn, giảm phí")
        ordering = ["fee", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fee", "code"], name="unique_fee_exemption"),
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="fee_exemption_percent_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelFeeRule(models.Model):
    """A reduction of fees on some channels while it is in force (Hanoi: Resolution 77/2025/NQ-HĐND)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    channels = models.JSONField(_("kênh nộp"), default=list)
    council_set_only = models.BooleanField(_("chỉ phí, lệ phí do HĐND quy định"), default=True)
    percent = models.PositiveSmallIntegerField(_("mức giảm (%)"), default=100)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_until = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("quy định phí theo kênh nộp")
        verbose_name_plural = pgettext_lazy("plural", "quy định phí theo kênh nộp")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="channel_fee_rule_percent_range"),
        ]

    def __str__(self) -> str:
        return self.name


class RouteStep(models.Model):
    """One step of a procedure's internal processing route (quy trình nội bộ)."""

    class Role(models.TextChoices):
        RECEPTION = "reception", _("Cán bộ tiếp nhận")
        AGENCY_OFFICER = "agency_officer", _("Chuyên viên xử lý")
        AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
        BRANCH_LEADER = "branch_leader", _("Lãnh đạo chi nhánh")

    class Scope(models.TextChoices):
        CENTER = "center", _("Trung tâm")
        COMPETENT = "competent", _("Cơ quan có thẩm quyền")
        AGENCY = "agency", _("Cơ quan chỉ định")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="route",
                                  verbose_name=_("thủ tục"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("đơn vị thực hiện"), max_length=10, choices=Scope.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan chỉ định"))
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_route_position"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="route_step_hours_positive"),
            models.CheckConstraint(condition=Q(scope="agency", agency__isnull=False) | ~Q(scope="agency"),
                                   name="route_step_agency_when_scoped"),
        ]

    def __str__(self) -> str:
        return self.name


class HandledElsewhere(models.Model):
    """A procedure, or a kind of procedure, that the center does not receive, with where it is filed instead.

    Search shows it as such ("not received here, file it at …") instead of pretending the catalog has nothing
    or offering an unrelated procedure. Loaded from `data/catalog/elsewhere.yaml`.
    """

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    aliases = models.JSONField(_("cụm từ tìm kiếm"), default=list,
                               help_text=_("Các cụm từ người dân gõ để tìm (so khớp cả cụm, không phân biệt dấu)."))
    procedure_codes = models.JSONField(_("mã thủ tục quốc gia"), default=list, blank=True)
    where = models.TextField(_("nơi nộp"))
    online_url = models.URLField(_("nộp trực tuyến tại"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    to_verify = models.JSONField(_("cần kiểm tra lại"), default=list, blank=True)

    class Meta:
        verbose_name = _("thủ tục không tiếp nhận tại Trung tâm")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục không tiếp nhận tại Trung tâm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
