"""ASGI entry point for benchmark servers: the project's application with the queue's clock pinned.

The queue refuses tickets outside working hours (the capacity rule) and counts tickets per local
day, so a benchmark run at night or across midnight would measure refusals. When BENCH_QUEUE_START
is set (an ISO datetime with offset), the queue's clock starts there and advances in real time.
"""

import datetime as dt
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")

from motcua.asgi import application  # noqa: E402
from motcua.core import clock  # noqa: E402

_start = os.environ.get("BENCH_QUEUE_START")
if _start:
    _origin = dt.datetime.fromisoformat(_start)
    _t0 = time.monotonic()

    def _pinned_now() -> dt.datetime:
        return _origin + dt.timedelta(seconds=time.monotonic() - _t0)

    # clock.today() calls clock.now(), and services look both up on the module at call time.
    clock.now = _pinned_now

__all__ = ["application"]
