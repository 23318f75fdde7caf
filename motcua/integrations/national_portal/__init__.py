"""The National Public Service Portal (Cổng Dịch vụ công quốc gia): protocol, HTTP client and fakes.

`get_portal()` returns the HTTP client when `MOTCUA_NATIONAL_PORTAL_URL` is set, the in-process fake otherwise.
"""

from .portal import get_portal, set_portal
from .protocol import NationalPortal, PortalDocument, PortalDossier, PortalUnavailable

__all__ = ["NationalPortal", "PortalDocument", "PortalDossier", "PortalUnavailable", "get_portal", "set_portal"]
