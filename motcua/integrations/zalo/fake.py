"""The local fake Zalo OA: messages sent to followers go to an in-memory outbox of this process."""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings

from .protocol import TEXT_MAX_LENGTH, ZaloUnavailable


@dataclass(frozen=True)
class SentText:
    user_id: str
    text: str
    message_id: str


class OutboxZalo:
    """Keeps the last messages (shared by the process); `failing=True` simulates an outage."""

    outbox: deque[SentText] = deque(maxlen=1000)
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

    @classmethod
    def messages(cls, user_id: str | None = None) -> list[SentText]:
        with cls._lock:
            return [m for m in cls.outbox if user_id is None or m.user_id == user_id]

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.outbox.clear()


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
            if self.path != "/v3.0/oa/message/cs":
                self.send_response(404)
                self.end_headers()
                return
            answer = json.dumps(answer_cs_message(self.headers.get("access_token", ""), body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # noqa: A002 - quiet: the test output stays readable
            pass

    return ThreadingHTTPServer((host, port), Handler)
