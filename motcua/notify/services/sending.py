"""Sending the deliveries that are due, retried with exponential backoff, given up after N attempts.

A worker claims a delivery with one conditional update (queued, due → sending, attempts + 1, a lease
as its next attempt), so of two workers only one sends it; a worker that dies mid-send leaves a
`sending` row whose lease runs out, and the next run tries it again. After a channel fails once in a
run, its other deliveries wait for the next run: a provider that is down delays nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ..channels import ChannelUnavailable, sender_for
from ..models import Channel, Delivery, Status
from .planning import dedupe_key, plan_from_outbox

logger = logging.getLogger("motcua.notify")

RETRYABLE = (Status.QUEUED, Status.SENDING)


def max_attempts() -> int:
    return int(getattr(settings, "MOTCUA_NOTIFY_MAX_ATTEMPTS", 6))


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the attempt after `attempts` failed ones: base × 2^(attempts−1), at most the cap."""
    base = float(getattr(settings, "MOTCUA_NOTIFY_RETRY_BASE_SECONDS", 60))
    cap = float(getattr(settings, "MOTCUA_NOTIFY_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "MOTCUA_NOTIFY_LEASE_SECONDS", 300)))


def _claim(pk: int, now: dt.datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(pk=pk, status__in=RETRYABLE, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + _lease())
    return Delivery.objects.get(pk=pk) if claimed else None


def fall_back_to_sms(delivery: Delivery, now: dt.datetime) -> Delivery | None:
    """An SMS in place of a Zalo or e-mail message that cannot arrive (none when the event already has one)."""
    if delivery.channel == Channel.SMS or not delivery.fallback_phone:
        return None
    sms, created = Delivery.objects.get_or_create(
        dedupe_key=dedupe_key(delivery.event_key, Channel.SMS, delivery.recipient),
        defaults={"event_key": delivery.event_key, "topic": delivery.topic, "kind": delivery.kind,
                  "template": delivery.template, "channel": Channel.SMS, "user": delivery.user,
                  "recipient": delivery.recipient, "address": delivery.fallback_phone,
                  "object_type": delivery.object_type, "object_id": delivery.object_id, "language": delivery.language,
                  "subject": delivery.subject, "text": delivery.text, "params": delivery.params,
                  "status": Status.QUEUED, "next_attempt_at": now})
    if created:
        logger.info("delivery %s channel=%s falls back to sms delivery %s", delivery.pk, delivery.channel, sms.pk)
    return sms if created else None


def _give_up(delivery: Delivery, reason: str, now: dt.datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD, failed_at=now, next_attempt_at=None,
                                                   last_error=reason[:120])
    logger.warning("delivery %s channel=%s status=dead attempts=%d", delivery.pk, delivery.channel, delivery.attempts)
    fall_back_to_sms(delivery, now)


def send_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due (the periodic job's second half); counts, never an address."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "dead": 0, "waiting": 0, "elsewhere": 0}
    due = list(Delivery.objects.filter(status__in=RETRYABLE, next_attempt_at__lte=now).exclude(channel=Channel.PORTAL)
               .order_by("next_attempt_at", "id").values_list("pk", "channel")[:limit])
    down: set[str] = set()
    for pk, channel in due:
        if channel in down:
            counts["waiting"] += 1
            continue
        delivery = _claim(pk, now)
        if delivery is None:
            counts["elsewhere"] += 1  # another worker has it
            continue
        if delivery.attempts > max_attempts():  # a lease ran out after the last allowed attempt
            _give_up(delivery, delivery.last_error or "attempts exhausted", now)
            counts["dead"] += 1
            continue
        try:
            message_id = sender_for(channel).send(delivery)
        except Exception as exc:  # noqa: BLE001 - one broken message must not stop the others
            if isinstance(exc, ChannelUnavailable):
                down.add(channel)
                reason = str(exc)
            else:  # e.g. an address the provider's client refuses: only the class, the text may hold it
                reason = f"error: {type(exc).__name__}"
                logger.warning("delivery %s channel=%s failed with %s", pk, channel, type(exc).__name__)
            if delivery.attempts >= max_attempts():
                _give_up(delivery, reason, now)
                counts["dead"] += 1
            else:
                Delivery.objects.filter(pk=pk, status=Status.SENDING).update(
                    status=Status.QUEUED, next_attempt_at=now + backoff(delivery.attempts), last_error=reason[:120])
                logger.info("delivery %s channel=%s attempt=%d failed, retry in %ds", pk, channel, delivery.attempts,
                            backoff(delivery.attempts).total_seconds())
                counts["retry"] += 1
            continue
        Delivery.objects.filter(pk=pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, provider_message_id=message_id[:100],
            last_error="")
        logger.info("delivery %s channel=%s status=sent attempt=%d", pk, channel, delivery.attempts)
        counts["sent"] += 1
    return counts


def requeue(deliveries: Iterable[Delivery] | None = None, *, now: dt.datetime | None = None) -> int:
    """Try again, from the first attempt, deliveries that were given up or failed (staff, `notify_retry`)."""
    now = now or timezone.now()
    ids = [d.pk for d in deliveries] if deliveries is not None else None
    rows = Delivery.objects.filter(status__in=(Status.DEAD, Status.FAILED)).exclude(channel=Channel.PORTAL)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(status=Status.QUEUED, attempts=0, next_attempt_at=now, failed_at=None)


def run() -> dict[str, int]:
    """The periodic job: plan from the outbox, then send what is due."""
    planned = plan_from_outbox()
    sent = send_due()
    return {"planned": planned["done"], **sent}
