"""Refunds against a receipt: requested with a reason, approved by the branch leader (not by the requester)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import Conflict, NotFound, ValidationFailed

from .. import policies
from ..errors import ReceiptNotIssued
from ..models import Receipt, Refund


@transaction.atomic
def request_refund(user, receipt_id: int, *, amount: int, reason: str, now: dt.datetime | None = None) -> Refund:
    """Ask to give back `amount` đồng of a receipt; never more than what it still holds."""
    now = now or timezone.now()
    receipt = (Receipt.objects.select_for_update(of=("self",)).select_related("payment__invoice", "series")
               .filter(pk=receipt_id).first())
    if receipt is None:
        raise NotFound()
    policies.check(user, "request_refund", receipt.payment.invoice)
    if receipt.status != Receipt.Status.ISSUED:
        raise ReceiptNotIssued()
    if not (reason or "").strip():
        raise ValidationFailed(_("Cần nêu rõ lý do."), code="reason_required",
                               details=[{"field": "reason", "code": "reason_required"}])
    refunded = receipt.refunds.aggregate(total=Sum("amount"))["total"] or 0
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0 or amount > receipt.amount - refunded:
        raise ValidationFailed(_("Số tiền hoàn trả phải lớn hơn 0 và không quá số còn lại của biên lai."),
                               code="refund_amount_invalid",
                               details=[{"field": "amount", "code": "refund_amount_invalid",
                                         "available": receipt.amount - refunded}])
    refund = Refund.objects.create(receipt=receipt, amount=amount, reason=reason.strip(), requested_by=user,
                                   requested_at=now)
    audit.record_event(user, "payments.refund_requested", "receipt", f"{receipt.series.series_symbol}/{receipt.number}",
                       "", "", reason.strip(), {"amount": amount, "refund": refund.pk})
    return refund


@transaction.atomic
def approve_refund(user, refund_id: int, *, now: dt.datetime | None = None) -> Refund:
    """The branch leader approves a requested refund (once; not one they requested themselves)."""
    now = now or timezone.now()
    refund = (Refund.objects.select_for_update(of=("self",)).select_related("receipt__payment__invoice",
                                                                            "receipt__series")
              .filter(pk=refund_id).first())
    if refund is None:
        raise NotFound()
    policies.check(user, "approve_refund", refund.receipt.payment.invoice)
    if refund.requested_by_id == user.pk:
        raise ValidationFailed(_("Người đề nghị hoàn trả không tự phê duyệt."), code="refund_self_approval")
    if Refund.objects.filter(pk=refund.pk, approved_at__isnull=True).update(approved_by=user, approved_at=now) != 1:
        raise Conflict(_("Đề nghị hoàn trả đã được phê duyệt."), code="refund_already_approved")
    refund.approved_by, refund.approved_at = user, now
    receipt = refund.receipt
    audit.record_event(user, "payments.refund_approved", "receipt", f"{receipt.series.series_symbol}/{receipt.number}",
                       "", "", "", {"amount": refund.amount, "refund": refund.pk})
    return refund
