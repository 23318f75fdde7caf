"""A local remote-signing provider speaking `protocol` over HTTP (tests and development).

Each credential is a key held here. A request stays pending until `approve(id)` or `reject(id)` (the
signer's phone), or is approved at once with `auto_approve=True`.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from .protocol import APPROVED, PENDING, REJECTED


class FakeSigningService:
    def __init__(self, token: str | None = None, *, auto_approve: bool = False):
        self.token, self.auto_approve = token or secrets.token_urlsafe(16), auto_approve
        self.credentials: dict[str, object] = {}
        self.transactions: dict[str, dict] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._answer(401, {"error": "unauthorised"})
                    return False
                return True

            def do_POST(self):  # noqa: N802
                if not self._authorised():
                    return
                if self.path != "/signatures":
                    return self._answer(404, {"error": "not_found"})
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                    digest = base64.b64decode(body["hash"], validate=True)
                    credential = str(body["credential_id"])
                except (ValueError, KeyError, TypeError):
                    return self._answer(422, {"error": "bad_request"})
                if body.get("hash_algorithm") != "sha256" or len(digest) != 32:
                    return self._answer(422, {"error": "bad_hash"})
                if credential not in fake.credentials:
                    return self._answer(404, {"error": "unknown_credential"})
                transaction = secrets.token_hex(8)
                with fake.lock:
                    fake.transactions[transaction] = {"credential": credential, "digest": digest, "status": PENDING}
                if fake.auto_approve:
                    fake.approve(transaction)
                return self._answer(202, {"transaction_id": transaction, "status": PENDING, "expires_in": 300})

            def do_GET(self):  # noqa: N802
                if not self._authorised():
                    return
                transaction = self.path.rsplit("/", 1)[-1]
                with fake.lock:
                    item = fake.transactions.get(transaction) if self.path.startswith("/signatures/") else None
                    item = dict(item) if item else None
                if item is None:
                    return self._answer(404, {"error": "unknown_transaction"})
                answer = {"transaction_id": transaction, "status": item["status"]}
                if item["status"] == APPROVED:
                    answer["signature"] = base64.b64encode(item["signature"]).decode()
                return self._answer(200, answer)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add_credential(self, credential_id: str, private_key) -> None:
        self.credentials[credential_id] = private_key

    def pending(self) -> list[str]:
        with self.lock:
            return [t for t, item in self.transactions.items() if item["status"] == PENDING]

    def approve(self, transaction: str) -> None:
        """The signer approves on the phone: the provider signs the digest with the credential's key."""
        with self.lock:
            item = self.transactions[transaction]
            key = self.credentials[item["credential"]]
            if isinstance(key, ec.EllipticCurvePrivateKey):
                signature = key.sign(item["digest"], ec.ECDSA(Prehashed(hashes.SHA256())))
            elif isinstance(key, rsa.RSAPrivateKey):
                signature = key.sign(item["digest"], padding.PKCS1v15(), Prehashed(hashes.SHA256()))
            else:
                raise TypeError("unsupported key")
            item.update(status=APPROVED, signature=signature)

    def reject(self, transaction: str) -> None:
        with self.lock:
            self.transactions[transaction]["status"] = REJECTED

    def __enter__(self) -> FakeSigningService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
