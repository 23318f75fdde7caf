"""The local fake gateway: messages go to an in-memory outbox of this process (tests, the demo)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from dataclasses import dataclass

from django.utils import timezone

from .protocol import SmsUnavailable, mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxMessage:
    phone: str
    text: str
    sent_at: dt.datetime


class OutboxSms:
    """Keeps the last messages (shared by the process); `failing=True` simulates an outage."""

    outbox: deque[OutboxMessage] = deque(maxlen=1000)
    _lock = threading.Lock()

    def __init__(self, *, failing: bool = False):
        self.failing = failing

    def send(self, phone: str, text: str) -> None:
        if not phone or not text:
            raise ValueError("an SMS needs a phone number and a text")
        if self.failing:
            raise SmsUnavailable("SMS gateway offline (fake)")
        with self._lock:
            self.outbox.append(OutboxMessage(phone, text, timezone.now()))
        logger.info("fake SMS to %s (%d characters)", mask_phone(phone), len(text))

    @classmethod
    def messages(cls, phone: str | None = None) -> list[OutboxMessage]:
        with cls._lock:
            return [m for m in cls.outbox if phone is None or m.phone == phone]

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.outbox.clear()
