"""HTTP JSON client of the postal service's public-service delivery API.

Protocol: `POST {base}/quotes` and `POST {base}/orders` with the order (`PickupOrder.to_json`) →
`{"fee"}` and `{"tracking_number", "fee"}`; `GET {base}/orders/{tracking_number}/events` →
`{"events": [StatusEvent…]}`. `Authorization: Bearer {token}`. Anything but a 2xx is a refusal.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .protocol import OrderReceipt, PickupOrder, PostalUnavailable, StatusEvent


class HttpPostalService:
    def __init__(self, base_url: str, *, token: str = "", timeout: float = 5.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the postal service URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}{path}",
            method=method,
            data=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
            headers={"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise PostalUnavailable(f"postal service answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise PostalUnavailable(f"postal service unreachable: {type(exc).__name__}") from None

    def quote(self, order: PickupOrder) -> int:
        try:
            return int(self._call("POST", "/quotes", order.to_json())["fee"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PostalUnavailable("malformed quote") from exc

    def create_order(self, order: PickupOrder) -> OrderReceipt:
        data = self._call("POST", "/orders", order.to_json())
        try:
            return OrderReceipt(tracking_number=str(data["tracking_number"])[:30], fee=int(data["fee"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise PostalUnavailable("malformed order receipt") from exc

    def track(self, tracking_number: str) -> list[StatusEvent]:
        data = self._call("GET", f"/orders/{urllib.parse.quote(tracking_number, safe='')}/events")
        try:
            return [StatusEvent.from_json(item) for item in data["events"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise PostalUnavailable("malformed events") from exc
