"""The error pages: 400, 403, 404 and 500 in the site's layout, and JSON `{code, message, details}` under /api/.

motcua/urls.py names these as Django's handler400/403/404/500; Django calls them only with DEBUG off.
The API answers its own errors (motcua.core.api); these catch what never reaches it: an unknown
/api/ address, a crash Ninja re-raises, a bad Host header.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from .errors import DomainError, NotFound, PermissionDenied

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json_error(error: DomainError, status: int) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=status, json_dumps_params={"ensure_ascii": False})


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _json_error(DomainError(code="bad_request"), 400)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _json_error(PermissionDenied(), 403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _json_error(NotFound(), 404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without context processors: they may query the database, which may be what failed."""
    if is_api_request(request):
        error = DomainError(_("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."), code="server_error")
        return _json_error(error, 500)
    # Only what base.html needs and costs no query: the path (language form), its CSRF token, the
    # CSP nonce of its script tag. `user` stays unset, so the header shows the login link.
    context = {"request": request, "csrf_token": get_token(request), "csp_nonce": get_nonce(request)}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
