"""Payment pages: the gateway's IPN and return, the public receipt check, the fee counter."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.integrations.payment_gateway import InvalidSignature, MalformedNotification, get_gateway
from motcua.integrations.payment_gateway.vnpay import CUSTOMER_CANCELLED, TIMED_OUT, ipn_body

from . import selectors, services
from .models import Payment


def _vnp_params(request) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k.startswith("vnp_")}


@require_GET
def vnpay_ipn(request):
    """VNPay's server-to-server notification: it decides; the answer is VNPay's JSON, always 200."""
    result = services.handle_gateway_notification(_vnp_params(request))
    return JsonResponse(ipn_body(result.answer))


@require_GET
def vnpay_return(request):
    """Where the payer's browser comes back: shows the result, decides nothing (the IPN does)."""
    outcome, payment = "invalid", None
    try:
        note = get_gateway().read(_vnp_params(request))
    except (InvalidSignature, MalformedNotification):
        note = None
    if note is not None:
        payment = (Payment.objects.select_related("invoice__dossier").filter(reference=note.reference).first())
        if payment is None:
            outcome = "invalid"
        elif payment.status == Payment.Status.SUCCEEDED:
            outcome = "paid"
        elif note.succeeded:
            outcome = "waiting"  # the bank says yes; the IPN has not arrived yet
        elif note.response_code == CUSTOMER_CANCELLED:
            outcome = "cancelled"
        elif note.response_code == TIMED_OUT:
            outcome = "timeout"
        else:
            outcome = "failed"
    status = 400 if outcome == "invalid" else 200
    return render(request, "payments/return.html", {"outcome": outcome, "payment": payment}, status=status)


@require_GET
def check_receipt(request, key: str):
    """The public authenticity check a receipt's QR code opens: number, series, amount, status (no name)."""
    receipt = selectors.receipt_by_check_key(key)
    return render(request, "payments/check.html", {"receipt": receipt}, status=200 if receipt else 404)
