"""A fake SMS gateway over HTTP, speaking the client's protocol, for contract tests and the demo.

Served only when `fake_endpoint_enabled()`: never in production, otherwise only with DEBUG on or
`MOTCUA_FAKE_SMS_GATEWAY = True`. When disabled it answers 404 like an unknown URL.
"""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .fake import OutboxSms


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_SMS_GATEWAY", False))


@csrf_exempt  # machine to machine: no browser cookie
@require_POST
def messages(request):
    if not fake_endpoint_enabled():
        raise Http404
    expected = getattr(settings, "MOTCUA_SMS_GATEWAY_TOKEN", None)
    if expected and request.headers.get("Authorization") != f"Bearer {expected}":
        return JsonResponse({"code": "not_authenticated"}, status=401)
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("to"), str) or not isinstance(body.get("text"), str) \
            or not body["to"].strip() or not body["text"].strip():
        return JsonResponse({"code": "invalid"}, status=400)
    return JsonResponse({"id": OutboxSms().send(body["to"], body["text"])}, status=202)
