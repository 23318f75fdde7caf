"""Delivery reports: the gateway tells us what became of a message it accepted.

Protocol: the gateway POSTs to the callback URL it was given (`/notify/callbacks/sms`) the JSON
`{"id": "<message id from the send answer>", "status": "delivered" | "failed", "error": "<reason code>",
"at": "<ISO 8601>"}` with the header `X-Signature: sha256=<hex HMAC-SHA256 of the raw body with the shared
callback secret>`. Any 2xx answer ends the report; anything else makes the gateway try again later.
The report never carries the phone number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

STATUSES = ("delivered", "failed")


def signature(body: bytes, secret: str) -> str:
    """The `X-Signature` header of a report."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(header: str, body: bytes, secret: str) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(body, secret).encode(), header.strip().encode())


@dataclass(frozen=True)
class DeliveryReport:
    message_id: str
    status: str  # one of STATUSES
    error: str


def parse_report(body: bytes) -> DeliveryReport | None:
    """The report in `body`, None when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    message_id, status, error = data.get("id"), data.get("status"), data.get("error") or ""
    if not isinstance(message_id, str) or not message_id or status not in STATUSES or not isinstance(error, str):
        return None
    return DeliveryReport(message_id=message_id, status=status, error=error[:100])


def report_body(message_id: str, status: str, error: str = "", at: str = "") -> bytes:
    """A report as the gateway sends it (the fake and the tests)."""
    return json.dumps({"id": message_id, "status": status, "error": error, "at": at}).encode()
