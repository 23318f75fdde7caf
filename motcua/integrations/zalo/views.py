"""A fake Zalo OA Open API over HTTP, speaking the client's protocol, for contract tests and the demo.

Served only when `fake_endpoint_enabled()`: never in production, otherwise only with DEBUG on or
`MOTCUA_FAKE_ZALO_OA = True`. When disabled it answers 404 like an unknown URL. Like Zalo, it answers
HTTP 200 with `error` 0 when it accepts, and a non-zero `error` when it refuses.
"""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .fake import answer_cs_message, answer_refresh, answer_zns_message


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_ZALO_OA", False))


@csrf_exempt  # machine to machine: no browser cookie
@require_POST
def send_cs_message(request):
    if not fake_endpoint_enabled():
        raise Http404
    # WSGI servers drop header names with an underscore (Django's own server too): behind one, the token
    # arrives only when the proxy passes it on; the test client and `fake.serve_open_api` keep it.
    token = request.headers.get("access_token", "")
    return JsonResponse(answer_cs_message(token, request.body))


@csrf_exempt
@require_POST
def send_zns_template(request):
    if not fake_endpoint_enabled():
        raise Http404
    return JsonResponse(answer_zns_message(request.headers.get("access_token", ""), request.body))


@csrf_exempt
@require_POST
def refresh_access_token(request):
    if not fake_endpoint_enabled():
        raise Http404
    return JsonResponse(answer_refresh(request.headers.get("secret_key", ""), request.POST.dict()))
