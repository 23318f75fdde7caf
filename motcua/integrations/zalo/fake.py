"""The local fake Zalo OA: messages sent to followers go to an in-memory outbox of this process."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings

from .protocol import TEXT_MAX_LENGTH, ZaloUnavailable
from .zns import TOKEN_EXPIRED, international


@dataclass(frozen=True)
class SentText:
    user_id: str
    text: str
    message_id: str


@dataclass(frozen=True)
class SentTemplate:
    phone: str  # as ZNS takes it: 84…
    template_id: str
    template_data: dict
    tracking_id: str
    message_id: str


class OutboxZalo:
    """Keeps the last messages (shared by the process); `failing=True` simulates an outage."""

    outbox: deque[SentText] = deque(maxlen=1000)
    templates: deque[SentTemplate] = deque(maxlen=1000)
    _lock = threading.Lock()

    def __init__(self, *, failing: bool = False):
        self.failing = failing

    def send_text(self, user_id: str, text: str) -> str:
        if not user_id or not text:
            raise ValueError("a Zalo message needs a follower and a text")
        if self.failing:
            raise ZaloUnavailable("Zalo OA offline (fake)")
        sent = SentText(user_id, text[:TEXT_MAX_LENGTH], uuid.uuid4().hex)
        with self._lock:
            self.outbox.append(sent)
        return sent.message_id

    def send_template(self, phone: str, template_id: str, template_data: dict[str, str], tracking_id: str) -> str:
        if not phone or not template_id:
            raise ValueError("a ZNS message needs a phone number and a template")
        if self.failing:
            raise ZaloUnavailable("Zalo ZNS offline (fake)")
        sent = SentTemplate(international(phone), template_id, dict(template_data), tracking_id, uuid.uuid4().hex)
        with self._lock:
            self.templates.append(sent)
        return sent.message_id

    @classmethod
    def template_messages(cls, phone: str | None = None) -> list[SentTemplate]:
        with cls._lock:
            return [m for m in cls.templates if phone is None or m.phone == international(phone)]

    @classmethod
    def messages(cls, user_id: str | None = None) -> list[SentText]:
        with cls._lock:
            return [m for m in cls.outbox if user_id is None or m.user_id == user_id]

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.outbox.clear()
            cls.templates.clear()
            cls.issued_tokens.clear()

    issued_tokens: dict[str, str] = {}  # refreshed access token → its refresh token (the fake's memory)


def valid_access_token(token: str) -> bool:
    expected = getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", "")
    return bool(token) and (token == expected or token in OutboxZalo.issued_tokens)


def answer_zns_message(token: str, body: bytes) -> dict:
    """What ZNS's `POST /message/template` answers (HTTP 200): `error` 0 and the `msg_id` when accepted,
    -124 for an invalid or expired access token, -108 for a malformed phone, -201 for bad parameters."""
    if not valid_access_token(token):
        return {"error": TOKEN_EXPIRED, "message": "Access token is invalid"}
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {"error": -201, "message": "Parameters are invalid"}
    phone, template_id, params = data.get("phone"), data.get("template_id"), data.get("template_data")
    if not isinstance(phone, str) or not phone.startswith("84") or not phone.isdigit() or len(phone) != 11:
        return {"error": -108, "message": "Phone number is invalid"}
    if not isinstance(template_id, str) or not template_id or not isinstance(params, dict) \
            or not all(isinstance(v, str) for v in params.values()):
        return {"error": -201, "message": "Parameters are invalid"}
    msg_id = OutboxZalo().send_template(phone, template_id, params, str(data.get("tracking_id") or ""))
    return {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": str(int(time.time() * 1000))}}


def answer_refresh(secret_key: str, form: dict[str, str]) -> dict:
    """What `POST /v4/oa/access_token` answers: a new pair for the configured (or last issued) refresh token."""
    if not secret_key or secret_key != getattr(settings, "MOTCUA_ZALO_APP_SECRET", ""):
        return {"error": -14014, "error_name": "Invalid secret key"}
    known = {getattr(settings, "MOTCUA_ZALO_REFRESH_TOKEN", "")} | set(OutboxZalo.issued_tokens.values())
    if form.get("grant_type") != "refresh_token" or not form.get("refresh_token") or form["refresh_token"] not in known:
        return {"error": -14002, "error_name": "Invalid refresh token"}
    access, refresh = uuid.uuid4().hex, uuid.uuid4().hex
    OutboxZalo.issued_tokens[access] = refresh
    return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}


def delivery_event(message_id: str, tracking_id: str, *, app_id: str = "fake-app") -> bytes:
    """The `user_received_message` event Zalo sends when a ZNS message reached the phone (tests, demo)."""
    now = str(int(time.time() * 1000))
    return json.dumps({"app_id": app_id, "event_name": "user_received_message", "timestamp": now,
                       "sender": {"id": "fake-oa"}, "recipient": {"id": "fake-user"},
                       "message": {"msg_id": message_id, "tracking_id": tracking_id, "delivery_time": now}}).encode()


def answer_cs_message(token: str, body: bytes) -> dict:
    """What Zalo's `POST /v3.0/oa/message/cs` answers (always HTTP 200): `error` 0 when the message is
    accepted (it goes to the outbox), -216 for a wrong access token, -201 for a malformed message."""
    expected = getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", "")
    if not expected or token != expected:
        return {"error": -216, "message": "Access token is invalid"}
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    recipient = data.get("recipient") if isinstance(data, dict) else None
    message = data.get("message") if isinstance(data, dict) else None
    user_id = recipient.get("user_id") if isinstance(recipient, dict) else None
    text = message.get("text") if isinstance(message, dict) else None
    if not isinstance(user_id, str) or not user_id or not isinstance(text, str) or not text.strip() \
            or len(text) > TEXT_MAX_LENGTH:
        return {"error": -201, "message": "Parameters are invalid"}
    message_id = OutboxZalo().send_text(user_id, text)
    return {"error": 0, "message": "Success", "data": {"message_id": message_id, "user_id": user_id}}


def serve_open_api(host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """The fake Open API on a plain HTTP server that keeps the `access_token` header (contract tests):
    serve it with `serve_forever()` in a thread; its base URL is `http://host:server_port`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path == "/v3.0/oa/message/cs":
                answer = json.dumps(answer_cs_message(self.headers.get("access_token", ""), body)).encode()
            elif self.path == "/message/template":
                answer = json.dumps(answer_zns_message(self.headers.get("access_token", ""), body)).encode()
            elif self.path == "/v4/oa/access_token":
                form = dict(urllib.parse.parse_qsl(body.decode()))
                answer = json.dumps(answer_refresh(self.headers.get("secret_key", ""), form)).encode()
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # noqa: A002 - quiet: the test output stays readable
            pass

    return ThreadingHTTPServer((host, port), Handler)
