"""HTTP JSON client of a generic SMS gateway.

Protocol: `POST {base}/messages` with `{"to": "<phone>", "text": "<message>", "sender": "<brand name>"}`,
`Content-Type: application/json`, `Authorization: Bearer {token}` when a token is configured →
any 2xx means accepted (the body, if JSON, may carry `{"id": "…"}`, the message id its delivery report
names); anything else is a refusal. Delivery reports: see `reports.py`.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request

from .protocol import SmsUnavailable


class HttpSmsGateway:
    def __init__(self, base_url: str, *, token: str | None = None, sender: str = "", timeout: float = 5.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the SMS gateway URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, phone: str, text: str) -> str:
        if not phone or not text:
            raise ValueError("an SMS needs a phone number and a text")
        body = {"to": phone, "text": text}
        if self.sender:
            body["sender"] = self.sender
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/messages", method="POST", data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            # The message names only the status: the gateway's body may echo the number.
            raise SmsUnavailable(f"SMS gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsUnavailable(f"SMS gateway unreachable: {type(exc).__name__}") from None
        answer = None
        with contextlib.suppress(ValueError):
            answer = json.loads(raw or b"null")
        return str(answer.get("id") or "") if isinstance(answer, dict) else ""
