"""What each middleware costs per request: its own time, measured between probes, in one process.

1. builds a throwaway SQLite database with one hall (bench/queue_fixture.py, tables from the models);
2. builds Django's request handler with the project's MIDDLEWARE (settings.MIDDLEWARE, or
   --middleware a comma-separated list) and a probe before each middleware and before the view: a
   probe notes the time when the request passes it going in and when the response passes it going
   out, so a middleware's own time is (in at the next probe − in at its probe) + (out at its probe −
   out at the next probe), the view's time what the last probe sees;
3. sends --requests requests of each kind through the handler (no HTTP, no ASGI): `GET /bench/ping`,
   a ticket issue and a call-next (the reception desk's bearer token), a page (`GET /dossiers/`,
   signed-in officer with a session);
4. prints, per kind, the median microseconds of each middleware and of the view, the middleware's sum,
   and a RATIO line: the whole stack's median over the view's median, per kind (measured in the same
   run; 1.0: the stack costs as much as the view).

`--cpu` times with the thread's CPU time instead of the wall clock: on a shared machine the wall
time of a request swings with what else runs, its CPU time much less (waits on the database's
locks are then left out). `--request-log` turns the request log on as production has it (motcua.request at INFO, the JSON
formatter and the masking filter, written to /dev/null): in development the line is filtered out
before it is formatted.

    .venv/bin/python -m bench.bench_middleware                 # 300 requests of each kind
    .venv/bin/python -m bench.bench_middleware --request-log --cpu
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUEUE_START = "2026-11-23T08:00:00+07:00"

# Each probe records (index, "in"/"out", time) in the current request's list.
_marks: list[tuple[int, str, float]] = []
# The clock the probes read: wall time, or with --cpu the thread's CPU time (what the request's own
# code costs, whatever else runs on the machine).
_clock = [time.perf_counter]


def make_probe(index: int):
    class Probe:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            _marks.append((index, "in", _clock[0]()))
            response = self.get_response(request)
            _marks.append((index, "out", _clock[0]()))
            return response

    Probe.__name__ = Probe.__qualname__ = f"Probe{index}"
    return Probe


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind")
    parser.add_argument("--middleware", default="", help="comma-separated middleware paths (default: settings)")
    parser.add_argument("--request-log", action="store_true", help="the request log on, as in production")
    parser.add_argument("--cpu", action="store_true",
                        help="measure the thread's CPU time instead of wall time (steadier on a busy machine)")
    args = parser.parse_args(argv)
    if args.requests < 1:
        raise SystemExit("--requests must be positive")
    return args


def own_times(marks: list[tuple[int, str, float]], probes: int) -> list[float] | None:
    """Seconds of each middleware (0…probes-2) and of the view (last), or None if one short-circuited."""
    seen = {(i, way): t for i, way, t in marks}
    if len(seen) != 2 * probes:
        return None
    times = []
    for i in range(probes - 1):
        going_in = seen[(i + 1, "in")] - seen[(i, "in")]
        going_out = seen[(i, "out")] - seen[(i + 1, "out")]
        times.append(going_in + going_out)
    times.append(seen[(probes - 1, "out")] - seen[(probes - 1, "in")])
    return times


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-mw-"))
    try:
        return run(args, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args, var_dir: Path) -> dict[str, float]:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "MOTCUA_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "0",
    })
    from bench import queue_fixture

    fixture = queue_fixture.build(2, 1, from_models=True)  # runs django.setup()

    import datetime as dt
    import logging

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.handlers.base import BaseHandler
    from django.test import Client, RequestFactory

    from motcua.core import clock
    from motcua.core.logging import JsonFormatter
    from motcua.core.privacy import MaskingFilter

    if args.cpu:
        _clock[0] = time.thread_time
    origin, t0 = dt.datetime.fromisoformat(QUEUE_START), time.monotonic()
    clock.now = lambda: origin + dt.timedelta(seconds=time.monotonic() - t0)

    if args.request_log:
        handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
        handler.setFormatter(JsonFormatter())
        handler.addFilter(MaskingFilter())
        request_logger = logging.getLogger("motcua.request")
        request_logger.handlers, request_logger.level = [handler], logging.INFO

    middleware = [m.strip() for m in args.middleware.split(",") if m.strip()] or list(settings.MIDDLEWARE)
    module = sys.modules[__name__]
    stack = []
    for index, path in enumerate(middleware):
        setattr(module, f"Probe{index}", make_probe(index))
        stack += [f"{__name__}.Probe{index}", path]
    setattr(module, f"Probe{len(middleware)}", make_probe(len(middleware)))
    stack.append(f"{__name__}.Probe{len(middleware)}")
    probes = len(middleware) + 1
    settings.MIDDLEWARE = stack
    handler_ = BaseHandler()
    handler_.load_middleware()

    # A signed-in officer for the page: the session cookie of a real login through the test client.
    officer = User.objects.get(username="bench-officer")
    browser = Client()
    browser.force_login(officer)
    session_cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value

    factory = RequestFactory()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {fixture['token']}"}
    numbers = iter(range(10**6))

    def ping():
        return factory.get("/bench/ping"), 200

    def issue():
        n = next(numbers)
        body = {"group": fixture["groups"][n % 2], "national_id": queue_fixture_id(n), "priority": ""}
        return factory.post(f"/api/service-points/{fixture['point']}/tickets", json.dumps(body),
                            content_type="application/json", **bearer), 201

    def call_next():
        counter = fixture["counters"][next(numbers) % len(fixture["counters"])]
        return factory.post(f"/api/counters/{counter}/call-next?finish_current=true", content_type="application/json",
                            **bearer), 200

    def page():
        request = factory.get("/dossiers/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_cookie
        return request, 200

    kinds = {"ping": ping, "issue": issue, "call-next": call_next, "page": page}
    names = [path.rsplit(".", 1)[-1] for path in middleware] + ["(view)"]
    load = os.getloadavg()
    print(f"bench_middleware: {len(middleware)} middleware, {args.requests} requests of each kind, in process, "
          f"sqlite, request log {'on (JSON, masked)' if args.request_log else 'as configured'}, "
          f"{'thread CPU time' if args.cpu else 'wall time'}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    medians: dict[str, list[float]] = {}
    for kind, make in kinds.items():
        samples: list[list[float]] = []
        for attempt in range(args.requests + max(3, args.requests // 10)):  # the first ones warm up
            request, expected = make()
            _marks.clear()
            response = handler_.get_response(request)
            if response.status_code != expected:
                raise RuntimeError(f"{kind}: {response.status_code} {response.content[:300]!r}")
            times = own_times(_marks, probes)
            if times is not None and attempt >= max(3, args.requests // 10):
                samples.append(times)
        medians[kind] = [statistics.median(column) * 1e6 for column in zip(*samples, strict=True)]

    width = max(len(n) for n in names)
    print(f"{'µs, median':<{width}} " + " ".join(f"{k:>9}" for k in kinds))
    for row, name in enumerate(names):
        print(f"{name:<{width}} " + " ".join(f"{medians[k][row]:9.1f}" for k in kinds))
    figures: dict[str, float] = {}
    for kind in kinds:
        figures[f"{kind}_stack_us"] = sum(medians[kind][:-1])
        figures[f"{kind}_view_us"] = medians[kind][-1]
    print(f"{'all middleware':<{width}} " + " ".join(f"{figures[f'{k}_stack_us']:9.1f}" for k in kinds))
    words = " ".join(f"{k}:stack/view={figures[f'{k}_stack_us'] / figures[f'{k}_view_us']:.3f}" for k in kinds)
    print(f"RATIO {words}")
    for index, name in enumerate(names[:-1]):
        for kind in kinds:
            figures[f"{kind}_{index}_{name}_us"] = medians[kind][index]
    return figures


def queue_fixture_id(n: int) -> str:
    from bench.bench_queue_api import national_id

    return national_id(n)


if __name__ == "__main__":
    main()
