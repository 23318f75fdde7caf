"""HTTP client of the Zalo OA Open API (v3): customer-service text messages."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .protocol import TEXT_MAX_LENGTH, ZaloUnavailable


class HttpZaloOa:
    def __init__(self, base_url: str, *, access_token: str, timeout: float = 5.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the Zalo OA URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.timeout = timeout

    def send_text(self, user_id: str, text: str) -> str:
        if not user_id or not text:
            raise ValueError("a Zalo message needs a follower and a text")
        body = {"recipient": {"user_id": user_id}, "message": {"text": text[:TEXT_MAX_LENGTH]}}
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/v3.0/oa/message/cs", method="POST",
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "access_token": self.access_token})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ZaloUnavailable(f"Zalo OA answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise ZaloUnavailable(f"Zalo OA unreachable: {type(exc).__name__}") from None
        if not isinstance(answer, dict) or answer.get("error") != 0:
            error = answer.get("error") if isinstance(answer, dict) else "?"
            raise ZaloUnavailable(f"Zalo OA refused the message (error {error})")
        return str((answer.get("data") or {}).get("message_id", ""))
