"""The event bus for live pages: publish after commit into `LiveEvent`, stream as server-sent events.

Every server process reads the same table, so a call made in one worker reaches a display board
connected to another without a broker. A stream polls for rows after the last id it sent (a short
poll, a fraction of a second), which works the same on SQLite and PostgreSQL; the browser's
EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed across reconnects.
Rows are short-lived: `prune` removes old ones (called now and then by `publish`).
"""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from .models import LiveEvent

logger = logging.getLogger(__name__)

KEEP_FOR = timedelta(hours=2)
PRUNE_EVERY = 500  # events
POLL_SECONDS = 0.25
STREAM_SECONDS = 55  # then the stream ends and EventSource reconnects (frees the worker)
HEARTBEAT_SECONDS = 15
RETRY_MILLISECONDS = 1000


def publish(channel: str, name: str, payload: dict[str, Any] | None = None) -> None:
    """Record an event for `channel` once the current transaction commits (at once outside one).

    Payloads go to public screens: put only what every viewer may see in them.
    """
    body = payload or {}
    json.dumps(body)  # fail in the caller, not after commit

    def write():
        event = LiveEvent.objects.create(channel=channel, name=name, payload=body)
        if event.pk % PRUNE_EVERY == 0:
            prune()

    transaction.on_commit(write)


def latest_id(channel: str) -> int:
    """The id of the newest event of `channel` (0 when there is none)."""
    last = LiveEvent.objects.filter(channel=channel).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def events_after(channel: str, last_id: int, limit: int = 100) -> list[LiveEvent]:
    return list(LiveEvent.objects.filter(channel=channel, id__gt=last_id).order_by("id")[:limit])


def opening_frame(cursor: int) -> str:
    """The first frame: reconnect delay, and the cursor as the last event id.

    Without an id, a client that had received no event yet would reconnect without Last-Event-ID
    and start again from "now", losing whatever was published while it was away.
    """
    return f"retry: {RETRY_MILLISECONDS}\nid: {cursor}\nevent: ready\ndata: {{}}\n\n"


def format_event(event: LiveEvent) -> str:
    """One server-sent event: id, event name and a one-line JSON data field."""
    data = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.pk}\nevent: {event.name}\ndata: {data}\n\n"


def stream(channel: str, *, last_id: int | None = None, poll_seconds: float = POLL_SECONDS,
           max_seconds: float = STREAM_SECONDS, heartbeat_seconds: float = HEARTBEAT_SECONDS,
           sleep=time.sleep, clock=time.monotonic) -> Iterator[str]:
    """Server-sent event frames for `channel`: the events after `last_id` (default: from now on)."""
    cursor = latest_id(channel) if last_id is None else last_id
    yield opening_frame(cursor)
    started = last_beat = clock()
    while clock() - started < max_seconds:
        batch = events_after(channel, cursor)
        for event in batch:
            cursor = event.pk
            yield format_event(event)
        if batch:
            last_beat = clock()
            continue
        if clock() - last_beat >= heartbeat_seconds:
            last_beat = clock()
            yield ": keepalive\n\n"
        sleep(poll_seconds)


async def astream(channel: str, *, last_id: int | None = None, poll_seconds: float = POLL_SECONDS,
                  max_seconds: float = STREAM_SECONDS, heartbeat_seconds: float = HEARTBEAT_SECONDS,
                  sleep=asyncio.sleep, clock=time.monotonic) -> AsyncIterator[str]:
    """`stream` for ASGI servers: the same frames without holding a thread between polls.

    (Under ASGI Django would read a synchronous iterator to its end before sending anything.)
    """
    read_latest = sync_to_async(latest_id, thread_sensitive=False)
    read_after = sync_to_async(events_after, thread_sensitive=False)
    cursor = await read_latest(channel) if last_id is None else last_id
    yield opening_frame(cursor)
    started = last_beat = clock()
    while clock() - started < max_seconds:
        batch = await read_after(channel, cursor)
        for event in batch:
            cursor = event.pk
            yield format_event(event)
        if batch:
            last_beat = clock()
            continue
        if clock() - last_beat >= heartbeat_seconds:
            last_beat = clock()
            yield ": keepalive\n\n"
        await sleep(poll_seconds)


def parse_last_event_id(value: str | None) -> int | None:
    """The Last-Event-ID header (or ?last_id=) as an int; None when absent or malformed."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


def sse_response(channel: str, request, **options) -> StreamingHttpResponse:
    """A streaming response of `channel` that resumes after the client's Last-Event-ID."""
    last_id = parse_last_event_id(request.headers.get("Last-Event-ID") or request.GET.get("last_id"))
    frames = (astream if isinstance(request, ASGIRequest) else stream)(channel, last_id=last_id, **options)
    response = StreamingHttpResponse(frames, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response


def prune(keep_for: timedelta = KEEP_FOR) -> int:
    """Delete events older than `keep_for`; returns how many were removed."""
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - keep_for).delete()
    if deleted:
        logger.info("pruned %d live events", deleted)
    return deleted
