"""The local fake gateway: messages go to an in-memory outbox of this process (tests, the demo).

With `MOTCUA_SMS_OUTBOX_FILE` set (the demo, served by several worker processes), the outbox is a
JSON-lines file instead, so the page that shows a just-texted code sees it whichever worker sent it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from motcua.core.privacy import mask_phone

from .protocol import SmsUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxMessage:
    phone: str
    text: str
    sent_at: dt.datetime
    message_id: str = ""


class OutboxSms:
    """Keeps the last messages (shared by the process); `failing=True` simulates an outage."""

    outbox: deque[OutboxMessage] = deque(maxlen=1000)
    _lock = threading.Lock()

    def __init__(self, *, failing: bool = False):
        self.failing = failing

    def send(self, phone: str, text: str) -> str:
        if not phone or not text:
            raise ValueError("an SMS needs a phone number and a text")
        if self.failing:
            raise SmsUnavailable("SMS gateway offline (fake)")
        message = OutboxMessage(phone, text, timezone.now(), uuid.uuid4().hex)
        path = _outbox_file()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.write(json.dumps({"phone": phone, "text": text, "sent_at": message.sent_at.isoformat(),
                                         "id": message.message_id}) + "\n")
        with self._lock:
            self.outbox.append(message)
        logger.info("fake SMS to %s (%d characters)", mask_phone(phone), len(text))
        return message.message_id

    @classmethod
    def messages(cls, phone: str | None = None) -> list[OutboxMessage]:
        path = _outbox_file()
        if path is not None and path.exists():
            with path.open(encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle.readlines()[-1000:] if line.strip()]
            return [OutboxMessage(r["phone"], r["text"], dt.datetime.fromisoformat(r["sent_at"]), r.get("id", ""))
                    for r in rows if phone is None or r["phone"] == phone]
        with cls._lock:
            return [m for m in cls.outbox if phone is None or m.phone == phone]

    @classmethod
    def clear(cls) -> None:
        path = _outbox_file()
        if path is not None:
            path.unlink(missing_ok=True)
        with cls._lock:
            cls.outbox.clear()


def _outbox_file() -> Path | None:
    configured = getattr(settings, "MOTCUA_SMS_OUTBOX_FILE", "")
    return Path(configured) if configured else None
