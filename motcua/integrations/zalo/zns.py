"""Zalo Notification Service (ZNS): template messages to a phone number, and the access token's refresh.

Protocol (ZNS API): `POST {base}/message/template`, header `access_token`, body `{"phone": "84987654321",
"template_id": "…", "template_data": {"name": "value", …}, "tracking_id": "<ours>"}` → HTTP 200 with
`{"error": 0, "message": "Success", "data": {"msg_id": "…", "sent_time": "…"}}`; a refusal is HTTP 200
with a non-zero `error` (-124: the access token is invalid or expired). The access token lives about a
day: `POST {oauth}/v4/oa/access_token`, header `secret_key`, form `refresh_token`, `app_id`,
`grant_type=refresh_token` → `{"access_token", "refresh_token", "expires_in"}` (the refresh token is
used once: the answer carries the next one). Delivery: Zalo POSTs the event `user_received_message`
(`{"app_id", "event_name", "timestamp", "sender": {"id": oa}, "recipient": {"id": user},
"message": {"msg_id", "tracking_id", "delivery_time"}}`) to the OA's webhook, signed like every
webhook event (`X-ZEvent-Signature`, webhook.py).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from .protocol import ZaloUnavailable

TOKEN_EXPIRED = -124


def international(phone: str) -> str:
    """`0987654321` → `84987654321`, the form ZNS takes."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


@dataclass
class Tokens:
    access_token: str
    refresh_token: str = ""


class HttpZaloZns:
    """The ZNS client; refreshes its access token once when Zalo says it expired (`on_refresh` keeps the new
    pair, since the old refresh token is spent)."""

    def __init__(self, base_url: str, *, tokens: Tokens, oauth_url: str = "", app_id: str = "", secret_key: str = "",
                 on_refresh: Callable[[Tokens], None] | None = None, timeout: float = 5.0):
        for url in (base_url, oauth_url):
            if url and not url.startswith(("http://", "https://")):
                raise ValueError("the Zalo URLs must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.oauth_url = oauth_url.rstrip("/")
        self.tokens = tokens
        self.app_id = app_id
        self.secret_key = secret_key
        self.on_refresh = on_refresh
        self.timeout = timeout
        self._lock = threading.Lock()

    def _post(self, url: str, data: bytes, headers: dict[str, str]) -> dict:
        request = urllib.request.Request(url, method="POST", data=data, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ZaloUnavailable(f"Zalo answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise ZaloUnavailable(f"Zalo unreachable: {type(exc).__name__}") from None
        if not isinstance(answer, dict):
            raise ZaloUnavailable("Zalo answered something else than an object")
        return answer

    def refresh(self) -> Tokens:
        """Trade the refresh token for a new pair."""
        if not (self.oauth_url and self.tokens.refresh_token):
            raise ZaloUnavailable("Zalo access token expired and no refresh token is configured")
        form = urllib.parse.urlencode({"refresh_token": self.tokens.refresh_token, "app_id": self.app_id,
                                       "grant_type": "refresh_token"}).encode()
        answer = self._post(f"{self.oauth_url}/v4/oa/access_token", form,
                            {"Content-Type": "application/x-www-form-urlencoded", "secret_key": self.secret_key})
        if not answer.get("access_token"):
            raise ZaloUnavailable(f"Zalo refused the refresh (error {answer.get('error', '?')})")
        self.tokens = Tokens(str(answer["access_token"]), str(answer.get("refresh_token") or ""))
        if self.on_refresh:
            self.on_refresh(self.tokens)
        return self.tokens

    def send_template(self, phone: str, template_id: str, template_data: dict[str, str], tracking_id: str) -> str:
        if not phone or not template_id:
            raise ValueError("a ZNS message needs a phone number and a template")
        body = json.dumps({"phone": international(phone), "template_id": template_id,
                           "template_data": template_data, "tracking_id": tracking_id}, ensure_ascii=False).encode()
        for attempt in (1, 2):
            answer = self._post(f"{self.base_url}/message/template", body,
                                {"Content-Type": "application/json; charset=utf-8",
                                 "access_token": self.tokens.access_token})
            if answer.get("error") == TOKEN_EXPIRED and attempt == 1:
                with self._lock:
                    self.refresh()
                continue
            if answer.get("error") != 0:
                raise ZaloUnavailable(f"Zalo refused the ZNS message (error {answer.get('error', '?')})")
            return str((answer.get("data") or {}).get("msg_id", ""))
        raise ZaloUnavailable("Zalo refused the ZNS message after a token refresh")  # pragma: no cover
