"""The project's Ninja API: authentication, error shape, and the auth endpoints."""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf, normalize_path

from . import tokens
from .errors import DomainError, NotAuthenticated
from .logins import check_login_rate
from .roles import roles_of


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        record = tokens.resolve_token(token)
        if record is None:
            return None
        request.user = record.user
        request.api_token = record
        return record.user


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"
    default_message = _("Thiếu mã chống giả mạo (CSRF) của phiên đăng nhập; vui lòng tải lại trang.")


class SessionAuth(APIKeyCookie):
    """Django's session, with its CSRF check for a signed-in user only.

    Ninja's own session auth checks CSRF first, so an anonymous caller (a kiosk, a script without a
    token) got "CSRF check Failed" (403) where the answer is 401: nobody is signed in.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.user


# Scripts use bearer tokens; pages calling the API use their session (with CSRF).
authenticated = [BearerToken(), SessionAuth()]


class ErrorOut(Schema):
    code: str
    message: str
    details: object | None = None


# Answers any operation can give besides its own: the request guard refuses a NUL byte or JSON nested too
# deep (400) and a body over the limit (413); Ninja refuses what its schema does not admit (422); an
# unknown object in the path is a 404; a throttled operation may answer 429.
SHARED_RESPONSES = {
    400: "Bad request (a NUL byte, JSON nested too deep)",
    404: "Not found",
    413: "Request body too large",
    422: "Input does not match the schema",
    429: "Too many requests (see Retry-After)",
}


class MotcuaAPI(NinjaAPI):
    """The NinjaAPI whose schema also names the shared answers each operation can give."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        throttled = {(method.lower(), path) for method, path in self._throttled_operations(schema.path_prefix)}
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                shared = {400}
                if "{" in path:
                    shared.add(404)
                if operation.get("parameters") or operation.get("requestBody"):
                    shared.add(422)
                if operation.get("requestBody"):
                    shared.add(413)
                if (method, path) in throttled:
                    shared.add(429)
                for status in sorted(shared):
                    operation["responses"].setdefault(
                        status, {"description": SHARED_RESPONSES[status], "content": error})
        return schema

    def _throttled_operations(self, path_prefix: str):
        for router in self._get_bound_routers():
            for path, view in router.path_operations.items():
                full_path = normalize_path("/" + path_prefix + "/".join(part for part in (router.prefix, path) if part))
                full_path = re.sub(r"{[^}:]+:", "{", full_path)  # as Ninja writes it: no path converters
                for operation in view.operations:
                    if operation.throttle_objects:
                        for method in operation.methods:
                            yield method, full_path


def install_error_handlers(api) -> None:
    """Every error leaves the API as {code, message, details} with the right status."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        details = [{"field": _field_of(err.get("loc", ())), "message": err.get("msg"), "type": err.get("type")}
                   for err in exc.errors]
        body = {"code": "validation_failed", "message": _("Dữ liệu gửi lên không hợp lệ."), "details": details}
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return api.create_response(request, NotAuthenticated().as_dict(), status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        body = {"code": "not_found", "message": _("Không tìm thấy."), "details": None}
        return api.create_response(request, body, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {429: "rate_limited", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = _("Quá nhiều yêu cầu; vui lòng thử lại sau.") if exc.status_code == 429 else str(exc)
        return api.create_response(request, {"code": code, "message": message, "details": None},
                                   status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        # A body read past DATA_UPLOAD_MAX_MEMORY_SIZE (no Content-Length to refuse it up front).
        body = {"code": "request_too_large", "message": _("Dữ liệu gửi lên quá lớn."), "details": None}
        return api.create_response(request, body, status=413)


def _field_of(loc) -> str | None:
    """('body', 'payload', 'applicant', 'name') -> 'applicant.name'; ('query', 'page') -> 'page'."""
    parts = list(loc[1:])
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the view's parameter name says nothing to the client
    return ".".join(str(p) for p in parts) or None


auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]


@auth_router.post("/token", response={201: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
                  auth=None, summary="Issue a bearer token")
def create_token(request, payload: TokenIn):
    check_login_rate(request, payload.username)
    issued = tokens.issue_token(request, username=payload.username, password=payload.password,
                                name=payload.name)
    return Status(201, TokenOut(token=issued.token, expires_at=issued.expires_at))


@auth_router.delete("/token", response={204: None, 401: ErrorOut}, auth=[BearerToken()],
                    summary="Revoke the token used for this request")
def delete_token(request):
    tokens.revoke_token(request.api_token)
    return Status(204, None)


@auth_router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=authenticated, summary="Who am I")
def me(request):
    user = request.user
    return MeOut(username=user.get_username(), full_name=user.get_full_name(), roles=roles_of(user))
