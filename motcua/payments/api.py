"""Payments API (docs/payments.md): start an online payment, a dossier's invoices, a receipt's PDF."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from motcua.core.api import ErrorOut, authenticated
from motcua.core.clients import client_address

from . import receipts_pdf, selectors, services
from .models import Invoice

router = Router(tags=["payments"])
ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 503)}


class StartedOut(Schema):
    invoice: str
    amount: int
    payment_url: str


class LineOut(Schema):
    name: str
    kind: str
    quantity: int
    base: int
    reduction: int
    amount: int
    reason: str


class PaymentOut(Schema):
    reference: str
    method: str
    amount: int
    status: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None


class ReceiptOut(Schema):
    receipt: str
    series: str
    template: str
    amount: int
    status: str
    issued_at: dt.datetime
    pdf: str
    check_url: str


class InvoiceOut(Schema):
    invoice: str
    status: str
    amount: int
    pay_first: bool
    opened_at: dt.datetime
    paid_at: dt.datetime | None
    lines: list[LineOut]
    payments: list[PaymentOut]
    receipts: list[ReceiptOut]


def invoice_out(request, invoice: Invoice) -> dict:
    payments = list(invoice.payments.all())
    receipts = [receipt for payment in payments for receipt in payment.receipts.all()]
    return {
        "invoice": invoice.reference, "status": invoice.status, "amount": invoice.amount,
        "pay_first": invoice.pay_first, "opened_at": invoice.opened_at, "paid_at": invoice.paid_at,
        "lines": [{"name": li.name, "kind": li.kind, "quantity": li.quantity, "base": li.base,
                   "reduction": li.reduction, "amount": li.amount, "reason": li.reason} for li in invoice.lines.all()],
        "payments": [{"reference": p.reference, "method": p.method, "amount": p.amount, "status": p.status,
                      "created_at": p.created_at, "confirmed_at": p.confirmed_at} for p in payments],
        "receipts": [{"receipt": selectors.receipt_label(r), "series": r.series.series_symbol,
                      "template": r.series.template_symbol, "amount": r.amount, "status": r.status,
                      "issued_at": r.issued_at, "pdf": reverse("api:payments_receipt_pdf", args=[r.pk]),
                      "check_url": request.build_absolute_uri(reverse("payments-check", args=[r.check_key]))}
                     for r in receipts],
    }


@router.post("/dossiers/{code}/payments", response={201: StartedOut, **ERRORS}, auth=authenticated,
             summary="Start paying the dossier's open invoice online: the gateway URL with signed vnp_* parameters")
def start_payment(request, code: str):
    started = services.start_online_payment(
        request.user, code, return_url=request.build_absolute_uri(reverse("payments-vnpay-return")),
        client_ip=client_address(request))
    return Status(201, {"invoice": started.invoice.reference, "amount": started.payment.amount,
                 "payment_url": started.payment_url})


@router.get("/dossiers/{code}/payments", response={200: list[InvoiceOut], **ERRORS}, auth=authenticated,
            summary="The dossier's invoices with their payments and receipts")
def dossier_payments(request, code: str):
    return [invoice_out(request, invoice) for invoice in selectors.invoices_of(request.user, code)]


@router.get("/payments/receipts/{receipt_id}.pdf", response={**ERRORS}, auth=authenticated,
            url_name="payments_receipt_pdf", summary="A receipt as PDF (size=a4, the default, or 80mm)",
            openapi_extra={"responses": {200: {"description": "The receipt",
                                                "content": {"application/pdf": {"schema": {"type": "string",
                                                                                           "format": "binary"}}}}}})
def receipt_pdf(request, receipt_id: int, size: str = "a4"):
    receipt = selectors.receipt_for(request.user, receipt_id)
    content = receipts_pdf.render(receipt, size=size, check_url=request.build_absolute_uri(
        reverse("payments-check", args=[receipt.check_key])))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{selectors.receipt_label(receipt)}.pdf"'
    return response
