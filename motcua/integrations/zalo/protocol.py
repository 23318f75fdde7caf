"""What the rest of the system may ask of a Zalo OA."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

# Zalo OA refuses a text message longer than this.
TEXT_MAX_LENGTH = 2000


class ZaloUnavailable(Exception):
    """Zalo did not accept the message (network, timeout, an `error` in its answer)."""


@runtime_checkable
class ZaloSender(Protocol):
    def send_text(self, user_id: str, text: str) -> str:
        """Send a customer-service text to a follower; Zalo's message id, or ZaloUnavailable."""
        ...


class ZnsSender(Protocol):
    def send_template(self, phone: str, template_id: str, template_data: dict[str, str], tracking_id: str) -> str:
        """Send a ZNS template message to a phone number (`84…`): Zalo's `msg_id`, or ZaloUnavailable."""
        ...
