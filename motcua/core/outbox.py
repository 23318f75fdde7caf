"""The outbox: a change writes its messages in its own transaction; each consumer reads after its cursor.

- `emit(topic, object_type, object_id, payload)` inside the change's transaction: the message exists if
  and only if the change committed. Writers are serialised (a transaction-level advisory lock on
  PostgreSQL; SQLite has a single writer, the project opens transactions IMMEDIATE), so ids become
  visible in increasing order and a consumer that has seen id N can never later find a message below it.
- `consume(consumer, topics, handle, retryable=...)`: the messages of `topics` after the consumer's
  cursor, oldest first, each handled once: the cursor moves in the same transaction as the handler's
  own writes, under a lock on the cursor row, so two runs of one consumer never handle the same
  message. A retryable failure stops the run there; the next run starts again from that message.
- `prune_consumed()`: the periodic job deleting messages every consumer is past, once old enough.

The audit log says what happened; the outbox says what others still have to act on. Neither is read
in place of the other.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from .models import ConsumerCursor, OutboxMessage

BATCH = 500
PRUNE_CHUNK = 2000
# An arbitrary constant naming "the outbox" among advisory locks (the audit chain has its own).
_ADVISORY_LOCK_KEY = 0x6F7574626F78  # "outbox"


def _lock_writers() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def emit(topic: str, object_type: str, object_id: Any, payload: dict[str, Any] | None = None) -> OutboxMessage:
    """Write one message in the caller's transaction (codes and ids only, never personal data).

    Call it after the change's audit event, in the same transaction: the lock it takes is held until
    commit, and taking the two locks always in that order keeps writers from waiting on each other.
    """
    # Stored as it will be read back (a JSON round trip; dates and the like as text), like audit data.
    body = json.loads(json.dumps(payload or {}, default=str))
    with transaction.atomic(savepoint=False):  # a failed write fails the caller's whole change
        _lock_writers()
        return OutboxMessage.objects.create(topic=topic[:60], object_type=object_type[:60],
                                            object_id=str(object_id)[:60], payload=body,
                                            created_at=timezone.now())


def latest_id() -> int:
    """The id of the newest committed message (0 when there is none)."""
    return OutboxMessage.objects.aggregate(head=Max("id"))["head"] or 0


def cursor_of(consumer: str) -> ConsumerCursor:
    """The consumer's cursor, created at 0 the first time (it then reads every message still kept)."""
    cursor, _ = ConsumerCursor.objects.get_or_create(name=consumer)
    return cursor


def pending(after: int, topics: Iterable[str], *, up_to: int | None = None, limit: int = BATCH,
            max_age: dt.timedelta | None = None) -> list[OutboxMessage]:
    """Messages of `topics` after id `after` (up to `up_to`), oldest first, none older than `max_age`."""
    messages = OutboxMessage.objects.filter(topic__in=list(topics), id__gt=after)
    if up_to is not None:
        messages = messages.filter(id__lte=up_to)
    if max_age is not None:
        messages = messages.filter(created_at__gte=timezone.now() - max_age)
    return list(messages.order_by("id")[:limit])


def _locked_cursor(consumer: str) -> ConsumerCursor:
    """The cursor row, locked until the transaction ends (PostgreSQL; SQLite's writer lock does it there)."""
    return ConsumerCursor.objects.select_for_update().get(name=consumer)


def _advance(cursor: ConsumerCursor, last_id: int) -> None:
    cursor.last_id = last_id
    cursor.updated_at = timezone.now()
    cursor.save(update_fields=["last_id", "updated_at"])


def consume(consumer: str, topics: Iterable[str], handle: Callable[[OutboxMessage], bool | None], *,
            retryable: tuple[type[Exception], ...] = (), batch: int = BATCH,
            max_age: dt.timedelta | None = None) -> dict[str, int]:
    """Feed the consumer's pending messages to `handle` (True: done, False/None: nothing to do), in order,
    until one fails with a `retryable` exception. Returns counts for the job's log line.

    Any other exception leaves the cursor before the message and propagates (the job fails and is run
    again at its next interval). Messages older than `max_age` are passed over.
    """
    topics = list(topics)
    counts = {"done": 0, "skipped": 0, "failed": 0}
    start = cursor_of(consumer).last_id
    # Every message up to `head` is committed (writers commit in id order), so after dealing with all of
    # ours up to it, the cursor may move to `head` past the other topics' messages: pruning is not held back.
    head = latest_id()
    messages = pending(start, topics, up_to=head, limit=batch, max_age=max_age)
    for message in messages:
        try:
            with transaction.atomic():
                cursor = _locked_cursor(consumer)
                if cursor.last_id >= message.pk:
                    continue  # a concurrent run dealt with it meanwhile
                done = handle(message)
                _advance(cursor, message.pk)
        except retryable:
            counts["failed"] += 1
            return counts  # keep the order: retry this one (and everything after it) on the next run
        counts["done" if done else "skipped"] += 1
    if len(messages) < batch:
        with transaction.atomic():
            cursor = _locked_cursor(consumer)
            if cursor.last_id < head:
                _advance(cursor, head)
    return counts


def keep_days() -> float:
    """Days a consumed message is kept (MOTCUA_OUTBOX_KEEP_DAYS, 30): time to look into a complaint."""
    return float(getattr(settings, "MOTCUA_OUTBOX_KEEP_DAYS", 30))


def prune_consumed(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the messages every consumer is past and older than `keep_days()` (the periodic job).

    With no cursor at all nothing is known to be consumed, and nothing is deleted.
    """
    floor = ConsumerCursor.objects.aggregate(floor=Min("last_id"))["floor"]
    if not floor:
        return {"deleted": 0}
    before = (now or timezone.now()) - dt.timedelta(days=keep_days())
    old = OutboxMessage.objects.filter(id__lte=floor, created_at__lt=before).order_by("id")
    deleted = 0
    while ids := list(old.values_list("id", flat=True)[:PRUNE_CHUNK]):
        deleted += OutboxMessage.objects.filter(id__in=ids).delete()[0]
    return {"deleted": deleted}
