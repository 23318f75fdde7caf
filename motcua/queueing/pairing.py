"""The browser side of device pairing, shared by the kiosk (queueing) and the rating tablet (ratings).

A paired browser carries its device key in one HTTP-only cookie; the key names a `Device` row
(services/devices.py), so an administrator sees every pairing and revokes it in the admin. One
browser is one device: pairing it again replaces (and revokes) what it was before.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja.security import APIKeyHeader

from .models import Device
from .services.devices import authenticate_device

DEVICE_COOKIE = "motcua_device"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap a cookie's life at 400 days; the Device row may live longer
TABLET = Device.Kind.TABLET  # the kind a counter's rating tablet pairs as
PAGES = {Device.Kind.KIOSK: "queue-kiosk", Device.Kind.TABLET: "ratings-tablet"}
DEVICE_KEY_HEADER = "X-Device-Key"


class DeviceKey(APIKeyHeader):
    """The API side: a paired kiosk sends its key in X-Device-Key; no session, so no CSRF."""

    param_name = DEVICE_KEY_HEADER

    def authenticate(self, request, key: str | None):
        device = authenticate_device(key, kind=Device.Kind.KIOSK)
        if device is not None:
            request.device = device
        return device


def browser_device(request: HttpRequest) -> Device | None:
    """The active device this browser was paired as, if any (looked up once per request)."""
    if not hasattr(request, "_motcua_device"):
        request._motcua_device = authenticate_device(request.COOKIES.get(DEVICE_COOKIE))
    return request._motcua_device


def paired_device(request: HttpRequest, *, kind: str, service_point=None, counter=None) -> Device | None:
    """This browser's device if it is a `kind` paired with `service_point` (kiosk) or `counter` (tablet)."""
    device = browser_device(request)
    if device is None or device.kind != kind:
        return None
    if service_point is not None and device.service_point_id != service_point.pk:
        return None
    if counter is not None and device.counter_id != counter.pk:
        return None
    return device


def remember_device(response: HttpResponse, request: HttpRequest, key: str) -> HttpResponse:
    response.set_cookie(DEVICE_COOKIE, key, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Strict",
                        secure=request.is_secure())
    return response


def forget_device(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(DEVICE_COOKIE, samesite="Strict")
    return response


def device_page(device: Device) -> str:
    """Where a device works: its kiosk, or its counter's rating tablet."""
    target = device.counter_id if device.kind == Device.Kind.TABLET else device.service_point_id
    return reverse(PAGES[device.kind], args=[target])
