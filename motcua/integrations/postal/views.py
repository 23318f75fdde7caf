"""A fake postal service over HTTP, speaking the client's protocol, for contract tests and the demo.

Served only when enabled: never in production, otherwise only with DEBUG on or `MOTCUA_FAKE_POSTAL`.
When disabled it answers 404 like an unknown URL.
"""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .fake import LocalPostalService
from .protocol import PickupOrder, PostalUnavailable


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_POSTAL", False))


def _authorised(request) -> bool:
    expected = getattr(settings, "MOTCUA_POSTAL_TOKEN", "")
    return not expected or request.headers.get("Authorization") == f"Bearer {expected}"


def _order(request) -> PickupOrder | None:
    try:
        body = json.loads(request.body)
        return PickupOrder(
            reference=str(body["reference"]),
            sender_name=str(body["sender"]["name"]),
            sender_address=str(body["sender"]["address"]),
            receiver_name=str(body["receiver"]["name"]),
            receiver_phone=str(body["receiver"]["phone"]),
            receiver_address=str(body["receiver"]["address"]),
            weight_grams=int(body.get("weight_grams") or 100),
            collect_on_delivery=int(body.get("cod_amount") or 0),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _guard(request):
    if not fake_endpoint_enabled():
        raise Http404
    if not _authorised(request):
        return JsonResponse({"code": "not_authenticated"}, status=401)
    return None


@csrf_exempt  # machine to machine
@require_POST
def quotes(request):
    if (refused := _guard(request)) is not None:
        return refused
    order = _order(request)
    if order is None:
        return JsonResponse({"code": "invalid"}, status=400)
    return JsonResponse({"fee": LocalPostalService().quote(order)})


@csrf_exempt
@require_POST
def orders(request):
    if (refused := _guard(request)) is not None:
        return refused
    order = _order(request)
    if order is None:
        return JsonResponse({"code": "invalid"}, status=400)
    try:
        receipt = LocalPostalService().create_order(order)
    except PostalUnavailable:
        return JsonResponse({"code": "refused"}, status=422)
    return JsonResponse({"tracking_number": receipt.tracking_number, "fee": receipt.fee}, status=201)


@require_GET
def events(request, tracking_number: str):
    if (refused := _guard(request)) is not None:
        return refused
    return JsonResponse({"events": [e.to_json() for e in LocalPostalService().track(tracking_number)]})
