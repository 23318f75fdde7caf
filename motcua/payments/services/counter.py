"""Paying at the fee counter: cash, card or a VietQR transfer, recorded by the fee-collection officer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.core import audit, codes
from motcua.core.errors import NotFound, ValidationFailed
from motcua.org.models import Counter

from .. import policies
from ..errors import AmountMismatch, InvoiceClosed
from ..models import Invoice, Payment, Receipt
from .invoices import settle
from .receipts import issue_receipt

COUNTER_METHODS = (Payment.Method.CASH, Payment.Method.CARD, Payment.Method.TRANSFER)


@transaction.atomic
def record_counter_payment(user, reference: str, *, method: str, amount: int, counter_id: int | None = None,
                           now: dt.datetime | None = None) -> Receipt:
    """The officer took the exact amount due: the invoice is paid once, its receipt issued."""
    now = now or timezone.now()
    invoice = (Invoice.objects.select_for_update(of=("self",)).select_related("dossier", "branch")
               .filter(reference=reference).first())
    if invoice is None:
        raise NotFound()
    policies.check(user, "collect", invoice)
    if method not in COUNTER_METHODS:
        raise ValidationFailed(code="method_unknown", details=[{"field": "method", "code": "method_unknown"}])
    if invoice.status != Invoice.Status.OPEN:
        raise InvoiceClosed()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount != invoice.amount:
        raise AmountMismatch(details=[{"field": "amount", "code": "amount_mismatch", "expected": invoice.amount}])
    counter = None
    if counter_id is not None and invoice.branch_id is not None:
        counter = Counter.objects.filter(pk=counter_id, service_point__branch_id=invoice.branch_id,
                                         kind=Counter.Kind.FEE).first()
        if counter is None:
            raise ValidationFailed(code="counter_unknown", details=[{"field": "counter", "code": "counter_unknown"}])
    elif counter_id is not None:
        raise ValidationFailed(code="counter_unknown", details=[{"field": "counter", "code": "counter_unknown"}])
    payment = Payment.objects.create(invoice=invoice, reference=codes.new_payment_reference(), method=method,
                                     amount=amount, status=Payment.Status.SUCCEEDED, collected_by=user,
                                     counter=counter, created_at=now, confirmed_at=now)
    if not settle(invoice, Invoice.Status.PAID, now):
        raise InvoiceClosed()
    audit.record_event(user, "payments.paid", "invoice", invoice.reference, Invoice.Status.OPEN, Invoice.Status.PAID,
                       "", {"payment": payment.reference, "amount": amount, "method": method})
    return issue_receipt(payment, payer_name=invoice.dossier.applicant_name, now=now)
