"""Results by post: the citizen asks for the paper result at home; the postal service reports the parcel.

- `quote_delivery` / `request_delivery`: for a dossier of the citizen whose result is ready and not yet
  returned. The pickup order goes to the postal service (integrations.postal) with the dossier code as
  its reference (the service answers the same order again for the same reference); the fee is what the
  service quotes, paid to the postman on delivery (collected on delivery). One delivery per dossier.
- `record_status`: a signed status callback of the postal service (or the events read with `refresh`),
  applied once each, in order; a delivered or returned parcel stays so.
Each change is audited (`portal.delivery_*`) and written to the outbox (topics `portal.delivery_requested`,
`portal.delivery_status`) for the notifications.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, outbox
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ServiceUnavailable, ValidationFailed
from motcua.core.phones import normalise_phone
from motcua.dossiers.models import Dossier, State
from motcua.integrations.postal import (
    CallbackRefused,
    PickupOrder,
    PostalUnavailable,
    StatusEvent,
    get_postal,
    parse_callback,
)
from motcua.org.models import Person

from .. import policies
from ..models import DeliveryStatus, ResultDelivery

logger = logging.getLogger(__name__)

REQUESTED, STATUS = "portal.delivery_requested", "portal.delivery_status"
FINAL = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.RETURNED})


class NotReadyForPost(Conflict):
    code = "result_not_ready"
    default_message = _("Hồ sơ chưa có kết quả chờ trả, hoặc đã trả kết quả.")


class SignatureRefused(PermissionDenied):
    code = "bad_signature"
    default_message = _("Chữ ký của thông báo không hợp lệ.")


@dataclass
class Receiver:
    name: str
    phone: str
    address: str


def dossier_for(user, code: str) -> tuple[Dossier, Person]:
    """The citizen's own dossier `code` (filed by them or for them) and their person; NotFound otherwise."""
    person = policies.person_of(user)
    policies.check(user, policies.USE_WALLET, person=person)
    dossier = (
        Dossier.objects.select_related("branch", "service_point", "procedure")
        .filter(code=(code or "")[:40])
        .first()
    )
    if dossier is None or not (dossier.owner_id == user.pk or dossier.person_id == person.pk):
        raise NotFound()
    return dossier, person


def delivery_of(user, code: str) -> ResultDelivery | None:
    dossier, _person = dossier_for(user, code)
    return ResultDelivery.objects.filter(dossier=dossier).first()


def may_post(dossier: Dossier) -> bool:
    return dossier.state == State.RESULT_READY


def _order(dossier: Dossier, receiver: Receiver, fee: int = 0) -> PickupOrder:
    place = dossier.service_point or None
    sender_address = place.address if place is not None else (dossier.branch.name if dossier.branch else "")
    return PickupOrder(
        reference=dossier.code,
        sender_name=dossier.branch.name if dossier.branch else "",
        sender_address=sender_address,
        receiver_name=receiver.name,
        receiver_phone=receiver.phone,
        receiver_address=receiver.address,
        collect_on_delivery=fee,
    )


def _checked(receiver: Receiver) -> Receiver:
    problems = []
    if not receiver.name.strip():
        problems.append(
            {"field": "name", "code": "name_required", "message": str(_("Cần họ tên người nhận."))}
        )
    if len(receiver.address.strip()) < 10:
        problems.append(
            {
                "field": "address",
                "code": "address_required",
                "message": str(_("Cần địa chỉ nhận đầy đủ (số nhà, đường, xã, phường).")),
            }
        )
    phone = receiver.phone
    try:
        phone = normalise_phone(receiver.phone, landline=False)
    except ValidationFailed as exc:
        problems.append({"field": "phone", "code": exc.code, "message": str(exc.message)})
    if problems:
        raise ValidationFailed(problems[0]["message"], code=problems[0]["code"], details=problems)
    return Receiver(name=receiver.name.strip()[:200], phone=phone, address=receiver.address.strip()[:250])


def quote_delivery(user, code: str, receiver: Receiver | None = None) -> int:
    """The fee the postal service asks for this dossier's result (ServiceUnavailable when it cannot say)."""
    dossier, person = dossier_for(user, code)
    receiver = receiver or Receiver(person.full_name, person.phone, person.address)
    try:
        return get_postal().quote(_order(dossier, receiver))
    except PostalUnavailable as exc:
        logger.warning("postal service unavailable: %s", exc)
        raise ServiceUnavailable() from exc


