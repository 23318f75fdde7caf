"""Which SMS gateway the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpSmsGateway
from .fake import OutboxSms
from .protocol import SmsSender

_override: SmsSender | None = None


def get_sms() -> SmsSender:
    """The HTTP client when MOTCUA_SMS_GATEWAY_URL is set, the in-process outbox otherwise."""
    if _override is not None:
        return _override
    url = getattr(settings, "MOTCUA_SMS_GATEWAY_URL", None)
    if url:
        return HttpSmsGateway(url, token=getattr(settings, "MOTCUA_SMS_GATEWAY_TOKEN", None),
                              sender=getattr(settings, "MOTCUA_SMS_SENDER_NAME", ""),
                              timeout=float(getattr(settings, "MOTCUA_SMS_GATEWAY_TIMEOUT", 5)))
    return OutboxSms()


def set_sms(sender: SmsSender | None) -> None:
    """Replace the gateway (tests, demo); None goes back to the configured one."""
    global _override
    _override = sender

