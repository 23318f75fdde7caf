"""Input checked at the edge, before any view, form or parser sees it (docs/security.md, "Bad input").

One middleware refuses, with a 4xx instead of a 500 further down:
- a NUL character in the path, the query string, a form field or a JSON body (literal or escaped as
  \\u0000): PostgreSQL cannot store it in a text column, so it would fail deep inside a query;
- JSON nested deeper than MOTCUA_MAX_JSON_DEPTH (Python's parser would hit its recursion limit), in a
  JSON body or in a form field carrying JSON (the dossier intake's `data`);
- a body over the limit, with 413: DATA_UPLOAD_MAX_MEMORY_SIZE for JSON and form bodies,
  MOTCUA_MAX_REQUEST_BYTES for the whole of a multipart upload (several files of
  MOTCUA_MAX_UPLOAD_BYTES each).

It stays cheap: string membership tests in C on what is already in memory; the depth scan only runs
when the body holds more brackets than the limit.
"""

import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import get_resolver
from django.utils.translation import gettext as _

DEFAULT_MAX_JSON_DEPTH = 64
DEFAULT_MAX_REQUEST_BYTES = 50 * 1024 * 1024

# A JSON string (escapes included), removed before counting brackets: "[" inside a string nests nothing.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# \u0000 escape not itself escaped: an even number of backslashes (or none) before it.
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")  # every byte but the four brackets
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class InputRejected(Exception):
    """Why a request is refused: HTTP status, stable code, Vietnamese message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _nul() -> InputRejected:
    return InputRejected(400, "invalid_character", _("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL)."))


def _too_deep() -> InputRejected:
    return InputRejected(400, "json_too_deep", _("Dữ liệu JSON lồng nhau quá nhiều cấp."))


def _too_large() -> InputRejected:
    return InputRejected(413, "request_too_large", _("Dữ liệu gửi lên quá lớn."))


def max_json_depth() -> int:
    return int(getattr(settings, "MOTCUA_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))


def max_request_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """True when `data` (JSON text) nests arrays/objects deeper than `limit`; no parsing, no recursion."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # cannot be deeper than the number of openings: the usual case ends here
    brackets = _JSON_STRING.sub(b"", data).translate(None, _BRACKETS)
    if len(brackets) <= limit:
        return False
    return max(accumulate(_DEPTH_STEP[b] for b in brackets)) > limit


def check_json(data: bytes) -> None:
    """Raise InputRejected for a NUL (literal or escaped) or too deep a nesting in JSON text."""
    if b"\x00" in data or (b"\\u0000" in data and _ESCAPED_NUL.search(data)):
        raise _nul()
    if json_depth_exceeds(data, max_json_depth()):
        raise _too_deep()


def _check_form_value(value: str) -> None:
    if "\x00" in value:
        raise _nul()
    looks_like_json = value[:1] in ("[", "{")
    if looks_like_json and ("\\u0000" in value or value.count("[") + value.count("{") > max_json_depth()):
        check_json(value.encode())  # a form field carrying JSON, e.g. the intake's `data`


def _check_query(request) -> None:
    if "\x00" in request.path_info or "\x00" in request.path:
        raise _nul()
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        raise _nul()


def _content_length(request) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        length = -1
    if length < 0:
        raise InputRejected(400, "invalid_content_length", _("Độ dài dữ liệu gửi lên không hợp lệ."))
    return length


def _check_body(request) -> None:
    content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    length = _content_length(request)
    multipart = content_type == "multipart/form-data"
    limit = max_request_bytes() if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise _too_large()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    try:
        if multipart:
            # Files go to B's upload handlers (size per file); only the text fields are checked here.
            for _key, values in request.POST.lists():
                _check_form_value(_key)
                for value in values:
                    _check_form_value(value)
            return
        if content_type == "application/x-www-form-urlencoded":
            body = request.body
            if b"%00" in body or b"\x00" in body:
                raise _nul()
            for _key, values in request.POST.lists():
                for value in values:
                    _check_form_value(value)
        elif (content_type == "application/json" or content_type.endswith("+json")
                         or request.path_info.startswith("/api/")):
            check_json(request.body)  # the API reads any other body as JSON, whatever its declared type
    except RequestDataTooBig:
        raise _too_large() from None
    except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError, SuspiciousOperation):
        raise InputRejected(400, "invalid_body", _("Không đọc được dữ liệu gửi lên.")) from None


def check_request(request) -> None:
    """Raise InputRejected when the request carries input nothing downstream should have to handle."""
    _check_query(request)
    _check_body(request)


def rejection_response(request, rejected: InputRejected):
    """The API's {code, message, details} under /api/, the project's 400 page elsewhere (413 kept)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": rejected.code, "message": rejected.message, "details": None},
                            status=rejected.status)
    callback = get_resolver().resolve_error_handler(400)
    response = callback(request, exception=BadRequest(rejected.message))
    response.status_code = rejected.status
    return response


class RequestGuardMiddleware:
    """Refuses NUL characters, over-deep JSON and over-large bodies before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except InputRejected as rejected:
            return rejection_response(request, rejected)
        return self.get_response(request)
