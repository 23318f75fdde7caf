"""The RFC 3161 client against the local fake: a signature carries a timestamp token the TSA signed."""

import pytest
from asn1crypto import tsp
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua import pdf
from motcua.integrations.timestamping.client import Rfc3161TimeStamper, TimestampUnavailable
from motcua.integrations.timestamping.fake import FakeTsa
from motcua.pdf import samples


def run_async(coroutine):
    """asyncio.run in a thread of its own: the browser tests' driver may hold a running loop in this one."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_fake_answers_a_timestamp_request_with_a_granted_token():
    import hashlib

    from pyhanko.sign.timestamps.common_utils import get_nonce

    with FakeTsa() as tsa:
        stamper = Rfc3161TimeStamper(tsa.url)
        request = tsp.TimeStampReq({
            "version": 1, "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                              "hashed_message": hashlib.sha256(b"x").digest()},
            "nonce": get_nonce(), "cert_req": True})
        answer = run_async(stamper.async_request_tsa_response(request))
    assert answer["status"]["status"].native == "granted" and tsa.requests == 1


def test_an_unreachable_authority_is_an_os_error():
    stamper = Rfc3161TimeStamper("http://127.0.0.1:9/", timeout=1)
    with pytest.raises(TimestampUnavailable):
        run_async(stamper.async_request_tsa_response(tsp.TimeStampReq({
            "version": 1, "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                              "hashed_message": b"\0" * 32}})))


def test_a_signature_made_with_a_configured_authority_carries_its_timestamp(settings, tmp_path, db):
    from motcua.org.models import Agency
    from motcua.signing import ca, keys
    from motcua.signing import signers as our_signers
    from motcua.signing.services import issue_certificate

    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    our_signers._loaded.clear()
    agency = Agency.objects.create(code="tt", name="Trung tâm", short_name="TT", kind="center", e_id="000.00.01.H26")
    certificate = issue_certificate(agency=agency)
    stamp = our_signers.Stamp(page=1, box=(330, 60, 530, 125), signer="Trung tâm", title="Con dấu",
                              organisation="Trung tâm", url="http://127.0.0.1/verify/x/")
    with FakeTsa() as tsa:
        settings.MOTCUA_SIGNING_TSA_URL = tsa.url
        signed = our_signers.Pkcs12Signer(keys.signing_dir() / certificate.key_file).sign_pdf(
            pdf.render_receipt_slip(samples.receipt_slip()), stamp)
        assert tsa.requests == 1
    roots = [load_cert_from_pemder(str(ca.ca_paths()[1]))]
    tsa_root = tmp_path / "tsa.pem"
    tsa_root.write_bytes(tsa.certificate_pem)
    context = ValidationContext(trust_roots=[*roots, load_cert_from_pemder(str(tsa_root))])
    from io import BytesIO

    status = validate_pdf_signature(PdfFileReader(BytesIO(signed)).embedded_signatures[0], context)
    assert status.bottom_line and status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
