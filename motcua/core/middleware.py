import logging
import os
import time

from django.contrib.messages.middleware import MessageMiddleware

logger = logging.getLogger("motcua.request")

API_PREFIX = "/api/"


def is_api(request) -> bool:
    """A call of the JSON API (`/api/…`): no page, no template, no flash message."""
    return request.path_info.startswith(API_PREFIX)


class RequestLogMiddleware:
    """Logs one line per request: method, route, status, time.

    The route is the URL pattern (`api/bookings/<booking_id>/check-in`), not the path: a path may
    carry a booking code or a token, and the query string personal data. An address no pattern
    matched is logged as `-`. Every answer carries its `X-Request-ID` (the caller's, or a new one);
    the line itself is only built when the logger writes it (production: INFO).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-ID") or os.urandom(8).hex()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            logger.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": _route_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response


def _route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return "/" + match.route if match is not None and match.route else "-"


class PageMessageMiddleware(MessageMiddleware):
    """Django's messages for pages only. The API answers JSON and shows no message, so an API call
    does not build the message storage (a cookie store and a session store) for nothing; its
    responses are left as they are (`process_response` only acts on a request that has storage)."""

    def process_request(self, request):
        if not is_api(request):
            super().process_request(request)
