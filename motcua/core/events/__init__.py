"""The event bus for live pages: publish after commit, fan out in memory, stream as server-sent events.

`publish(channel, name, payload)` is the whole interface for the apps (`publish_each` sends one event
on several channels in one statement). Once the change commits, the
event is written to `LiveEvent` (the replay buffer, which gives it its id) and sent to every server
process: through PostgreSQL NOTIFY, Redis pub/sub when REDIS_URL is set, or straight to this
process's hub on SQLite (see `listeners`). Each process has one listener and one `hub.Hub`, which
hands each event to the open streams of its channel; a stream (of one channel, or of the few a staff
inbox follows) waits on its own small queue and holds no thread (under ASGI) and no database
connection while idle.

The browser's EventSource reconnects by itself and sends Last-Event-ID: the events after it come
from the hub's memory (the last `hub.RING_SIZE` of the channel) or, when the client was away longer,
from the table. Rows are short-lived: `prune` removes old ones (called now and then by `publish`).

`shared(channel, key, compute, seconds=…)` keeps an answer (a board's panel) until the channel's next
event reaches this process, or for `seconds`: a thousand screens asking cost one computation per change.
"""

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from ..models import LiveEvent
from .hub import Event, Hub, Subscription, channel_set
from .listeners import make_transport, publish_rows, release_connection, to_event

logger = logging.getLogger(__name__)

__all__ = ["Event", "Hub", "publish", "publish_each", "stream", "astream", "sse_response", "prune", "get_hub", "reset_hub", "shared"]

KEEP_FOR = timedelta(hours=2)
PRUNE_EVERY = 500  # events
STREAM_SECONDS = 55  # then the stream ends and EventSource reconnects
HEARTBEAT_SECONDS = 15
RETRY_MILLISECONDS = 1000
SHARED_SIZE = 1000  # shared answers kept per process (oldest dropped first)

_state_lock = threading.Lock()
_hub: Hub | None = None
_transport = None


def get_hub() -> Hub:
    """This process's hub (and its transport), made on first use."""
    return _bus()[0]


def _bus():
    global _hub, _transport
    with _state_lock:
        if _hub is None:
            _hub = Hub()
            _transport = make_transport(_hub, vendor=connection.vendor,
                                        redis_url=getattr(settings, "REDIS_URL", "") or "",
                                        poll_seconds=getattr(settings, "MOTCUA_EVENTS_POLL_SECONDS", 0))
        return _hub, _transport


def transport():
    return _bus()[1]


def reset_hub() -> None:
    """Stop this process's listener and forget its hub (tests; a fresh one is made on next use)."""
    global _hub, _transport
    with _state_lock:
        old, _hub, _transport = _transport, None, None
    _shared.clear()
    if old is not None:
        old.stop()


def publish(channel: str, name: str, payload: dict[str, Any] | None = None) -> None:
    """Send an event on `channel` once the current transaction commits (at once outside one).

    Payloads go to the screens of the channel: put only what every viewer of it may see in them.
    """
    publish_each([channel], name, payload)


def publish_each(channels: Iterable[str], name: str, payload: dict[str, Any] | None = None) -> None:
    """`publish` the same event on each of `channels`, in one statement after the commit."""
    body = payload or {}
    json.dumps(body)  # fail in the caller, not after commit
    names = list(dict.fromkeys(channels))
    if not names:
        return

    def send():
        hub, bus = _bus()
        rows = publish_rows(bus, [(channel, name, body) for channel in names])
        for row in rows:
            hub.note(row.channel, row.pk)
        if any(row.pk % PRUNE_EVERY == 0 for row in rows):
            prune()

    transaction.on_commit(send)


class _Shared:
    """Answers computed once per change of a channel and shared by every request of this process."""

    def __init__(self, size: int = SHARED_SIZE):
        self.size = size
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[int, float, Any]] = {}

    def get(self, channel: str, key: str, compute: Callable[[], Any], *, seconds: float,
            clock: Callable[[], float] = time.monotonic) -> Any:
        hub, bus = _bus()
        bus.start()  # no wait: until the listener receives, every call computes
        version = hub.version(channel)
        if version is None:
            return compute()
        now = clock()
        with self._lock:
            entry = self._entries.get((channel, key))
        if entry is not None and entry[0] == version and entry[1] > now:
            return entry[2]
        value = compute()  # read after the version: the value is at least as new as the version says
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[(channel, key)] = (version, now + seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_shared = _Shared()


def shared(channel: str, key: str, compute: Callable[[], Any], *, seconds: float) -> Any:
    """`compute()`, or the value computed for `key` since the last event of `channel` and at most
    `seconds` ago (for what also changes with time alone). A screen read by a thousand clients
    costs one computation per change; the value is shared, so it must not be changed by callers.
    """
    return _shared.get(channel, key, compute, seconds=seconds)


def latest_id(channel: str) -> int:
    """The id of the newest event of `channel` in the table (0 when there is none)."""
    last = LiveEvent.objects.filter(channel=channel).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def events_after(channels: str | Iterable[str], last_id: int, limit: int = 100) -> list[LiveEvent]:
    return list(LiveEvent.objects.filter(channel__in=channel_set(channels), id__gt=last_id).order_by("id")[:limit])


def _table_backlog(channels: frozenset[str], last_id: int) -> list[Event]:
    """The events after `last_id` from the replay table, for a client away longer than memory reaches."""
    try:
        return [to_event(row) for row in events_after(channels, last_id)]
    finally:
        release_connection()


def opening_frame(cursor: int) -> str:
    """The first frame: reconnect delay, and the cursor as the last event id.

    Without an id, a client that had received no event yet would reconnect without Last-Event-ID
    and start again from "now", losing whatever was published while it was away.
    """
    return f"retry: {RETRY_MILLISECONDS}\nid: {cursor}\nevent: ready\ndata: {{}}\n\n"


def format_event(event: Event | LiveEvent) -> str:
    """One server-sent event: id, event name and a one-line JSON data field."""
    data = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.name}\ndata: {data}\n\n"


