"""Invoices: opened when a dossier is received (counter) or filed (online); exemptions applied at the fee counter."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.catalog.fees import Assessment, FeeFacts, facts_from_declaration
from motcua.catalog.selectors import assess_fees
from motcua.core import audit, codes
from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier, State
from motcua.dossiers.services import payment_hold

from .. import policies
from ..errors import InvoiceClosed
from ..models import Invoice, InvoiceLine


def _lines(invoice: Invoice, assessment: Assessment) -> list[InvoiceLine]:
    return [InvoiceLine(invoice=invoice, position=line.position, name=line.name[:300], kind=line.kind,
                        quantity=line.quantity, base=line.base, reduction=line.reduction, amount=line.amount,
                        reason="; ".join(line.reasons)[:300])
            for line in assessment.lines]


def open_invoice(dossier: Dossier, *, now: dt.datetime, facts: FeeFacts | None = None,
                 number: int = 1) -> Invoice | None:
    """The dossier's invoice for what its procedure's fee rules make it owe; None when it owes nothing."""
    facts = facts or facts_from_declaration(dossier.fee_declaration, channel=dossier.channel,
                                            on=timezone.localdate(now))
    assessment = assess_fees(dossier.procedure, facts)
    if assessment.total <= 0:
        return None
    invoice = Invoice.objects.create(
        dossier=dossier, reference=codes.invoice_reference(dossier.code, number), amount=assessment.total,
        channel=dossier.channel, branch_id=dossier.branch_id, pay_first=dossier.procedure.pay_before_processing,
        opened_at=now, claims=facts.claims)
    InvoiceLine.objects.bulk_create(_lines(invoice, assessment))
    return invoice


def _hold_if_pay_first(dossier: Dossier, invoice: Invoice | None, now: dt.datetime) -> None:
    if invoice is not None and invoice.pay_first and invoice.status == Invoice.Status.OPEN \
            and dossier.state == State.RECEIVED:
        payment_hold.hold_for_payment(dossier, now=now)


def on_dossier_submitted(*, user, dossier: Dossier, now: dt.datetime) -> None:
    """A new dossier (domain event): its invoice opens; at the counter a pay-first dossier waits (status 6)."""
    _hold_if_pay_first(dossier, open_invoice(dossier, now=now), now)


def on_dossier_received(*, user, dossier: Dossier, now: dt.datetime) -> None:
    """An online dossier received (domain event): a pay-first dossier still unpaid waits (status 6)."""
    invoice = dossier.invoices.exclude(status=Invoice.Status.CANCELLED).order_by("-opened_at").first()
    if invoice is None:
        invoice = open_invoice(dossier, now=now)
    _hold_if_pay_first(dossier, invoice, now)


def settle(invoice: Invoice, status: str, now: dt.datetime) -> bool:
    """Close an open invoice (paid or waived) exactly once; release its dossier if it was waiting."""
    if Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.OPEN).update(status=status, paid_at=now) != 1:
        return False
    invoice.status, invoice.paid_at = status, now
    if invoice.pay_first:
        payment_hold.release_payment_hold(invoice.dossier.code, held_since=invoice.opened_at, now=now)
    return True


@transaction.atomic
def apply_exemptions(user, reference: str, *, claims: dict[str, bool], units: dict[int, int] | None = None,
                     copies: dict[int, int] | None = None, values: dict[int, int] | None = None,
                     now: dt.datetime | None = None) -> Invoice:
    """The fee counter re-assesses an open invoice with what the payer declares and proves.

    Refuses an exemption without its evidence (`exemption_evidence_missing`); an invoice that drops to
    0 đ is waived (and its dossier released).
    """
    now = now or timezone.now()
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("dossier__procedure").filter(reference=reference).first()
    if invoice is None:
        raise NotFound()
    policies.check(user, "exempt", invoice)
    if invoice.status != Invoice.Status.OPEN:
        raise InvoiceClosed()
    facts = FeeFacts(channel=invoice.channel, on=timezone.localdate(invoice.opened_at), units=units or {},
                     copies=copies or {}, values=values or {}, claims=claims)
    assessment = assess_fees(invoice.dossier.procedure, facts)
    before = invoice.amount
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(_lines(invoice, assessment))
    Invoice.objects.filter(pk=invoice.pk).update(amount=assessment.total, claims=claims)
    invoice.amount, invoice.claims = assessment.total, claims
    audit.record_event(user, "payments.reassessed", "invoice", invoice.reference, str(before), str(invoice.amount),
                       "", {"claims": sorted(claims)})
    if assessment.total == 0:
        settle(invoice, Invoice.Status.WAIVED, now)
    return invoice
