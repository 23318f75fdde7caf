"""Pairing a browser as a kiosk or a counter's rating tablet, and ending a pairing."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, page_status

from .. import pairing, selectors
from ..models import Device
from ..services import devices as device_services


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def device_pair(request):
    """An officer of the branch pairs the browser in front of them as a kiosk or a counter's tablet."""
    kind, target = request.POST.get("kind", ""), request.POST.get("target", "")
    if kind not in Device.Kind.values or not target.isdigit():
        raise Http404
    point = counter = None
    if kind == Device.Kind.KIOSK:
        point = selectors.get_point(int(target))
    else:
        counter = selectors.get_counter(int(target))
        point = counter.service_point if counter else None
    if point is None:
        raise Http404
    try:
        paired = device_services.pair_device(user=request.user, kind=kind, service_point=point, counter=counter,
                                             name=request.POST.get("name", ""),
                                             replaces=pairing.browser_device(request))
    except DomainError as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=exc.status)
    return pairing.remember_device(redirect(pairing.device_page(paired.device)), request, paired.key)


@require_http_methods(["GET", "POST"])
def device_pair_with_key(request):
    """Pair this browser with a device registered elsewhere (the demo prints such keys): type or paste the key."""
    error, key = None, request.GET.get("key", "")
    if request.method == "POST":
        key = request.POST.get("key", "").strip()
        try:
            ratelimit.enforce("device_pair", client_address(request), settings.MOTCUA_LOGIN_RATE)
            device = device_services.authenticate_device(key)
            if device is None:
                raise DomainError(_("Khóa thiết bị không đúng hoặc thiết bị đã bị thu hồi."), code="device_key_invalid")
        except DomainError as exc:
            error = exc
        else:
            return pairing.remember_device(redirect(pairing.device_page(device)), request, key)
    return render(request, "queueing/device_pair.html", {"error": error, "key": key},
                  status=page_status(error) if error else 200)


@login_required
@require_POST
def device_revoke(request, device_id: int):
    """End a pairing (an officer of the branch); a browser unpairing itself also forgets its key."""
    device = selectors.get_device(device_id)
    if device is None:
        raise Http404
    try:
        device_services.revoke_device(device, user=request.user)
    except DomainError as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=exc.status)
    response = redirect(_safe_next(request, pairing.device_page(device)))
    current = pairing.browser_device(request)
    if current is None or current.pk == device.pk:
        pairing.forget_device(response)
    return response