class _Cursor:
    """What one stream has sent: the id to resume from, and the replayed ids not to send twice."""

    def __init__(self, start: int, backlog: list[Event]):
        self.start = start
        self.sent = {e.id for e in backlog}
        self.last = max([start, *self.sent])

    def fresh(self, events: list[Event]) -> list[Event]:
        out = [e for e in events if e.id > self.start and e.id not in self.sent]
        for event in out:
            self.sent.add(event.id)
            self.last = event.id
        return out


def _open(hub: Hub, channels: frozenset[str], last_id: int | None) -> tuple[int, list[Event] | None]:
    """The opening cursor, and the backlog from memory (None: read the table)."""
    if last_id is None:
        return hub.latest_id, []
    return last_id, hub.replay(channels, last_id)


def stream(channel: str | Iterable[str], *, last_id: int | None = None, max_seconds: float = STREAM_SECONDS,
           heartbeat_seconds: float = HEARTBEAT_SECONDS, clock=time.monotonic,
           hub: Hub | None = None) -> Iterator[str]:
    """Server-sent event frames for `channel` (or several channels; threaded servers): the events
    after `last_id`, or from now."""
    channels = channel_set(channel)
    bus_hub, bus = (hub, None) if hub is not None else _bus()
    if bus is not None:
        bus.wait_ready()
    subscription = bus_hub.subscribe(channels)
    try:
        start, backlog = _open(bus_hub, channels, last_id)
        if backlog is None:
            backlog = _table_backlog(channels, start)
        cursor = _Cursor(start, backlog)
        yield opening_frame(start)
        for event in backlog:
            yield format_event(event)
        yield from _follow(subscription, cursor, max_seconds, heartbeat_seconds, clock)
    finally:
        bus_hub.unsubscribe(subscription)


def _follow(subscription: Subscription, cursor: _Cursor, max_seconds, heartbeat_seconds, clock) -> Iterator[str]:
    started = last_beat = clock()
    while (left := max_seconds - (clock() - started)) > 0:
        subscription.wait(min(left, max(heartbeat_seconds - (clock() - last_beat), 0.001)))
        batch = cursor.fresh(subscription.take())
        for event in batch:
            yield format_event(event)
        if subscription.overflowed:
            return  # too slow: the client reconnects and resumes from its last id
        if batch:
            last_beat = clock()
        elif clock() - last_beat >= heartbeat_seconds:
            last_beat = clock()
            yield ": keepalive\n\n"


async def astream(channel: str | Iterable[str], *, last_id: int | None = None, max_seconds: float = STREAM_SECONDS,
                  heartbeat_seconds: float = HEARTBEAT_SECONDS, clock=time.monotonic,
                  hub: Hub | None = None) -> AsyncIterator[str]:
    """`stream` for ASGI servers: between events it holds neither a thread nor a database connection."""
    channels = channel_set(channel)
    bus_hub, bus = (hub, None) if hub is not None else _bus()
    if bus is not None and not bus_hub.ready:
        await asyncio.to_thread(bus.wait_ready)
    subscription = bus_hub.subscribe(channels, loop=asyncio.get_running_loop())
    try:
        start, backlog = _open(bus_hub, channels, last_id)
        if backlog is None:
            backlog = await sync_to_async(_table_backlog, thread_sensitive=False)(channels, start)
        cursor = _Cursor(start, backlog)
        yield opening_frame(start)
        for event in backlog:
            yield format_event(event)
        started = last_beat = clock()
        while (left := max_seconds - (clock() - started)) > 0:
            await subscription.await_(min(left, max(heartbeat_seconds - (clock() - last_beat), 0.001)))
            batch = cursor.fresh(subscription.take())
            for event in batch:
                yield format_event(event)
            if subscription.overflowed:
                return
            if batch:
                last_beat = clock()
            elif clock() - last_beat >= heartbeat_seconds:
                last_beat = clock()
                yield ": keepalive\n\n"
    finally:
        bus_hub.unsubscribe(subscription)


def parse_last_event_id(value: str | None) -> int | None:
    """The Last-Event-ID header (or ?last_id=) as an int; None when absent or malformed."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


def sse_response(channel: str | Iterable[str], request, **options) -> StreamingHttpResponse:
    """A streaming response of `channel` (or channels) that resumes after the client's Last-Event-ID."""
    last_id = parse_last_event_id(request.headers.get("Last-Event-ID") or request.GET.get("last_id"))
    frames = (astream if isinstance(request, ASGIRequest) else stream)(channel, last_id=last_id, **options)
    response = StreamingHttpResponse(frames, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    # The view is done with the database: let its connection go now rather than when the stream
    # ends (under ASGI each request's sync part has a thread and a connection of its own).
    release_connection()
    return response


def prune(keep_for: timedelta = KEEP_FOR) -> int:
    """Delete events older than `keep_for`; returns how many were removed."""
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - keep_for).delete()
    if deleted:
        logger.info("pruned %d live events", deleted)
    return deleted
