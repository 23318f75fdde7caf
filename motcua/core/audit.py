"""The append-only, keyed hash chain of the audit log, and its signed checkpoints outside the database.

Each entry's `hash` is HMAC-SHA256, keyed with `settings.MOTCUA_AUDIT_KEY` (read from the environment,
never stored in the database), over the previous entry's hash and the canonical JSON of the entry's
own content (sequence number included). Someone who can write to the database but does not hold the
key can neither change an entry and recompute the chain after it, nor append an entry of their own.
On PostgreSQL a row-level trigger also refuses UPDATE and DELETE on the table (migration 0007).

Removing the newest entries leaves a valid, shorter chain, so a signed checkpoint of the chain head is
appended at least hourly to `settings.MOTCUA_AUDIT_CHECKPOINT` (a JSON-lines file outside the
database); `verify` checks that every checkpointed entry is still there with the hash it had.

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
database's single writer (the project opens transactions IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .models import AuditEntry

GENESIS_HASH = "0" * 64
# An arbitrary constant naming "the audit chain" among advisory locks.
_ADVISORY_LOCK_KEY = 0x6D6F74637561  # "motcua"
CHECKPOINT_VERSION = 1
HTTP_TIMEOUT = 10.0  # seconds, for a checkpoint URL
# What a checkpoint's MAC covers starts with this, an entry's with a 64-digit hash: one can never pass
# for the other.
_CHECKPOINT_DOMAIN = "motcua-audit-checkpoint:"

# Kinds of break, in the words of docs/audit.md.
GAP = "gap"  # a sequence number is missing: an entry was deleted
RELINKED = (
    "relinked"  # prev_hash is not the previous entry's hash: deleted and renumbered, reordered, replaced
)
ALTERED = "altered"  # the content no longer matches its MAC, and the chain still vouches for that hash
FORGED = "forged"  # a MAC not made with the key: an entry appended or recomputed by someone without it
TRUNCATED = "truncated"  # a checkpointed entry beyond the current end of the chain
CHECKPOINT_MISMATCH = "checkpoint_mismatch"  # a checkpointed entry no longer has the hash that was signed
CHECKPOINT_SIGNATURE = "checkpoint_signature"  # a checkpoint line with a bad MAC, or unreadable


def canonical_json(value: Any) -> str:
    """Key-sorted, compact JSON: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _key() -> bytes:
    key = getattr(settings, "MOTCUA_AUDIT_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "MOTCUA_AUDIT_KEY is not set: the audit chain cannot be written or checked"
        )
    return key.encode()


def _mac(message: str) -> str:
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """What the MAC covers: everything but the hashes themselves."""
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
    """HMAC-SHA256 with the audit key over the previous hash and the entry's canonical content."""
    return _mac(prev_hash + canonical_json(entry_content(entry)))


