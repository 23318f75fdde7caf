"""A fake national portal over HTTP, speaking the client's protocol, backed by the in-process fake.

Served only when `fake_endpoint_enabled()`: never in production, otherwise only with DEBUG on or
`MOTCUA_FAKE_NATIONAL_PORTAL = True`. When disabled it answers 404 like an unknown URL.
"""

import datetime as dt
import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .fake import InMemoryNationalPortal


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_NATIONAL_PORTAL", False))


def _guard(request):
    if not fake_endpoint_enabled():
        raise Http404
    expected = getattr(settings, "MOTCUA_NATIONAL_PORTAL_TOKEN", None)
    if expected and request.headers.get("Authorization") != f"Bearer {expected}":
        return JsonResponse({"code": "not_authenticated"}, status=401)
    return None


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt  # machine to machine: no browser cookie
@require_POST
def statuses(request):
    if (refused := _guard(request)) is not None:
        return refused
    body = _body(request) or {}
    try:
        at = dt.datetime.fromisoformat(body["at"])
        due = dt.datetime.fromisoformat(body["appointment_at"]) if body.get("appointment_at") else None
        InMemoryNationalPortal().push_status(str(body["dossier_code"]), int(body["status"]), at, appointment_at=due)
    except (KeyError, TypeError, ValueError):
        return JsonResponse({"code": "invalid"}, status=400)
    return JsonResponse({"code": "accepted"}, status=202)


@require_GET
def new_dossiers(request):
    if (refused := _guard(request)) is not None:
        return refused
    return JsonResponse({"dossiers": [d.to_json() for d in InMemoryNationalPortal().fetch_new_dossiers()]})


@csrf_exempt
@require_POST
def acknowledge(request, reference: str):
    if (refused := _guard(request)) is not None:
        return refused
    code = (_body(request) or {}).get("dossier_code")
    if not isinstance(code, str) or not code:
        return JsonResponse({"code": "invalid"}, status=400)
    InMemoryNationalPortal().acknowledge(reference, code)
    return JsonResponse({"code": "acknowledged"})
