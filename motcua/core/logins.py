"""Logins that cannot be guessed: limits per client and per username, and the lockout answer.

django-axes (settings AXES_*) counts failed logins per username and refuses the account for a
while after too many; `lockout_response` is how that refusal looks (JSON under /api/, the site's
page elsewhere). `check_login_rate` caps attempts per client address and per username before
the password is even checked, for the login page and the token endpoint alike.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import ratelimit
from .clients import client_address
from .errors import RateLimited


def client_ip(request: HttpRequest) -> str | None:
    """The client address for django-axes' records: an IP address or None (its column is an IP field)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def check_login_rate(request: HttpRequest, username: str) -> None:
    """Count one login attempt; raise RateLimited past the per-client or per-username rate."""
    ratelimit.enforce("login_client", client_address(request), settings.MOTCUA_LOGIN_RATE)
    if username:
        ratelimit.enforce("login_username", username.strip().casefold(), settings.MOTCUA_LOGIN_USERNAME_RATE)


def lockout_message() -> str:
    return _("Tài khoản tạm khóa do đăng nhập sai nhiều lần; vui lòng thử lại sau %(minutes)d phút "
             "hoặc liên hệ quản trị viên.") % {"minutes": _lockout_minutes()}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out login gets: 429 with the usual error body (API) or the lockout page."""
    minutes = _lockout_minutes()
    message = lockout_message()
    if request.path.startswith("/api/"):
        body = {"code": "account_locked", "message": message, "details": {"retry_after_minutes": minutes}}
        response: HttpResponse = JsonResponse(body, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LoginView(auth_views.LoginView):
    """Django's login page, with the attempt limits; the lockout itself is django-axes'."""

    def post(self, request, *args, **kwargs):
        try:
            check_login_rate(request, request.POST.get("username", ""))
        except RateLimited as exc:
            # An unbound form: binding it would check the password, which is what the limit refuses.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, refusal=str(exc.message))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)
