"""What the rest of the system may ask the postal service, and the shape of its answers and callbacks.

The shape follows the public-service delivery of the national postal service (Bưu chính công ích):
a pickup order (who sends, who receives, where, the item's weight and the amount to collect on
delivery) answered with a tracking number and the fee; status events for that tracking number, read
on demand or pushed to our callback URL, each callback signed with HMAC-SHA256 of its raw body under a
shared secret (header `X-Signature`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

# The statuses of a parcel, in their usual order; delivered and returned are final.
STATUSES = ("accepted", "picked_up", "in_transit", "delivering", "delivered", "returned")
FINAL = frozenset({"delivered", "returned"})


class PostalUnavailable(Exception):
    """The postal service did not answer or refused the order (network, timeout, refusal)."""


class CallbackRefused(ValueError):
    """A status callback whose signature or content is not acceptable."""


@dataclass(frozen=True)
class PickupOrder:
    reference: str  # our reference: the dossier code
    sender_name: str
    sender_address: str
    receiver_name: str
    receiver_phone: str
    receiver_address: str
    weight_grams: int = 100
    collect_on_delivery: int = 0  # đồng: the fee the receiver pays the postman

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "sender": {"name": self.sender_name, "address": self.sender_address},
            "receiver": {
                "name": self.receiver_name,
                "phone": self.receiver_phone,
                "address": self.receiver_address,
            },
            "weight_grams": self.weight_grams,
            "cod_amount": self.collect_on_delivery,
            "service": "public_service_delivery",
        }


@dataclass(frozen=True)
class OrderReceipt:
    tracking_number: str
    fee: int  # đồng


@dataclass(frozen=True)
class StatusEvent:
    tracking_number: str
    status: str
    at: dt.datetime
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "tracking_number": self.tracking_number,
            "status": self.status,
            "at": self.at.isoformat(),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Any) -> StatusEvent:
        try:
            status = str(data["status"])
            at = dt.datetime.fromisoformat(str(data["at"]))
            if status not in STATUSES or at.tzinfo is None:
                raise ValueError(status)
            return cls(
                tracking_number=str(data["tracking_number"])[:30],
                status=status,
                at=at,
                note=str(data.get("note") or "")[:200],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CallbackRefused(f"malformed status event: {type(exc).__name__}") from exc


def sign_callback(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def parse_callback(body: bytes, signature: str, secret: str) -> StatusEvent:
    """The status event of a callback whose signature matches; CallbackRefused otherwise."""
    if not secret or not hmac.compare_digest(sign_callback(body, secret), (signature or "").strip().lower()):
        raise CallbackRefused("bad signature")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CallbackRefused("not JSON") from exc
    return StatusEvent.from_json(data)


@runtime_checkable
class PostalService(Protocol):
    def quote(self, order: PickupOrder) -> int:
        """The fee of the order in đồng; PostalUnavailable when it cannot say."""
        ...

    def create_order(self, order: PickupOrder) -> OrderReceipt:
        """Place the pickup order; the same reference again gives the same receipt."""
        ...

    def track(self, tracking_number: str) -> list[StatusEvent]:
        """The parcel's events, oldest first ([] for an unknown number)."""
        ...
