"""Which postal service the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpPostalService
from .fake import LocalPostalService
from .protocol import PostalService

_override: PostalService | None = None


def get_postal() -> PostalService:
    """The HTTP client when MOTCUA_POSTAL_URL is set, the in-process fake otherwise."""
    if _override is not None:
        return _override
    url = getattr(settings, "MOTCUA_POSTAL_URL", "")
    if url:
        return HttpPostalService(
            url,
            token=getattr(settings, "MOTCUA_POSTAL_TOKEN", ""),
            timeout=float(getattr(settings, "MOTCUA_POSTAL_TIMEOUT", 5)),
        )
    return LocalPostalService()


def set_postal(service: PostalService | None) -> None:
    """Replace the service (tests, demo); None goes back to the configured one."""
    global _override
    _override = service