def request_delivery(user, code: str, receiver: Receiver) -> ResultDelivery:
    """Send the dossier's paper result to `receiver` by post; the same request again gives the same delivery."""
    dossier, person = dossier_for(user, code)
    existing = ResultDelivery.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    if not may_post(dossier):
        raise NotReadyForPost()
    receiver = _checked(receiver)
    postal = get_postal()
    try:
        fee = postal.quote(_order(dossier, receiver))
        receipt = postal.create_order(_order(dossier, receiver, fee))
    except PostalUnavailable as exc:
        logger.warning("postal service unavailable: %s", exc)
        raise ServiceUnavailable() from exc
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = ResultDelivery.objects.create(
                dossier=dossier,
                person=person,
                receiver_name=receiver.name,
                receiver_phone=receiver.phone,
                receiver_address=receiver.address,
                tracking_number=receipt.tracking_number,
                fee=receipt.fee,
                events=[{"status": DeliveryStatus.ACCEPTED, "at": now.isoformat(), "note": ""}],
                requested_at=now,
                updated_at=now,
            )
            audit.record_event(
                user,
                REQUESTED,
                "dossier",
                dossier.code,
                data={"tracking_number": delivery.tracking_number, "fee": delivery.fee},
            )
            outbox.emit(
                REQUESTED,
                "dossier",
                dossier.code,
                {
                    "tracking_number": delivery.tracking_number,
                    "fee": delivery.fee,
                    "person_id": person.pk,
                    "user_id": user.pk,
                },
            )
    except IntegrityError:  # the same request twice at once: the postal service gave one order for both
        return ResultDelivery.objects.get(dossier=dossier)
    return delivery


def _secret() -> str:
    return getattr(settings, "MOTCUA_POSTAL_CALLBACK_SECRET", "")


@transaction.atomic
def apply_event(event: StatusEvent) -> bool:
    """Apply one status event (once; never after a final status, never older than the last); whether it changed."""
    delivery = (
        ResultDelivery.objects.select_for_update().filter(tracking_number=event.tracking_number).first()
    )
    if delivery is None:
        raise NotFound(code="unknown_tracking_number")
    entry = {"status": event.status, "at": event.at.isoformat(), "note": event.note}
    known = {(e.get("status"), e.get("at")) for e in delivery.events}
    if (entry["status"], entry["at"]) in known or delivery.status in FINAL:
        return False
    last_at = max((e.get("at") or "" for e in delivery.events), default="")
    events = sorted([*delivery.events, entry], key=lambda e: e.get("at") or "")
    delivery.events = events
    if entry["at"] >= last_at:
        delivery.status = event.status
    delivery.updated_at = timezone.now()
    delivery.save(update_fields=["events", "status", "updated_at"])
    audit.record_event(
        "postal",
        STATUS,
        "dossier",
        delivery.dossier.code,
        to_state=delivery.status,
        data={"tracking_number": delivery.tracking_number},
    )
    outbox.emit(
        STATUS,
        "dossier",
        delivery.dossier.code,
        {
            "tracking_number": delivery.tracking_number,
            "status": delivery.status,
            "person_id": delivery.person_id,
        },
    )
    return True


def record_status(body: bytes, signature: str) -> bool:
    """A status callback of the postal service: checked against its signature, then applied."""
    try:
        event = parse_callback(body, signature, _secret())
    except CallbackRefused as exc:
        logger.warning("postal callback refused: %s", exc)
        raise SignatureRefused() from exc
    return apply_event(event)


def refresh(user, code: str) -> ResultDelivery | None:
    """Read the parcel's events from the postal service (when callbacks are late) and apply the new ones."""
    delivery = delivery_of(user, code)
    if delivery is None:
        return None
    try:
        events = get_postal().track(delivery.tracking_number)
    except PostalUnavailable as exc:
        logger.warning("postal service unavailable: %s", exc)
        return delivery
    for event in events:
        if event.status != DeliveryStatus.ACCEPTED:
            apply_event(event)
    delivery.refresh_from_db()
    return delivery
