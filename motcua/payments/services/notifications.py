"""The payer is texted the link to each receipt issued for their dossier.

Sent by a periodic job reading the outbox (`payment.receipt_issued`) with its own cursor
(`payer_sms`), like the dossier's SMS: a gateway outage never blocks a payment, each text is sent
once and retried until the gateway accepts it. The link opens the receipt's public check (no payer
name on it); the number goes to the gateway only, never to a log line.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from motcua.core import codes, outbox
from motcua.core.models import OutboxMessage
from motcua.core.money import format_vnd
from motcua.integrations.sms import SmsUnavailable, get_sms

from ..models import Receipt

logger = logging.getLogger(__name__)

EVENTS = ("payment.receipt_issued",)
CONSUMER = "payer_sms"


def check_url(receipt: Receipt) -> str:
    """The receipt's public check page, as its QR code and the payer's text give it."""
    site = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("payments-check", args=[receipt.check_key])


def message_for(receipt: Receipt) -> str:
    return gettext("Biên lai điện tử số %(number)s (%(series)s) của hồ sơ %(code)s: %(amount)s. Xem và kiểm tra: "
                   "%(url)s") % {"number": codes.printed_receipt_number(receipt.number),
                                 "series": receipt.series.series_symbol, "code": receipt.payment.invoice.dossier.code,
                                 "amount": format_vnd(receipt.amount), "url": check_url(receipt)}


def _send_for(message: OutboxMessage) -> bool:
    receipt = (Receipt.objects.select_related("series", "payment__invoice__dossier")
               .filter(pk=message.object_id).first())
    if receipt is None:
        return False
    dossier = receipt.payment.invoice.dossier
    phone = (dossier.applicant_phone or dossier.representative_phone or "").strip()
    if not phone:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = message_for(receipt)
    get_sms().send(phone, text)
    return True


def send_payer_sms() -> dict[str, int]:
    """Text each new receipt's link to its payer (the periodic job); counts, no numbers."""
    max_age = dt.timedelta(hours=float(getattr(settings, "MOTCUA_SMS_MAX_AGE_HOURS", 48)))
    counts = outbox.consume(CONSUMER, EVENTS, _send_for, retryable=(SmsUnavailable,), max_age=max_age)
    if counts["failed"]:
        logger.warning("payer SMS: gateway unavailable, will retry (sent %d before)", counts["done"])
    return counts
