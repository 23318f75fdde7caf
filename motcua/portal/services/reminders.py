"""Expiry reminders: a paper of the wallet that expires soon is announced once per lead time.

The periodic job `wallet_expiry_reminders` looks at every paper with an expiry date within the
largest lead time (`MOTCUA_WALLET_REMINDER_DAYS`, 60/30/7 by default). A paper 25 days from expiry
is due its 30-day reminder; when the job did not run for a while (a long weekend, an outage), only the
most urgent lead time still ahead is sent, never the ones it has passed. Each reminder is one
`ExpiryReminder` row (unique per paper, expiry date and lead time: a second run, or two schedulers at
once, write nothing more) and, in the same transaction, one outbox message `portal.document_expiring`
that the notifications read. A paper renewed with a new expiry date is reminded again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from motcua.core import outbox
from motcua.core.privacy import mask_text

from ..models import ExpiryReminder, WalletDocument
from ..selectors.wallet import lead_days, renewal_procedure

logger = logging.getLogger(__name__)

TOPIC = "portal.document_expiring"


def due_lead(days_left: int, leads: tuple[int, ...]) -> int | None:
    """The lead time a paper `days_left` days from expiry is due: the smallest one not below it."""
    if days_left < 0:
        return None
    ahead = [lead for lead in leads if lead >= days_left]
    return min(ahead) if ahead else None


def _site() -> str:
    return getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def message_payload(paper: WalletDocument, lead: int, days_left: int) -> dict:
    """What a message needs: whose paper, which one, when it expires, and the link that renews it.

    Ids and codes only, no personal number (the paper's title is masked like a log line).
    """
    renewal = renewal_procedure(paper.kind)
    path = reverse("portal-wallet")
    if renewal is not None:
        path = reverse("portal-file") + "?" + urlencode({"procedure": renewal.code})
    return {
        "person_id": paper.person_id,
        "user_id": paper.person.user_id,
        "document_id": paper.pk,
        "kind": paper.kind,
        "kind_label": str(paper.get_kind_display()),
        "title": mask_text(paper.title),
        "expires_on": paper.expires_on.isoformat() if paper.expires_on else None,
        "expires_on_display": paper.expires_on.strftime("%d/%m/%Y") if paper.expires_on else "",
        "days_left": days_left,
        "lead_days": lead,
        "renewal_procedure": renewal.code if renewal else "",
        "renewal_procedure_name": renewal.name if renewal else "",
        "path": path,
        "url": _site() + path,
    }


def send_expiry_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Write the reminders that are due today (idempotent); the counts of sent and already-sent ones."""
    today = timezone.localdate(now or timezone.now())
    leads = lead_days()
    counts = {"sent": 0, "already": 0}
    if not leads:
        return counts
    horizon = today + dt.timedelta(days=max(leads))
    papers = (
        WalletDocument.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .select_related("person")
        .order_by("expires_on", "pk")
    )
    for paper in papers:
        assert paper.expires_on is not None  # filtered above
        days_left = (paper.expires_on - today).days
        lead = due_lead(days_left, leads)
        if lead is None:
            continue
        if ExpiryReminder.objects.filter(
            document=paper, expires_on=paper.expires_on, lead_days=lead
        ).exists():
            counts["already"] += 1
            continue
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(document=paper, expires_on=paper.expires_on, lead_days=lead)
                outbox.emit(TOPIC, "wallet_document", paper.pk, message_payload(paper, lead, days_left))
        except IntegrityError:  # another scheduler wrote it in the meantime
            counts["already"] += 1
            continue
        counts["sent"] += 1
    return counts
