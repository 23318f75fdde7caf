"""Which national portal the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpNationalPortal
from .fake import InMemoryNationalPortal
from .protocol import NationalPortal

_override: NationalPortal | None = None


def get_portal() -> NationalPortal:
    """The HTTP client when MOTCUA_NATIONAL_PORTAL_URL is set, the in-process fake otherwise."""
    if _override is not None:
        return _override
    url = getattr(settings, "MOTCUA_NATIONAL_PORTAL_URL", None)
    if url:
        return HttpNationalPortal(url, token=getattr(settings, "MOTCUA_NATIONAL_PORTAL_TOKEN", None),
                                  timeout=float(getattr(settings, "MOTCUA_NATIONAL_PORTAL_TIMEOUT", 10)))
    return InMemoryNationalPortal()


def set_portal(portal: NationalPortal | None) -> None:
    """Replace the portal (tests, demo); None goes back to the configured one."""
    global _override
    _override = portal
