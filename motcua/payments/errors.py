"""The refusals of the payments app, each with its code and Vietnamese message."""

from django.utils.translation import gettext_lazy as _

from motcua.core.errors import Conflict, DomainError, ServiceUnavailable, ValidationFailed


class InvoiceClosed(Conflict):
    code = "invoice_closed"
    default_message = _("Khoản phải nộp này đã được nộp hoặc đã đóng.")


class NothingToPay(DomainError):
    status = 409
    code = "nothing_to_pay"
    default_message = _("Hồ sơ không có khoản phí, lệ phí nào đang chờ nộp.")


class AmountMismatch(ValidationFailed):
    code = "amount_mismatch"
    default_message = _("Số tiền không khớp với số phải nộp.")


class GatewayNotConfigured(ServiceUnavailable):
    code = "gateway_not_configured"
    default_message = _("Chưa cấu hình cổng thanh toán trực tuyến; vui lòng nộp tại quầy thu phí.")


class ReceiptNotIssued(Conflict):
    code = "receipt_not_issued"
    default_message = _("Biên lai đã bị hủy hoặc đã được thay thế.")
