"""Which outbox events notify whom, with which template and parameters.

Each event is read back from its app (dossiers, payments) through that app's selectors: the outbox
carries ids only. A `Notice` says who (the references, the addresses, the account) and what (template and
parameters); planning (services/planning.py) turns it into one `Delivery` per channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.complaints import selectors as complaint_selectors
from motcua.core import codes
from motcua.core.errors import NotFound
from motcua.core.models import OutboxMessage
from motcua.core.money import format_vnd
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, State
from motcua.dossiers.services import deadlines
from motcua.payments import selectors as payment_selectors

DOSSIER_TOPICS = ("dossier.submitted", "dossier.received", "dossier.request_supplement", "dossier.apologise",
                  "dossier.mark_ready", "dossier.refuse", "dossier.refuse_intake")
PAYMENT_TOPICS = ("payment.receipt_issued",)
COMPLAINT_TOPICS = ("complaint.closed",)
# The wallet's expiry reminders (the portal writes them with everything a message needs: notify reads no portal).
REMINDER_TOPICS = ("portal.document_expiring",)
TOPICS = DOSSIER_TOPICS + PAYMENT_TOPICS + COMPLAINT_TOPICS + REMINDER_TOPICS


@dataclass
class Notice:
    template: str
    params: dict[str, str]
    recipient: str  # a reference pages and logs may show
    object_type: str
    object_id: str
    phone: str = ""
    email: str = ""
    user: Any = None  # the person's account: the portal inbox and their preferences
    extra: dict = field(default_factory=dict)


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "-"


def _account_of(dossier: Dossier):
    if dossier.owner_id:
        return dossier.owner
    person = dossier.person
    return person.user if person is not None and person.user_id else None


def _dossier_notice(dossier: Dossier, template: str, params: dict[str, str]) -> Notice:
    return Notice(template=template, params={"code": dossier.code, **params},
                  recipient=f"dossier:{dossier.code}/applicant", object_type="dossier", object_id=dossier.code,
                  phone=(dossier.applicant_phone or dossier.representative_phone or "").strip(),
                  email=(dossier.applicant_email or "").strip(), user=_account_of(dossier))


def dossier_notice(message: OutboxMessage) -> Notice | None:
    """The applicant's notice for a dossier event; None when the event tells them nothing."""
    try:
        dossier = dossier_selectors.by_code(message.object_id)
    except NotFound:
        return None
    action = message.topic.removeprefix("dossier.")
    if action in ("submitted", "received"):
        if message.payload.get("to_state") != State.RECEIVED:
            return None  # an online dossier is told when an officer receives it
        return _dossier_notice(dossier, "dossier_received", {"due": _when(dossier.due_at)})
    if action == "request_supplement":
        return _dossier_notice(dossier, "dossier_supplement", {"days": f"{deadlines.supplement_expiry_days():g}"})
    if action == "apologise":
        new_due = message.payload.get("new_due_at")
        moment = dt.datetime.fromisoformat(new_due) if new_due else dossier.due_at
        return _dossier_notice(dossier, "dossier_apology", {"due": _when(moment)})
    if action == "mark_ready":
        return _dossier_notice(dossier, "dossier_ready", {})
    if action in ("refuse", "refuse_intake"):
        return _dossier_notice(dossier, "dossier_refused", {})
    return None


def receipt_notice(message: OutboxMessage) -> Notice | None:
    """The payer's notice of a receipt: its number, amount and public check link."""
    receipt = payment_selectors.receipt_for_notice(message.object_id)
    if receipt is None:
        return None
    dossier = receipt.payment.invoice.dossier
    notice = _dossier_notice(dossier, "payment_receipt", {
        "number": codes.printed_receipt_number(receipt.number), "series": receipt.series.series_symbol,
        "amount": format_vnd(receipt.amount), "url": payment_selectors.public_check_url(receipt)})
    notice.recipient = f"dossier:{dossier.code}/payer"
    notice.object_type, notice.object_id = "receipt", str(receipt.pk)
    return notice


def complaint_notice(message: OutboxMessage) -> Notice | None:
    """The author's notice that the answer to their complaint is approved (and can be read with its key)."""
    complaint = complaint_selectors.for_notice(message.object_id)
    if complaint is None:
        return None
    return Notice(template="complaint_answered", params={"code": complaint.code},
                  recipient=f"complaint:{complaint.code}/author", object_type="complaint", object_id=complaint.code,
                  phone=(complaint.phone or "").strip(), email=(complaint.email or "").strip())


def reminder_notice(message: OutboxMessage) -> Notice | None:
    """The owner's reminder that a paper of their wallet expires soon, with the renewal link when one exists."""
    from django.contrib.auth import get_user_model

    from motcua.org.models import Person

    payload = message.payload
    person = Person.objects.select_related("user").filter(pk=payload.get("person_id")).first()
    if person is None:
        return None
    user = person.user if person.user_id else get_user_model().objects.filter(pk=payload.get("user_id")).first()
    renewal = ""
    if payload.get("renewal_procedure_name") and payload.get("url"):
        renewal = " " + str(_("Gia hạn, cấp đổi: %(name)s — %(url)s") % {
            "name": payload["renewal_procedure_name"], "url": payload["url"]})
    return Notice(template="document_expiring",
                  params={"kind": str(payload.get("kind_label", "")), "title": str(payload.get("title", "")),
                          "expires": str(payload.get("expires_on_display", "")),
                          "days": str(payload.get("days_left", "")), "renewal": renewal},
                  recipient=f"person:{person.pk}/wallet", object_type="wallet_document",
                  object_id=str(message.object_id), phone=(person.phone or "").strip(),
                  email=(person.email or getattr(user, "email", "") or "").strip(), user=user)


def notices_for(message: OutboxMessage) -> list[Notice]:
    """Every notice an outbox message gives (none for an event that concerns nobody)."""
    if message.topic in DOSSIER_TOPICS:
        notice = dossier_notice(message)
    elif message.topic in PAYMENT_TOPICS:
        notice = receipt_notice(message)
    elif message.topic in COMPLAINT_TOPICS:
        notice = complaint_notice(message)
    elif message.topic in REMINDER_TOPICS:
        notice = reminder_notice(message)
    else:
        notice = None
    return [notice] if notice is not None else []
