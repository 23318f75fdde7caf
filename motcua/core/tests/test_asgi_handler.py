"""The project's ASGI handler: the middleware stack and a sync view in one hop, async streams as before."""

import asyncio
import threading

import pytest
from django.http import JsonResponse
from django.urls import path

from motcua.core import events
from motcua.core.events.hub import Event, Hub
from motcua.core.handlers import ProjectASGIHandler
from motcua.core.tests.asgi_streams import open_stream, run_fresh

HUB = Hub()
HUB.mark_ready(0)
THREADS: dict[str, int] = {}


class ThreadProbe:
    """Notes the thread the middleware chain starts in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        THREADS["middleware"] = threading.get_ident()
        return self.get_response(request)


def sync_view(request):
    THREADS["view"] = threading.get_ident()
    return JsonResponse({"ok": True})


async def stream_view(request):
    return events.sse_response("test:asgi", request, max_seconds=10, hub=HUB)


urlpatterns = [path("t/sync", sync_view), path("t/stream", stream_view)]


async def call(app, path_: str) -> tuple[int, dict[bytes, bytes], bytes]:
    messages: list[dict] = []
    requested = [{"type": "http.request", "body": b"", "more_body": False}]
    done = asyncio.Event()

    async def receive():
        if requested:
            return requested.pop()
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path_, "raw_path": path_.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    await app(scope, receive, send)
    done.set()
    start = messages[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in messages[1:])


@pytest.fixture
def probed(settings):
    from django.conf import settings as live

    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = [f"{__name__}.ThreadProbe", *live.MIDDLEWARE]  # outermost: the stack stays as it is
    THREADS.clear()


@pytest.fixture
def hops(monkeypatch):
    """How many times code was sent from the event loop to a worker thread (`sync_to_async` calls)."""
    from asgiref.sync import SyncToAsync

    counted = [0]
    original = SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        counted[0] += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting)
    return counted


def serve(handler_class, path_: str):
    async def main():
        loop_thread = threading.get_ident()
        answer = await call(handler_class(), path_)
        return loop_thread, answer

    return run_fresh(main)


@pytest.mark.django_db(transaction=True)
def test_the_whole_stack_and_a_sync_view_cross_to_the_worker_thread_once(probed, hops):
    from django.core.handlers.asgi import ASGIHandler

    loop_thread, (status, headers, body) = serve(ProjectASGIHandler, "/t/sync")
    assert status == 200 and body == b'{"ok": true}'
    # The middleware ran: its headers are on the answer.
    assert b"X-Request-ID" in headers and headers[b"X-Frame-Options"] == b"DENY"
    assert b"Content-Security-Policy" in headers
    assert THREADS["middleware"] == THREADS["view"] != loop_thread
    # Three crossings: the request_started signal, the middleware and view, the response's close.
    assert hops[0] == 3
    ours = hops[0]

    hops[0] = 0
    _loop, (status, _headers, _body) = serve(ASGIHandler, "/t/sync")
    assert status == 200
    assert hops[0] > ours + 10, "Django's own handler crosses for each middleware step (the comparison)"


@pytest.mark.django_db(transaction=True)
def test_the_project_application_is_this_handler():
    import motcua.asgi

    assert isinstance(motcua.asgi.application, ProjectASGIHandler)


@pytest.mark.django_db(transaction=True)
def test_an_async_stream_goes_through_the_stack_and_gets_its_events(probed):
    async def main():
        stream = await open_stream(ProjectASGIHandler(), "/t/stream")
        opening = stream.frames[0]
        HUB.deliver(Event(1, "test:asgi", "call", {"ticket": "A-001"}))
        frame = await stream.next_frame()
        await stream.close()
        return stream.status, opening, frame

    status, opening, frame = run_fresh(main)
    assert status == 200 and "event: ready" in opening
    assert frame.startswith("id: 1\nevent: call\n") and "A-001" in frame
    assert HUB.subscriber_count() == 0
