"""The webhook side of the protocol: the event's signature and the text messages it carries."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass


def signature(app_id: str, body: bytes | str, timestamp: str, secret: str) -> str:
    """The `X-ZEvent-Signature` header of an event: `mac=` + sha256(app_id + body + timestamp + secret)."""
    raw = body.decode() if isinstance(body, bytes) else body
    return "mac=" + hashlib.sha256(f"{app_id}{raw}{timestamp}{secret}".encode()).hexdigest()


def verify_signature(header: str, body: bytes, secret: str) -> bool:
    """Whether `header` signs `body` with `secret` (app_id and timestamp read from the body)."""
    if not secret or not header:
        return False
    try:
        event = json.loads(body)
    except ValueError:
        return False
    if not isinstance(event, dict):
        return False
    expected = signature(str(event.get("app_id", "")), body, str(event.get("timestamp", "")), secret)
    return hmac.compare_digest(expected.encode(), header.strip().encode())


@dataclass(frozen=True)
class IncomingText:
    user_id: str  # the follower's id for this OA
    text: str
    message_id: str


def parse_event(body: bytes) -> IncomingText | None:
    """The text a follower sent (`user_send_text`); None for any other event (follow, image, …)."""
    try:
        event = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or event.get("event_name") != "user_send_text":
        return None
    sender, message = event.get("sender"), event.get("message")
    if not isinstance(sender, dict) or not isinstance(message, dict):
        return None
    user_id, text = sender.get("id"), message.get("text")
    if not isinstance(user_id, str) or not user_id or not isinstance(text, str):
        return None
    return IncomingText(user_id=user_id, text=text, message_id=str(message.get("msg_id", "")))


def parse_delivery(body: bytes) -> str | None:
    """The `msg_id` of a ZNS message Zalo says reached the phone (`user_received_message`); None otherwise."""
    try:
        event = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or event.get("event_name") != "user_received_message":
        return None
    message = event.get("message")
    msg_id = message.get("msg_id") if isinstance(message, dict) else None
    return msg_id if isinstance(msg_id, str) and msg_id else None
