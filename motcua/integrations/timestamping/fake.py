"""A local timestamp authority speaking RFC 3161 over HTTP (tests and development).

It signs with its own self-issued certificate (RSA 2048, extended key usage timeStamping, critical)
through pyHanko's DummyTimeStamper, which builds the TSTInfo and the CMS SignedData.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from .client import QUERY_TYPE, REPLY_TYPE


def tsa_certificate(now: dt.datetime | None = None):
    """A self-issued TSA certificate and its key (cryptography objects)."""
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA signs RSA only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "motcua fake TSA")])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


class FakeTsa:
    """`with FakeTsa() as tsa:` serves on http://127.0.0.1:<port>/ (tsa.url); tsa.certificate_pem to trust it."""

    def __init__(self):
        certificate, key = tsa_certificate()
        self.certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
        self.requests = 0
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get_content_type() != QUERY_TYPE or not 0 < length <= 65536:
                    self.send_error(415)
                    return
                try:
                    request = tsp.TimeStampReq.load(self.rfile.read(length))
                    answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
                except ValueError:
                    self.send_error(400)
                    return
                fake.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", REPLY_TYPE)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTsa:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
