"""Login (VNeID, phone or user name), sign-up and password reset by a texted code."""

import logging

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import logins
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, page_status
from motcua.core.privacy import mask_phone
from motcua.integrations.identity import IdentityRefused, PendingLogin
from motcua.integrations.sms import get_sms
from motcua.integrations.sms.fake import OutboxSms

from .. import forms
from ..models import PhoneCode
from ..services import accounts

logger = logging.getLogger(__name__)

PENDING_KEY = "portal_vneid_pending"
NEXT_KEY = "portal_vneid_next"
SIGN_UP_KEY = "portal_sign_up_code"
RESET_KEY = "portal_reset_code"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class LoginView(logins.LoginView):
    """One login page for everyone: VNeID for citizens, a phone number or a user name with a password."""

    template_name = "portal/login.html"

    def post(self, request, *args, **kwargs):
        # A citizen types their mobile number; the lockout and the limits then count the account's name.
        typed = request.POST.get("username", "")
        username = accounts.username_for_login(typed)
        if username != typed:
            request.POST = request.POST.copy()
            request.POST["username"] = username
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.get_redirect_url() or accounts.after_login_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vneid_available"] = bool(accounts.identity_issuer(self.request))
        return context


@never_cache
@require_GET
def vneid_start(request):
    """Send the browser to the provider, keeping state, nonce and the PKCE verifier in the session."""
    try:
        client = accounts.identity_client(request)
        if client is None:
            raise IdentityRefused("not_configured")
        url, pending = client.begin(request.build_absolute_uri(reverse("portal-vneid-callback")))
    except IdentityRefused as exc:
        return _refused(request, exc)
    request.session[PENDING_KEY] = pending.to_dict()
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def vneid_callback(request):
    """The provider's answer: check it, then log the person in (the pending login is used once)."""
    pending = PendingLogin.from_dict(request.session.pop(PENDING_KEY, None))
    next_url = request.session.pop(NEXT_KEY, "")
    try:
        client = accounts.identity_client(request)
        if client is None:
            raise IdentityRefused("not_configured")
        identity = client.finish(request.GET.dict(), pending)
        user = accounts.log_in_with_identity(identity)
    except IdentityRefused as exc:
        return _refused(request, exc)
    except DomainError as exc:
        return render(
            request, "portal/login_refused.html", {"message": exc.message}, status=page_status(exc, 403)
        )
    login(request, user, backend=MODEL_BACKEND)
    return redirect(_safe_next(request, next_url) or accounts.after_login_url(user))


def _refused(request, exc: IdentityRefused):
    logger.warning("VNeID login refused: %s", exc.reason)
    message = (
        _("Đăng nhập VNeID đã bị hủy.")
        if exc.reason == "provider_error"
        else _(
            "Dịch vụ VNeID tạm thời không trả lời; vui lòng thử lại sau hoặc đăng nhập bằng số điện thoại."
        )
        if exc.reason in ("provider_unavailable", "not_configured")
        else _("Không xác thực được phản hồi từ VNeID; vui lòng đăng nhập lại.")
    )
    status = 503 if exc.reason in ("provider_unavailable", "not_configured") else 400
    return render(request, "portal/login_refused.html", {"message": message}, status=status)


def _demo_code(public_id: str) -> str | None:
    """The code just texted, shown on the page in development and the demo only, with the fake sender."""
    if not (settings.DEBUG or settings.DEMO) or not isinstance(get_sms(), OutboxSms):
        return None
    phone = PhoneCode.objects.filter(public_id=public_id).values_list("phone", flat=True).first()
    messages = OutboxSms.messages(phone) if phone else []
    if not messages:
        return None
    return next((word for word in messages[-1].text.split() if word.isdigit() and len(word) == 6), None)


def _send_code(request, purpose: str, session_key: str, template: str, next_name: str):
    form = forms.PhoneForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            challenge = accounts.send_phone_code(
                purpose, form.cleaned_data["phone"], client=client_address(request)
            )
        except DomainError as exc:
            error = exc
        else:
            request.session[session_key] = {"id": challenge.public_id, "phone": mask_phone(challenge.phone)}
            return redirect(next_name)
    status = page_status(error) if error else (422 if form.is_bound else 200)
    return render(request, template, {"form": form, "error": error}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    """Step 1: the mobile number, which gets a code."""
    return _send_code(
        request, PhoneCode.Purpose.SIGN_UP, SIGN_UP_KEY, "portal/sign_up.html", "portal-sign-up-verify"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up_verify(request):
    """Step 2: the code, who the person is, and a password; then the person is logged in."""
    pending = request.session.get(SIGN_UP_KEY)
    if not pending:
        return redirect("portal-sign-up")
    form = forms.SignUpForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.sign_up_by_phone(
                challenge=pending["id"],
                code=data["code"],
                full_name=data["full_name"],
                national_id=data["national_id"],
                birth_date=data["birth_date"],
                password=data["password"],
                password2=data["password2"],
            )
        except DomainError as exc:
            error = exc
        else:
            request.session.pop(SIGN_UP_KEY, None)
            login(request, user, backend=MODEL_BACKEND)
            return redirect("portal-me")
    status = page_status(error) if error else (422 if form.is_bound else 200)
    return render(
        request,
        "portal/sign_up_verify.html",
        {"form": form, "error": error, "phone": pending["phone"], "demo_code": _demo_code(pending["id"])},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    return _send_code(
        request,
        PhoneCode.Purpose.RESET,
        RESET_KEY,
        "portal/password_reset.html",
        "portal-password-reset-verify",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_verify(request):
    pending = request.session.get(RESET_KEY)
    if not pending:
        return redirect("portal-password-reset")
    form = forms.ResetForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.reset_password_by_phone(
                challenge=pending["id"],
                code=data["code"],
                password=data["password"],
                password2=data["password2"],
            )
        except DomainError as exc:
            error = exc
        else:
            request.session.pop(RESET_KEY, None)
            return render(request, "portal/password_reset_done.html")
    status = page_status(error) if error else (422 if form.is_bound else 200)
    return render(
        request,
        "portal/password_reset_verify.html",
        {"form": form, "error": error, "phone": pending["phone"], "demo_code": _demo_code(pending["id"])},
        status=status,
    )
