"""Which Zalo OA the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpZaloOa
from .fake import OutboxZalo
from .protocol import ZaloSender

_override: ZaloSender | None = None


def get_zalo() -> ZaloSender:
    """The HTTP client when MOTCUA_ZALO_OA_URL is set, the in-process outbox otherwise."""
    if _override is not None:
        return _override
    url = getattr(settings, "MOTCUA_ZALO_OA_URL", "")
    if url:
        return HttpZaloOa(url, access_token=getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", ""),
                          timeout=float(getattr(settings, "MOTCUA_ZALO_TIMEOUT", 5)))
    return OutboxZalo()


def set_zalo(sender: ZaloSender | None) -> None:
    """Replace the OA (tests, demo); None goes back to the configured one."""
    global _override
    _override = sender
