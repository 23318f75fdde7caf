"""ASGI entry point for benchmark servers: the project's application with the queue's clock pinned.

The queue refuses tickets outside working hours (the capacity rule) and counts tickets per local
day, so a benchmark run at night or across midnight would measure refusals. When BENCH_QUEUE_START
is set (an ISO datetime with offset), the queue's clock starts there and advances in real time.

`/bench/bare` is answered by a second Django handler in the same process with no middleware at all
(the same view as `/bench/ping`, the same URLconf, the same ASGI/sync bridge): the baseline of
Django itself, against which `/bench/ping` shows what the middleware stack costs.
"""

import datetime as dt
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")

from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.handlers.exception import convert_exception_to_response  # noqa: E402

from motcua.asgi import application as project_application  # noqa: E402
from motcua.core import clock  # noqa: E402

BARE_PATH = "/bench/bare"

_start = os.environ.get("BENCH_QUEUE_START")
if _start:
    _origin = dt.datetime.fromisoformat(_start)
    _t0 = time.monotonic()

    def _pinned_now() -> dt.datetime:
        return _origin + dt.timedelta(seconds=time.monotonic() - _t0)

    # clock.today() calls clock.now(), and services look both up on the module at call time.
    clock.now = _pinned_now


class BareASGIHandler(ASGIHandler):
    """Django's ASGI handler with an empty middleware chain: URL resolution and the view, nothing else."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(
            self._get_response_async if is_async else self._get_response
        )


_bare = BareASGIHandler()  # django.setup() has run: motcua.asgi built the project's handler


async def application(scope, receive, send):
    if scope["type"] == "http" and scope.get("path") == BARE_PATH:
        await _bare(scope, receive, send)
    else:
        await project_application(scope, receive, send)


__all__ = ["application"]
