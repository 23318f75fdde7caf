"""The fake VNPay's pages (/fake/vnpay/): the payer sees the order and chooses success, refusal or timeout.

Served only when `fake_endpoint_enabled()`: never in production, otherwise with DEBUG on or
`MOTCUA_FAKE_VNPAY = True` (the demo). When disabled it answers 404 like an unknown URL.
"""

from __future__ import annotations

import json
import urllib.parse

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .fake import OUTCOMES, FakeVnpay, http_get
from .protocol import InvalidSignature

LATE_SECONDS = 3.0
_transport = [http_get]


def set_transport(transport) -> None:
    """How the fake sends its IPNs (tests replace the HTTP GET)."""
    _transport[0] = transport


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_VNPAY", False))


def gateway() -> FakeVnpay:
    return FakeVnpay(tmn_code=settings.MOTCUA_VNPAY_TMN_CODE, hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET,
                     transport=_transport[0])


@require_http_methods(["GET", "POST"])
def pay(request):
    if not fake_endpoint_enabled():
        raise Http404
    source = request.GET if request.method == "GET" else request.POST
    fake = gateway()
    try:
        order = fake.check_order({k: v for k, v in source.items() if k.startswith("vnp_")})
        amount = int(order["vnp_Amount"]) // 100
        return_url = order["vnp_ReturnUrl"]
    except (InvalidSignature, KeyError, ValueError):
        return HttpResponseBadRequest("Sai chữ ký hoặc thiếu tham số (vnp_SecureHash).".encode(),
                                      content_type="text/plain; charset=utf-8")
    if request.method == "GET":
        return render(request, "payment_gateway/fake_vnpay.html",
                      {"order": order, "amount": amount, "outcomes": OUTCOMES})
    outcome = request.POST.get("outcome", "")
    if outcome not in OUTCOMES:
        return HttpResponseBadRequest(b"outcome")
    params = fake.answer(order, outcome, timezone.now())
    ipn_url = settings.MOTCUA_FAKE_VNPAY_IPN_URL or request.build_absolute_uri("/payments/vnpay/ipn")
    fake.notify(ipn_url, params, times=2 if request.POST.get("twice") else 1,
                delay=LATE_SECONDS if request.POST.get("late") else 0, background=True)
    separator = "&" if "?" in return_url else "?"
    return HttpResponseRedirect(f"{return_url}{separator}{urllib.parse.urlencode(params)}")


@csrf_exempt  # machine to machine: the signature is the proof
@require_POST
def api_transaction(request):
    """The merchant web API (querydr): JSON in, the signed record of the transaction out."""
    if not fake_endpoint_enabled():
        raise Http404
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponseBadRequest(b"json")
    if not isinstance(body, dict) or body.get("vnp_Command") != "querydr":
        return JsonResponse({"vnp_ResponseCode": "99", "vnp_Message": "Unsupported command"})
    return JsonResponse(gateway().query(body))
