"""Fees owed, payments, electronic receipts (biên lai điện tử), refunds and the day's reconciliation.

Invariants held by the database: one succeeded payment per invoice; one receipt per payment; a
receipt number once per series; amounts never negative.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import Dossier
from motcua.org.models import Branch, Counter


class Invoice(models.Model):
    """What a dossier owes (its fee lines), opened at intake."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ nộp")
        PAID = "paid", _("Đã nộp")
        WAIVED = "waived", _("Được miễn")
        CANCELLED = "cancelled", _("Đã hủy")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("hồ sơ"))
    reference = models.CharField(_("số tham chiếu"), max_length=40, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    channel = models.CharField(_("kênh nộp hồ sơ"), max_length=20)
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("chi nhánh"))
    pay_first = models.BooleanField(_("nộp trước khi giải quyết"), default=False)
    claims = models.JSONField(_("miễn, giảm đã áp dụng"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("mở lúc"))
    paid_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khoản phải nộp")
        verbose_name_plural = pgettext_lazy("plural", "khoản phải nộp")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_non_negative"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_at__isnull=False), name="invoice_paid_has_time"),
        ]

    def __str__(self) -> str:
        return self.reference


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("khoản phải nộp"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=10)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    base = models.BigIntegerField(_("mức thu"))
    reduction = models.BigIntegerField(_("miễn, giảm"), default=0)
    amount = models.BigIntegerField(_("phải nộp"))
    reason = models.CharField(_("lý do miễn, giảm"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dòng phí, lệ phí")
        verbose_name_plural = pgettext_lazy("plural", "dòng phí, lệ phí")
        ordering = ["invoice", "position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="unique_invoice_line"),
                       models.CheckConstraint(condition=Q(amount__gte=0, base__gte=0, reduction__gte=0),
                                              name="invoice_line_amounts_non_negative")]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """One attempt to pay an invoice: at the counter (cash, card, transfer) or through a gateway."""

    class Method(models.TextChoices):
        CASH = "cash", _("Tiền mặt")
        CARD = "card", _("Thẻ")
        TRANSFER = "transfer", _("Chuyển khoản (VietQR)")
        GATEWAY = "gateway", _("Cổng thanh toán trực tuyến")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        SUCCEEDED = "succeeded", _("Thành công")
        FAILED = "failed", _("Không thành công")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("khoản phải nộp"))
    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    gateway_transaction = models.CharField(_("mã giao dịch của cổng"), max_length=40, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã kết quả"), max_length=10, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("cán bộ thu"))
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("quầy"))
    created_at = models.DateTimeField(_("tạo lúc"))
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch nộp phí")
        verbose_name_plural = pgettext_lazy("plural", "giao dịch nộp phí")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["invoice"], condition=Q(status="succeeded"), name="one_success_per_invoice"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReceiptSeries(models.Model):
    """A branch's book of electronic receipts for one year: template symbol and series symbol."""

    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("chi nhánh"))
    year = models.PositiveSmallIntegerField(_("năm"))
    template_symbol = models.CharField(_("ký hiệu mẫu biên lai"), max_length=20)
    series_symbol = models.CharField(_("ký hiệu biên lai"), max_length=20)

    class Meta:
        verbose_name = _("quyển biên lai")
        verbose_name_plural = pgettext_lazy("plural", "quyển biên lai")
        constraints = [
            models.UniqueConstraint(fields=["template_symbol", "series_symbol"], name="unique_receipt_series"),
            models.UniqueConstraint(fields=["branch", "year"], name="one_receipt_series_per_branch_year"),
        ]

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.series_symbol}"


class Receipt(models.Model):
    """The electronic receipt of one payment; never edited nor deleted, only cancelled or replaced."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Đã phát hành")
        CANCELLED = "cancelled", _("Đã hủy")
        REPLACED = "replaced", _("Đã thay thế")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("giao dịch"))
    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="receipts",
                               verbose_name=_("quyển biên lai"))
    number = models.PositiveIntegerField(_("số biên lai"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    payer_name = models.CharField(_("người nộp"), max_length=200)
    issued_at = models.DateTimeField(_("phát hành lúc"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    status_reason = models.TextField(_("lý do hủy, thay thế"), blank=True)
    status_changed_at = models.DateTimeField(_("hủy, thay thế lúc"), null=True, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
                                    verbose_name=_("thay thế cho biên lai"))
    check_key = models.CharField(_("mã kiểm tra"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = pgettext_lazy("plural", "biên lai điện tử")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="unique_receipt_number"),
            models.UniqueConstraint(fields=["payment"], condition=Q(status="issued"), name="one_valid_receipt_per_payment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.number:07d}"


class Refund(models.Model):
    """Money given back against a receipt, with its reason and the branch leader who approved it."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("biên lai"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("người đề nghị"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("người phê duyệt"))
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoàn trả")
        verbose_name_plural = pgettext_lazy("plural", "hoàn trả")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.receipt}: {self.amount}"


class DailyClose(models.Model):
    """A branch's day of collection reconciled and signed off by its leader (the figures as signed)."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("chi nhánh"))
    day = models.DateField(_("ngày"))
    totals = models.JSONField(_("số liệu"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("lãnh đạo ký xác nhận"))
    signed_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        verbose_name = _("đối soát cuối ngày")
        verbose_name_plural = pgettext_lazy("plural", "đối soát cuối ngày")
        constraints = [models.UniqueConstraint(fields=["branch", "day"], name="one_close_per_branch_day")]

    def __str__(self) -> str:
        return f"{self.branch} {self.day:%d/%m/%Y}"


class GatewayNotification(models.Model):
    """Each server-to-server notification received from a gateway and what it was answered (no personal data)."""

    gateway = models.CharField(_("cổng thanh toán"), max_length=20)
    reference = models.CharField(_("mã giao dịch"), max_length=60, blank=True)
    answer = models.CharField(_("mã trả lời"), max_length=4)
    signature_valid = models.BooleanField(_("chữ ký hợp lệ"))
    amount = models.BigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    response_code = models.CharField(_("mã kết quả của cổng"), max_length=10, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = pgettext_lazy("plural", "thông báo từ cổng thanh toán")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference} {self.answer}"
