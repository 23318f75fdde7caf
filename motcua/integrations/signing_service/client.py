"""The remote signing client: send a digest, wait for the signer's approval, get the signature."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request

from .protocol import APPROVED, PENDING


class RemoteSigningFailed(Exception):
    """The provider refused, the signer rejected or did not answer in time, or the exchange broke."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class SigningServiceClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0, poll_every: float = 1.0,
                 wait_at_most: float = 120.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the signing service's URL must be http(s)")
        self.base_url, self.token = base_url.rstrip("/"), token
        self.timeout, self.poll_every, self.wait_at_most = timeout, poll_every, wait_at_most

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - an http(s) URL, checked in __init__
            self.base_url + path, data=data, method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read(1024 * 1024))
        except urllib.error.HTTPError as exc:
            try:
                code = json.loads(exc.read(4096)).get("error") or f"http_{exc.code}"
            except ValueError:
                code = f"http_{exc.code}"
            raise RemoteSigningFailed(code) from exc
        except (OSError, ValueError) as exc:
            raise RemoteSigningFailed("unavailable") from exc

    def request(self, credential_id: str, digest: bytes, description: str) -> str:
        """Send the digest; the transaction id to poll."""
        answer = self._call("POST", "/signatures", {
            "credential_id": credential_id, "hash": base64.b64encode(digest).decode(),
            "hash_algorithm": "sha256", "description": description[:200]})
        return str(answer["transaction_id"])

    def wait(self, transaction_id: str) -> bytes:
        """Poll until the signer approves (the signature) or not (RemoteSigningFailed with the status)."""
        deadline = time.monotonic() + self.wait_at_most
        while True:
            answer = self._call("GET", f"/signatures/{transaction_id}")
            status = answer.get("status")
            if status == APPROVED:
                return base64.b64decode(answer["signature"])
            if status != PENDING:
                raise RemoteSigningFailed(str(status))
            if time.monotonic() >= deadline:
                raise RemoteSigningFailed("timeout")
            time.sleep(self.poll_every)

    def sign_digest(self, credential_id: str, digest: bytes, description: str) -> bytes:
        return self.wait(self.request(credential_id, digest, description))
