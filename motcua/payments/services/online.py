"""Paying online: the payment URL for the payer's browser, and the gateway's IPN, which decides.

The IPN is idempotent: it locks the payment row, and only a pending payment changes. A verified
success marks the payment and its invoice paid (each by a conditional update, once), issues the
receipt and releases a waiting dossier, all in one transaction; a duplicate answers "already
confirmed"; a failure arriving after the success changes nothing; a wrong signature or amount changes
nothing. Every notification is recorded (`GatewayNotification`: references and codes, no personal data).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.core import audit, codes
from motcua.dossiers.selectors import get_dossier
from motcua.integrations.payment_gateway import (
    InvalidSignature,
    MalformedNotification,
    Notification,
    Order,
    get_gateway,
)
from motcua.integrations.payment_gateway.vnpay import IpnAnswer

from .. import policies
from ..errors import GatewayNotConfigured, NothingToPay
from ..models import GatewayNotification, Invoice, Payment
from .invoices import settle
from .receipts import issue_receipt

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartedPayment:
    invoice: Invoice
    payment: Payment
    payment_url: str


def open_invoice_of(dossier_id: int) -> Invoice | None:
    return Invoice.objects.filter(dossier_id=dossier_id, status=Invoice.Status.OPEN).order_by("-opened_at").first()


@transaction.atomic
def start_online_payment(user, code: str, *, return_url: str, client_ip: str = "",
                         now: dt.datetime | None = None) -> StartedPayment:
    """A payment attempt for the dossier's open invoice, and the gateway URL the payer goes to."""
    now = now or timezone.now()
    dossier = get_dossier(user, code)
    invoice = open_invoice_of(dossier.pk)
    if invoice is None:
        raise NothingToPay()
    invoice.dossier = dossier
    policies.check(user, "pay_online", invoice)
    gateway = get_gateway()
    if not (gateway.url and gateway.tmn_code and gateway.hash_secret):
        raise GatewayNotConfigured()
    payment = Payment.objects.create(invoice=invoice, reference=codes.new_payment_reference(),
                                     method=Payment.Method.GATEWAY, gateway=gateway.name, amount=invoice.amount,
                                     created_at=now)
    order = Order(reference=payment.reference, amount=payment.amount,
                  description=f"Thanh toan phi, le phi ho so {dossier.code}", return_url=return_url,
                  client_ip=client_ip, created_at=now,
                  expires_at=now + dt.timedelta(minutes=settings.MOTCUA_VNPAY_EXPIRE_MINUTES))
    audit.record_event(user, "payments.online_started", "invoice", invoice.reference, "", "", "",
                       {"payment": payment.reference, "amount": payment.amount, "gateway": gateway.name})
    return StartedPayment(invoice=invoice, payment=payment, payment_url=gateway.payment_url(order))


@dataclass(frozen=True)
class IpnResult:
    answer: IpnAnswer
    payment: Payment | None = None


def _record(answer: IpnAnswer, signed: bool, params: Mapping[str, str], note: Notification | None,
            now: dt.datetime) -> None:
    GatewayNotification.objects.create(
        gateway="vnpay", reference=str(params.get("vnp_TxnRef", ""))[:60], answer=answer.value,
        signature_valid=signed, amount=note.amount if note else None,
        response_code=note.response_code[:10] if note else str(params.get("vnp_ResponseCode", ""))[:10],
        received_at=now)


def handle_gateway_notification(params: Mapping[str, str], *, now: dt.datetime | None = None) -> IpnResult:
    """Decide on one IPN; the answer to give the gateway."""
    now = now or timezone.now()
    try:
        note = get_gateway().read(params)
    except InvalidSignature:
        # References only: the parameters carry no personal data, but the log never needs them whole.
        logger.warning("payment notification with an invalid signature (reference %s)",
                       str(params.get("vnp_TxnRef", ""))[:40])
        _record(IpnAnswer.INVALID_SIGNATURE, False, params, None, now)
        return IpnResult(IpnAnswer.INVALID_SIGNATURE)
    except MalformedNotification:
        _record(IpnAnswer.OTHER, True, params, None, now)
        return IpnResult(IpnAnswer.OTHER)
    with transaction.atomic():
        result = apply_gateway_result(note, now)
        _record(result.answer, True, params, note, now)
    return result


def apply_gateway_result(note: Notification, now: dt.datetime) -> IpnResult:
    """Apply what the gateway says of a payment (an IPN, or its answer to a query), inside a transaction."""
    payment = (Payment.objects.select_for_update(of=("self",)).select_related("invoice__dossier", "collected_by")
               .filter(reference=note.reference, method=Payment.Method.GATEWAY).first())
    if payment is None:
        return IpnResult(IpnAnswer.ORDER_NOT_FOUND)
    if note.amount != payment.amount:
        return IpnResult(IpnAnswer.INVALID_AMOUNT, payment)
    if payment.status == Payment.Status.SUCCEEDED:
        return IpnResult(IpnAnswer.ALREADY_CONFIRMED, payment)  # a duplicate, or a failure after the success
    if not note.succeeded:
        if payment.status == Payment.Status.FAILED:
            return IpnResult(IpnAnswer.ALREADY_CONFIRMED, payment)
        Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
            status=Payment.Status.FAILED, response_code=note.response_code[:10], confirmed_at=now)
        payment.status = Payment.Status.FAILED
        return IpnResult(IpnAnswer.CONFIRMED, payment)
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=payment.invoice_id)
    if invoice.status != Invoice.Status.OPEN:
        # Paid meanwhile another way (at the counter): the gateway's money is to be refunded.
        logger.warning("gateway payment %s for an invoice already closed", payment.reference)
        return IpnResult(IpnAnswer.ALREADY_CONFIRMED, payment)
    invoice.dossier = payment.invoice.dossier
    Payment.objects.filter(pk=payment.pk).update(
        status=Payment.Status.SUCCEEDED, response_code=note.response_code[:10], confirmed_at=now,
        gateway_transaction=note.transaction_no, bank_code=note.bank_code)
    payment.status, payment.confirmed_at, payment.invoice = Payment.Status.SUCCEEDED, now, invoice
    settle(invoice, Invoice.Status.PAID, now)
    audit.record_event("vnpay", "payments.paid", "invoice", invoice.reference, Invoice.Status.OPEN,
                       Invoice.Status.PAID, "", {"payment": payment.reference, "amount": payment.amount,
                                                 "method": payment.method})
    issue_receipt(payment, payer_name=invoice.dossier.applicant_name, now=now)
    return IpnResult(IpnAnswer.CONFIRMED, payment)
