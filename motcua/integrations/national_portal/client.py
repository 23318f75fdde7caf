"""HTTP JSON client of the national portal.

Protocol (`Authorization: Bearer {token}` when a token is configured, JSON in and out):
- `POST {base}/statuses` `{"dossier_code", "status" (1-10), "at", "appointment_at"|null}` → any 2xx;
- `GET {base}/dossiers/new` → 200 `{"dossiers": [PortalDossier JSON, …]}` (documents base64-encoded);
- `POST {base}/dossiers/{reference}/ack` `{"dossier_code"}` → any 2xx.
Anything else is PortalUnavailable (the message names the status only, never the body).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .protocol import PortalDossier, PortalUnavailable


class HttpNationalPortal:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 10.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the national portal URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}{path}", method=method,
            data=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
            headers={"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise PortalUnavailable(f"national portal answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise PortalUnavailable(f"national portal unreachable: {type(exc).__name__}") from None
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise PortalUnavailable("national portal answered with invalid JSON") from None

    def push_status(self, dossier_code: str, national_status: int, at: dt.datetime, *,
                    appointment_at: dt.datetime | None = None) -> None:
        if not 1 <= national_status <= 10:
            raise ValueError("national status must be 1-10")
        self._call("POST", "/statuses", {"dossier_code": dossier_code, "status": national_status,
                                         "at": at.isoformat(),
                                         "appointment_at": appointment_at.isoformat() if appointment_at else None})

    def fetch_new_dossiers(self) -> list[PortalDossier]:
        data = self._call("GET", "/dossiers/new")
        if not isinstance(data, dict) or not isinstance(data.get("dossiers"), list):
            raise PortalUnavailable("national portal answered with an unexpected document")
        return [PortalDossier.from_json(item) for item in data["dossiers"]]

    def acknowledge(self, reference: str, dossier_code: str) -> None:
        self._call("POST", f"/dossiers/{urllib.parse.quote(reference, safe='')}/ack", {"dossier_code": dossier_code})
