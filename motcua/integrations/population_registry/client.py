"""HTTP JSON client of the population registry.

Protocol: `POST {base}/citizens/lookup` with the JSON body `{"national_id": "…"}` (a body, not the
URL, so that the number never lands in an access log), `Accept: application/json` and
`Authorization: Bearer {token}` when a token is configured →
  200 `{"national_id", "full_name", "birth_date" (YYYY-MM-DD|null), "gender", "commune_code", "address"}`
  404 unknown person; anything else means the registry is unavailable.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .protocol import PersonRecord, RegistryUnavailable


class HttpPopulationRegistry:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 5.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the population registry URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def lookup(self, national_id: str) -> PersonRecord | None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/citizens/lookup", method="POST",
            data=json.dumps({"national_id": national_id}).encode(),
            headers={"Accept": "application/json", "Content-Type": "application/json"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise RegistryUnavailable(f"registry answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise RegistryUnavailable(f"registry unreachable: {type(exc).__name__}") from exc
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise RegistryUnavailable("registry answered with invalid JSON") from exc
        if not isinstance(data, dict):
            raise RegistryUnavailable("registry answered with an unexpected document")
        record = PersonRecord.from_json(data)
        if record.national_id != national_id:
            raise RegistryUnavailable("registry answered about another person")
        return record