def _mac_matches(prev_hash: str, entry: AuditEntry) -> bool:
    return hmac.compare_digest(compute_hash(prev_hash, entry), entry.hash)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def record_event(
    actor,
    action: str,
    obj_type: str,
    obj_id: Any,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction when there is one."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user is not None else (str(actor) if isinstance(actor, str) else "")
    # Store exactly what will be hashed: JSON round trip, microsecond timestamps in UTC.
    clean_data = json.loads(canonical_json(data or {}))
    # No savepoint inside the caller's transaction: a failed append fails the whole change.
    with transaction.atomic(savepoint=False):
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


# --- checkpoints ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment: its last entry (seq, id, hash), how many entries, and when."""

    seq: int
    entry_id: int | None
    count: int
    hash: str
    at: str  # ISO 8601, UTC

    def fields(self) -> dict[str, Any]:
        return {
            "v": CHECKPOINT_VERSION,
            "seq": self.seq,
            "entry_id": self.entry_id,
            "count": self.count,
            "hash": self.hash,
            "at": self.at,
        }

    def signature(self) -> str:
        return _mac(_CHECKPOINT_DOMAIN + canonical_json(self.fields()))

    def to_line(self) -> str:
        return canonical_json({**self.fields(), "mac": self.signature()})


class CheckpointUnavailable(OSError):
    """The checkpoint URL could not be reached or refused the request (only the status is named)."""


def _is_url(location: str | os.PathLike) -> bool:
    return str(location).startswith(("http://", "https://"))


def checkpoint_path(path: str | os.PathLike | None = None) -> Path | str:
    """Where checkpoints are kept: the given path or URL, else settings.MOTCUA_AUDIT_CHECKPOINT.

    A file path (the default, VAR_DIR/audit-checkpoints.jsonl), or an http(s) URL: each checkpoint is
    POSTed to it as one JSON object, and a GET answers every checkpoint received, one JSON per line.
    """
    configured = (
        path
        or getattr(settings, "MOTCUA_AUDIT_CHECKPOINT", "")
        or Path(settings.VAR_DIR) / ("audit-checkpoints.jsonl")
    )
    return str(configured) if _is_url(configured) else Path(configured)


def _request(url: str, *, data: bytes | None = None) -> urllib.request.Request:
    request = urllib.request.Request(  # noqa: S310 - only called for http(s) URLs
        url,
        data=data,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json"} if data is not None else {},
    )
    token = getattr(settings, "MOTCUA_AUDIT_CHECKPOINT_TOKEN", "")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    return request


def _http(request: urllib.request.Request) -> str | None:
    """The response body; None for 404 (nothing received yet); CheckpointUnavailable otherwise."""
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and request.get_method() == "GET":
            return None
        raise CheckpointUnavailable(f"checkpoint URL answered HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CheckpointUnavailable(f"checkpoint URL unreachable: {type(exc).__name__}") from None


def current_head() -> Checkpoint:
    """A checkpoint of the chain as committed now (seq 0 and the genesis hash when it is empty)."""
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    now = _timestamp(timezone.now())
    if last is None:
        return Checkpoint(seq=0, entry_id=None, count=0, hash=GENESIS_HASH, at=now)
    count = AuditEntry.objects.filter(seq__lte=last.seq).count()
    return Checkpoint(seq=last.seq, entry_id=last.pk, count=count, hash=last.hash, at=now)


def write_checkpoint(path: str | os.PathLike | None = None) -> dict[str, int]:
    """Append a signed checkpoint of the chain head (the scheduler's `audit_checkpoint` job)."""
    target = checkpoint_path(path)
    head = current_head()
    if isinstance(target, str):
        _http(_request(target, data=head.to_line().encode()))
        return {"seq": head.seq}
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each line is added whole at the end, never over an earlier one.
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as stream:
        stream.write(head.to_line() + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    return {"seq": head.seq}


@dataclass(frozen=True)
class CheckpointLine:
    line: int
    checkpoint: Checkpoint | None  # None: the line is unreadable or its signature is bad
    claimed_seq: int = 0


def _parse_checkpoint(text: str) -> tuple[Checkpoint | None, int]:
    try:
        raw = json.loads(text)
        claimed = raw.get("seq") if isinstance(raw, dict) else None
        claimed_seq = claimed if isinstance(claimed, int) and not isinstance(claimed, bool) else 0
        checkpoint = Checkpoint(
            seq=int(raw["seq"]),
            entry_id=raw["entry_id"],
            count=int(raw["count"]),
            hash=str(raw["hash"]),
            at=str(raw["at"]),
        )
        valid = (
            raw.get("v") == CHECKPOINT_VERSION
            and isinstance(raw.get("mac"), str)
            and hmac.compare_digest(checkpoint.signature(), raw["mac"])
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, 0
    return (checkpoint if valid else None), claimed_seq


def read_checkpoints(path: str | os.PathLike | None = None) -> list[CheckpointLine] | None:
    """Every line of the checkpoint file, checked; None when there is no file yet."""
    location = checkpoint_path(path)
    if isinstance(location, str):
        text = _http(_request(location))
        if text is None:
            return None
    else:
        try:
            text = location.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        checkpoint, claimed_seq = _parse_checkpoint(line)
        lines.append(CheckpointLine(number, checkpoint, claimed_seq))
    return lines


# --- verifying --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """One place where the chain does not hold, and why (see the kinds above)."""

    seq: int
    entry_id: int | None
    problem: str
    line: int | None = None  # the checkpoint file's line, for a checkpoint problem

    def describe(self) -> str:
        where = f" (checkpoint line {self.line})" if self.line is not None else ""
        return f"#{self.seq} (id {self.entry_id}){where}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    count: int
    problems: tuple[ChainBreak, ...] = ()
    checkpoints: int = 0  # valid checkpoints compared with the chain
    latest_checkpoint: Checkpoint | None = None
    checkpoint_file_found: bool = False
    checkpoint_file: Path | str | None = field(default=None, compare=False)

    @property
    def broken(self) -> ChainBreak | None:
        """The first problem, in chain order."""
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk(entries: Iterable[AuditEntry], signed_hashes: dict[int, str]) -> tuple[int, ChainBreak | None]:
    """Count the entries in order and return the first break of the chain, if any."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    suspect: AuditEntry | None = None  # its MAC failed: was its content changed, or its MAC made up?
    for entry in entries:
        if suspect is not None:
            # The next entry's valid MAC covers the suspect's stored hash: that hash is the one the key
            # made, so the suspect's content was changed afterwards. Otherwise its hash is made up too.
            vouched = (
                entry.seq == suspect.seq + 1
                and entry.prev_hash == suspect.hash
                and _mac_matches(entry.prev_hash, entry)
            )
            return count, ChainBreak(suspect.seq, suspect.pk, ALTERED if vouched else FORGED)
        count += 1
        if entry.seq != expected_seq:
            return count, ChainBreak(entry.seq, entry.pk, GAP)
        if entry.prev_hash != prev_hash:
            return count, ChainBreak(entry.seq, entry.pk, RELINKED)
        if not _mac_matches(prev_hash, entry):
            if signed_hashes.get(entry.seq) == entry.hash:
                return count, ChainBreak(entry.seq, entry.pk, ALTERED)
            suspect = entry
            continue
        prev_hash = entry.hash
        expected_seq += 1
    if suspect is not None:
        return count, ChainBreak(suspect.seq, suspect.pk, FORGED)
    return count, None


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _compare_checkpoints(checkpoints: list[CheckpointLine], batch_size: int) -> list[ChainBreak]:
    """Each signed checkpoint's entry must still exist with the signed hash; beyond the end: truncated."""
    valid = [line for line in checkpoints if line.checkpoint is not None and line.checkpoint.seq > 0]
    head_seq = AuditEntry.objects.aggregate(head=Max("seq"))["head"] or 0
    found: dict[int, str] = {}
    for chunk in _chunks(sorted({line.checkpoint.seq for line in valid if line.checkpoint}), batch_size):
        found.update(AuditEntry.objects.filter(seq__in=chunk).values_list("seq", "hash"))
    problems = []
    for line in valid:
        checkpoint = line.checkpoint
        assert checkpoint is not None  # noqa: S101 - filtered above
        if checkpoint.seq > head_seq:
            problems.append(ChainBreak(checkpoint.seq, checkpoint.entry_id, TRUNCATED, line.line))
        elif found.get(checkpoint.seq) != checkpoint.hash:
            problems.append(ChainBreak(checkpoint.seq, checkpoint.entry_id, CHECKPOINT_MISMATCH, line.line))
    return problems


def verify(batch_size: int = 2000, checkpoints: str | os.PathLike | None = None) -> ChainReport:
    """Walk the whole chain in order of `seq`, compare it with the checkpoints, report every problem.

    `checkpoints` is the checkpoint file to use (default: settings.MOTCUA_AUDIT_CHECKPOINT), e.g. a
    copy fetched from where the checkpoints are archived.
    """
    path = checkpoint_path(checkpoints)
    lines = read_checkpoints(path)
    problems: list[ChainBreak] = [
        ChainBreak(line.claimed_seq, None, CHECKPOINT_SIGNATURE, line.line)
        for line in lines or []
        if line.checkpoint is None
    ]
    signed = [line.checkpoint for line in lines or [] if line.checkpoint is not None]
    signed_hashes = {checkpoint.seq: checkpoint.hash for checkpoint in signed}
    count, broken = _walk(AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size), signed_hashes)
    if broken is not None:
        problems.append(broken)
    problems += _compare_checkpoints(lines or [], batch_size)
    order = {
        kind: rank
        for rank, kind in enumerate(
            [GAP, RELINKED, ALTERED, FORGED, CHECKPOINT_MISMATCH, TRUNCATED, CHECKPOINT_SIGNATURE]
        )
    }
    problems.sort(key=lambda p: (p.seq, order.get(p.problem, 99), p.line or 0))
    latest = max(signed, key=lambda checkpoint: (checkpoint.at, checkpoint.seq), default=None)
    return ChainReport(
        count=count,
        problems=tuple(problems),
        checkpoints=len(signed),
        latest_checkpoint=latest,
        checkpoint_file_found=lines is not None,
        checkpoint_file=path,
    )


def verify_chain() -> ChainBreak | None:
    """The first problem of the chain (checkpoints included), or None when it is intact."""
    return verify().broken


def history_of(obj_type: str, obj_id: Any):
    """The entries about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=obj_type, object_id=str(obj_id)).order_by("seq")
