"""Which Zalo OA the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpZaloOa
from .fake import OutboxZalo
from .protocol import ZaloSender, ZnsSender
from .zns import HttpZaloZns, Tokens

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


_zns_override: ZnsSender | None = None
_zns_client: HttpZaloZns | None = None


def get_zns() -> ZnsSender:
    """The ZNS client when MOTCUA_ZALO_ZNS_URL is set (one per process, so a refreshed token is kept for the
    process's life), the in-process outbox otherwise."""
    global _zns_client
    if _zns_override is not None:
        return _zns_override
    url = getattr(settings, "MOTCUA_ZALO_ZNS_URL", "")
    if not url:
        return OutboxZalo()
    if _zns_client is None or _zns_client.base_url != url.rstrip("/"):
        _zns_client = HttpZaloZns(url, tokens=Tokens(getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", ""),
                                                     getattr(settings, "MOTCUA_ZALO_REFRESH_TOKEN", "")),
                                  oauth_url=getattr(settings, "MOTCUA_ZALO_OAUTH_URL", ""),
                                  app_id=getattr(settings, "MOTCUA_ZALO_APP_ID", ""),
                                  secret_key=getattr(settings, "MOTCUA_ZALO_APP_SECRET", ""),
                                  timeout=float(getattr(settings, "MOTCUA_ZALO_TIMEOUT", 5)))
    return _zns_client


def set_zns(sender: ZnsSender | None) -> None:
    """Replace the ZNS sender (tests, demo); None goes back to the configured one."""
    global _zns_override, _zns_client
    _zns_override = sender
    _zns_client = None
