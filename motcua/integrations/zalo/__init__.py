"""Zalo Official Account (OA): the webhook's events in, customer-service text messages out.

Protocol (Zalo OA Open API v3): Zalo POSTs each event to the OA's webhook URL as JSON
(`{"app_id", "event_name", "timestamp", "sender": {"id"}, "recipient": {"id"}, "message": {"text",
"msg_id"}}`) with the header `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp +
OA secret key>`; the OA answers with `POST {base}/v3.0/oa/message/cs`, header `access_token`, body
`{"recipient": {"user_id"}, "message": {"text"}}` → HTTP 200 with `{"error": 0, "message": "Success",
"data": {"message_id", "user_id"}}` (a refusal is HTTP 200 with a non-zero `error`).

ZNS template messages (to a phone number, with delivery events): `zns.py`, `get_zns()`.

`get_zalo()` returns the HTTP client when `MOTCUA_ZALO_OA_URL` is set, the in-process fake otherwise.
"""

from .gateway import get_zalo, get_zns, set_zalo, set_zns
from .protocol import ZaloSender, ZaloUnavailable, ZnsSender
from .webhook import IncomingText, parse_event, signature, verify_signature

__all__ = ["IncomingText", "ZaloSender", "ZaloUnavailable", "ZnsSender", "get_zalo", "get_zns", "parse_event",
           "set_zalo", "set_zns", "signature", "verify_signature"]
