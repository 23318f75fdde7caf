"""What the rest of the system may ask an SMS gateway."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class SmsUnavailable(Exception):
    """The gateway did not accept the message (network, timeout, refusal). Callers retry later."""


@runtime_checkable
class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Hand one message to the gateway: its message id ('' when it gives none), or SmsUnavailable."""
        ...


