"""From the outbox to deliveries: each event that concerns someone becomes one `Delivery` per channel.

A periodic job reads the outbox after its cursor (`notify`); the deliveries and the cursor commit together,
and `dedupe_key` (event, channel, recipient) is unique, so a message is planned once however many runs
overlap. Planning never talks to a provider: a channel that is down delays nothing here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from motcua.core import outbox
from motcua.core.models import OutboxMessage

from .. import messages, sources
from ..models import Channel, Delivery, Preference, Status

CONSUMER = "notify"


def dedupe_key(event_key: str, channel: str, recipient: str) -> str:
    return f"{event_key}:{channel}:{recipient}"[:200]


def _preference(user) -> Preference | None:
    if user is None:
        return None
    return Preference.objects.filter(user=user).first()


def channels_for(notice: sources.Notice, kind: str, preference: Preference | None) -> list[tuple[str, str]]:
    """(channel, address) pairs for a notice: the person's choice for this kind where an address exists,
    SMS when none of the chosen channels can carry it, and the portal inbox for anyone with an account."""
    chosen = list(preference.channels.get(kind, [Channel.SMS])) if preference else [Channel.SMS]
    pairs: list[tuple[str, str]] = []
    if Channel.SMS in chosen and notice.phone:
        pairs.append((Channel.SMS, notice.phone))
    if Channel.ZALO in chosen and notice.phone and messages.zns_template_id(notice.template):
        pairs.append((Channel.ZALO, notice.phone))
    if Channel.EMAIL in chosen and notice.email:
        pairs.append((Channel.EMAIL, notice.email))
    wanted_outside = [c for c in chosen if c != Channel.PORTAL]
    if not pairs and wanted_outside and notice.phone:
        pairs.append((Channel.SMS, notice.phone))  # the fallback: a chosen channel cannot carry it
    if notice.user is not None:
        pairs.append((Channel.PORTAL, ""))
    return pairs


def plan(message: OutboxMessage) -> bool:
    """The deliveries of one outbox message (the consumer's handler); True when any was created."""
    created_any = False
    now = timezone.now()
    event_key = f"outbox:{message.pk}"
    for notice in sources.notices_for(message):
        kind = messages.TEMPLATES[notice.template].kind
        preference = _preference(notice.user)
        language = preference.language if preference else settings.LANGUAGE_CODE
        subject, text = messages.render(notice.template, notice.params, language)
        for channel, address in channels_for(notice, kind, preference):
            portal = channel == Channel.PORTAL
            _, created = Delivery.objects.get_or_create(
                dedupe_key=dedupe_key(event_key, channel, notice.recipient),
                defaults={"event_key": event_key, "topic": message.topic, "kind": kind, "template": notice.template,
                          "channel": channel, "user": notice.user, "recipient": notice.recipient, "address": address,
                          "fallback_phone": notice.phone if channel in (Channel.ZALO, Channel.EMAIL) else "",
                          "object_type": notice.object_type, "object_id": notice.object_id, "language": language,
                          "subject": subject, "text": text, "params": notice.params,
                          "status": Status.DELIVERED if portal else Status.QUEUED,
                          "next_attempt_at": None if portal else now, "delivered_at": now if portal else None})
            created_any = created_any or created
    return created_any


def max_age() -> dt.timedelta:
    """News older than this is no longer worth a message (and a first run must not send the whole history)."""
    return dt.timedelta(hours=float(getattr(settings, "MOTCUA_NOTIFY_MAX_AGE_HOURS", 48)))


def plan_from_outbox() -> dict[str, int]:
    """Plan the deliveries of every event not yet read; counts for the job's log line."""
    return outbox.consume(CONSUMER, sources.TOPICS, plan, max_age=max_age())
