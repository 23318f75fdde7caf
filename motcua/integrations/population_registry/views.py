"""A fake registry over HTTP, speaking the client's protocol, for contract tests and the demo.

Served only when `fake_endpoint_enabled()`: never in production, and otherwise only with DEBUG on or
`MOTCUA_FAKE_POPULATION_REGISTRY = True`. When disabled it answers 404 like an unknown URL.
"""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .fake import LocalRegistry


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_POPULATION_REGISTRY", False))


@csrf_exempt  # a machine-to-machine endpoint: no browser session, no cookie
@require_POST
def lookup(request):
    if not fake_endpoint_enabled():
        raise Http404
    expected = getattr(settings, "MOTCUA_POPULATION_REGISTRY_TOKEN", None)
    if expected and request.headers.get("Authorization") != f"Bearer {expected}":
        return JsonResponse({"code": "not_authenticated"}, status=401)
    try:
        national_id = json.loads(request.body).get("national_id")
    except (ValueError, AttributeError):
        national_id = None
    if not isinstance(national_id, str):
        return JsonResponse({"code": "invalid"}, status=400)
    record = LocalRegistry().lookup(national_id)
    if record is None:
        return JsonResponse({"code": "not_found"}, status=404)
    return JsonResponse(record.to_json())
