import logging
import time
import uuid

logger = logging.getLogger("motcua.request")


class RequestLogMiddleware:
    """Logs one line per request: method, route, status, time.

    The route is the URL pattern (`api/bookings/<booking_id>/check-in`), not the path: a path may
    carry a booking code or a token, and the query string personal data. An address no pattern
    matched is logged as `-`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex[:16]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
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
