"""Results by post: the national postal service's public-service delivery (pickup order, tracking number,
status callbacks), an HTTP client and a local fake.

`get_postal()` returns the HTTP client when `MOTCUA_POSTAL_URL` is set and the in-process fake otherwise.
"""

from .gateway import get_postal, set_postal
from .protocol import (
    STATUSES,
    CallbackRefused,
    OrderReceipt,
    PickupOrder,
    PostalService,
    PostalUnavailable,
    StatusEvent,
    parse_callback,
    sign_callback,
)

__all__ = [
    "STATUSES",
    "CallbackRefused",
    "OrderReceipt",
    "PickupOrder",
    "PostalService",
    "PostalUnavailable",
    "StatusEvent",
    "get_postal",
    "parse_callback",
    "set_postal",
    "sign_callback",
]
