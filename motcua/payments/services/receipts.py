"""Electronic receipts: one per payment, numbered without gaps in the branch's series; cancelled or
replaced with a reason, never edited nor deleted.

The number is drawn (`core.codes.next_receipt_number`) in the transaction that records the payment:
a payment that rolls back, or a process killed before commit, gives its number back, and concurrent
payments wait on the series' sequence row, so numbers have no gap and no duplicate.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, codes, outbox
from motcua.core.errors import NotFound, ValidationFailed
from motcua.org.models import Branch
from motcua.org.selectors import slip_prefix_of

from .. import policies
from ..errors import ReceiptNotIssued
from ..models import Payment, Receipt, ReceiptSeries

TEMPLATE_SYMBOL = "01BLP0-001"  # ký hiệu mẫu biên lai (confirm with the tax office; docs/payments.md)


def series_symbol(branch: Branch | None, year: int) -> str:
    """`CN01-26E`: the branch (or `TT`, the center) under its center's prefix, the year's two digits,
    E for electronic."""
    unit = codes.slip_unit(branch.number if branch else None, slip_prefix_of(branch))
    return f"{unit}-{year % 100:02d}E"


def series_for(branch: Branch | None, year: int) -> ReceiptSeries:
    """The branch's series of the year, created on first use (two first payments at once: one wins)."""
    found = ReceiptSeries.objects.filter(branch=branch, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ReceiptSeries.objects.create(branch=branch, year=year, template_symbol=TEMPLATE_SYMBOL,
                                                series_symbol=series_symbol(branch, year))
    except IntegrityError:
        return ReceiptSeries.objects.get(branch=branch, year=year)


def issue_receipt(payment: Payment, *, payer_name: str, now: dt.datetime, replaces: Receipt | None = None) -> Receipt:
    """The receipt of a succeeded payment, with the next number of its branch's series."""
    invoice = payment.invoice
    series = series_for(invoice.branch, timezone.localdate(now).year)
    number = codes.next_receipt_number(series.template_symbol, series.series_symbol, series.year)
    receipt = Receipt.objects.create(payment=payment, series=series, number=number, amount=payment.amount,
                                     payer_name=payer_name[:200], issued_at=now, replaces=replaces,
                                     check_key=codes.new_receipt_check_key())
    audit.record_event(payment.collected_by or "payments", "payments.receipt_issued", "receipt",
                       f"{series.series_symbol}/{codes.printed_receipt_number(number)}", "", Receipt.Status.ISSUED,
                       "", {"invoice": invoice.reference, "amount": payment.amount, "method": payment.method})
    # The payer is told the receipt's link (notify, template `payment_receipt`); ids only in the message.
    outbox.emit("payment.receipt_issued", "receipt", receipt.pk, {"invoice": invoice.reference})
    return receipt


def _reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationFailed(_("Cần nêu rõ lý do."), code="reason_required",
                               details=[{"field": "reason", "code": "reason_required"}])
    return reason.strip()


def _load(receipt_id: int) -> Receipt:
    receipt = (Receipt.objects.select_for_update(of=("self",)).select_related("payment__invoice", "series")
               .filter(pk=receipt_id).first())
    if receipt is None:
        raise NotFound()
    return receipt


def _close(user, receipt: Receipt, status: str, reason: str, now: dt.datetime) -> None:
    if Receipt.objects.filter(pk=receipt.pk, status=Receipt.Status.ISSUED).update(
            status=status, status_reason=reason, status_changed_at=now) != 1:
        raise ReceiptNotIssued()
    receipt.status, receipt.status_reason, receipt.status_changed_at = status, reason, now
    audit.record_event(user, f"payments.receipt_{status}", "receipt",
                       f"{receipt.series.series_symbol}/{codes.printed_receipt_number(receipt.number)}",
                       Receipt.Status.ISSUED, status, reason)


@transaction.atomic
def cancel_receipt(user, receipt_id: int, *, reason: str, now: dt.datetime | None = None) -> Receipt:
    """Cancel a receipt issued in error (it stays, marked cancelled, with the reason)."""
    reason = _reason(reason)
    receipt = _load(receipt_id)
    policies.check(user, "cancel_receipt", receipt.payment.invoice)
    _close(user, receipt, Receipt.Status.CANCELLED, reason, now or timezone.now())
    return receipt


@transaction.atomic
def replace_receipt(user, receipt_id: int, *, reason: str, payer_name: str = "",
                    now: dt.datetime | None = None) -> Receipt:
    """Replace a receipt (a wrong payer name…): the old one is marked replaced, a new number is issued."""
    now = now or timezone.now()
    reason = _reason(reason)
    receipt = _load(receipt_id)
    policies.check(user, "cancel_receipt", receipt.payment.invoice)
    _close(user, receipt, Receipt.Status.REPLACED, reason, now)
    return issue_receipt(receipt.payment, payer_name=(payer_name or receipt.payer_name).strip(), now=now,
                         replaces=receipt)
