"""Work driven by the audit log: process each dossier event after a cursor, exactly once, in order.

The cursor of a consumer (citizen SMS, the national portal push) is the `source_seq` of its latest
marker entry in the audit log, so progress is stored in the same transaction-safe, append-only chain
and no extra table is needed. A consumer that fails on an event stops there; the next run retries it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from motcua.core import audit
from motcua.core.models import AuditEntry

BATCH = 500


def cursor(markers: Iterable[str]) -> int:
    """The last source event a consumer dealt with (0 when it never ran)."""
    last = (AuditEntry.objects.filter(object_type="dossier", action__in=list(markers)).order_by("-seq")
            .values_list("data", flat=True).first())
    return int(last.get("source_seq", 0)) if isinstance(last, dict) else 0


def pending(actions: Iterable[str], markers: Iterable[str], *, limit: int = BATCH,
            max_age: dt.timedelta | None = None) -> list[AuditEntry]:
    """Dossier events of `actions` after the consumer's cursor, oldest first (none older than `max_age`)."""
    entries = AuditEntry.objects.filter(object_type="dossier", action__in=list(actions), seq__gt=cursor(markers))
    if max_age is not None:
        entries = entries.filter(occurred_at__gte=timezone.now() - max_age)
    return list(entries.order_by("seq")[:limit])


def mark(marker: str, entry: AuditEntry, **data) -> None:
    """Record that the consumer dealt with `entry` (this moves its cursor)."""
    audit.record_event("scheduler", marker, "dossier", entry.object_id, data={"source_seq": entry.seq, **data})


def _lock(name: str) -> None:
    """Serialise runs of one consumer: a transaction-level advisory lock on PostgreSQL; on SQLite the
    transaction itself holds the write lock from its start (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


def _marked(markers: Iterable[str], entry: AuditEntry) -> bool:
    return AuditEntry.objects.filter(object_type="dossier", action__in=list(markers),
                                     data__source_seq=entry.seq).exists()


def consume(actions: Iterable[str], markers: tuple[str, str], handle: Callable[[AuditEntry], bool | None],
            *, retryable: tuple[type[Exception], ...], max_age: dt.timedelta | None = None) -> dict[str, int]:
    """Feed pending events to `handle` (True: done, False/None: nothing to do) until one fails retryably.

    `markers` is (done marker, skipped marker). Returns counts for the job's log line.
    """
    counts = {"done": 0, "skipped": 0, "failed": 0}
    for entry in pending(actions, markers, max_age=max_age):
        try:
            with transaction.atomic():
                _lock(markers[0])
                if _marked(markers, entry):
                    continue  # a concurrent run dealt with it meanwhile
                done = handle(entry)
                mark(markers[0] if done else markers[1], entry)
        except retryable:
            counts["failed"] += 1
            break  # keep the order: retry this one (and everything after it) on the next run
        counts["done" if done else "skipped"] += 1
    return counts
