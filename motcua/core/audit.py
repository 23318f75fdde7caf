"""The append-only, hash-chained audit log.

Each entry's `hash` is SHA-256 over the previous entry's hash and the canonical JSON of the entry's
own content (sequence number included), so changing, removing or reordering an entry breaks the
chain from that entry on. Appends are serialised: on PostgreSQL by a transaction-level advisory
lock, on SQLite by the database's single writer (the project opens transactions IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS_HASH = "0" * 64
# An arbitrary constant naming "the audit chain" among advisory locks.
_ADVISORY_LOCK_KEY = 0x6D6F74637561  # "motcua"


def canonical_json(value: Any) -> str:
    """Key-sorted, compact JSON: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """What the hash covers: everything but the hashes themselves."""
    return {
        "seq": entry.seq,
        "occurred_at": _timestamp(entry.occurred_at),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "reason": entry.reason,
        "data": entry.data,
    }


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry_content(entry))).encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def record_event(actor, action: str, obj_type: str, obj_id: Any, from_state: str = "", to_state: str = "",
                 reason: str = "", data: dict | None = None) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction when there is one."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user is not None else (str(actor) if isinstance(actor, str) else "")
    # Store exactly what will be hashed: JSON round trip, microsecond timestamps in UTC.
    clean_data = json.loads(canonical_json(data or {}))
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            occurred_at=timezone.now().astimezone(dt.UTC),
            actor=user,
            actor_label=label[:150],
            action=action[:60],
            object_type=obj_type[:60],
            object_id=str(obj_id)[:60],
            from_state=(from_state or "")[:40],
            to_state=(to_state or "")[:40],
            reason=reason or "",
            data=clean_data,
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        entry.hash = compute_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold, and why."""

    seq: int
    entry_id: int
    problem: str  # "changed" | "removed_before" | "reordered"

    def describe(self) -> str:
        return f"#{self.seq} (id {self.entry_id}): {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(batch_size: int = 2000) -> ChainReport:
    """Walk the whole chain in order of `seq` and report its length and first break."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(count, ChainBreak(entry.seq, entry.pk, "removed_before"))
        if entry.prev_hash != prev_hash:
            return ChainReport(count, ChainBreak(entry.seq, entry.pk, "reordered"))
        if compute_hash(prev_hash, entry) != entry.hash:
            return ChainReport(count, ChainBreak(entry.seq, entry.pk, "changed"))
        prev_hash = entry.hash
        expected_seq += 1
    return ChainReport(count, None)


def verify_chain() -> ChainBreak | None:
    """The first broken entry of the chain, or None when it is intact."""
    return verify().broken


def history_of(obj_type: str, obj_id: Any):
    """The entries about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=obj_type, object_id=str(obj_id)).order_by("seq")
