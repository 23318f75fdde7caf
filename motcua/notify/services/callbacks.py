"""What the providers report after accepting a message: delivered, or failed with a reason."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from ..models import Delivery, Status
from .sending import fall_back_to_sms

logger = logging.getLogger("motcua.notify")


def record_report(channel: str, provider_message_id: str, status: str, reason: str = "",
                  now: dt.datetime | None = None) -> int:
    """Apply a delivery report to the delivery the provider's id names; how many rows it changed (0: unknown id,
    or a report that would move the status backwards, e.g. "failed" after "delivered")."""
    now = now or timezone.now()
    rows = Delivery.objects.filter(channel=channel, provider_message_id=provider_message_id)
    if not provider_message_id:
        return 0
    if status == "delivered":
        changed = rows.exclude(status=Status.DELIVERED).update(status=Status.DELIVERED, delivered_at=now)
    elif status == "failed":
        changed = rows.filter(status=Status.SENT).update(status=Status.FAILED, failed_at=now,
                                                          last_error=(reason or "failed")[:120])
        for delivery in rows.filter(status=Status.FAILED):
            fall_back_to_sms(delivery, now)
    else:
        return 0
    for pk in rows.values_list("pk", flat=True):
        logger.info("delivery %s channel=%s report=%s applied=%d", pk, channel, status, changed)
    return changed
