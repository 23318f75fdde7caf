"""POST /api/signatures/verify and the public pages /verify/ and /verify/<id>/."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import submit
from motcua.signing import services
from motcua.signing.models import SignedDocument

from .test_signing import flip_byte_in_signed_range, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client, world):
    services.issue_certificate(officer=officer(world.reception))
    response = submit(client, world.reception)
    dossier = Dossier.objects.get(code=response.json()["code"])
    document = services.sign_slip(world.reception, dossier, "01")
    from django.core.files.storage import default_storage

    with default_storage.open(document.file, "rb") as handle:
        return document, handle.read()


def post(client, content: bytes, name="slip.pdf"):
    return client.post("/api/signatures/verify", {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_anyone_verifies_without_login_or_csrf_token(signed):
    document, content = signed
    anonymous = Client(enforce_csrf_checks=True)
    response = post(anonymous, content)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and len(body["signatures"]) == 1
    signature = body["signatures"][0]
    assert signature["signer"] == "reception" and signature["serial"] == document.certificate.serial
    assert signature["intact"] and not signature["revoked"] and not signature["expired"]
    assert signature["signed_at"]


def test_a_tampered_file_is_reported_invalid(signed):
    _document, content = signed
    body = post(Client(), flip_byte_in_signed_range(content)).json()
    assert body["valid"] is False and body["signatures"][0]["changed_after_signing"] is True


@pytest.mark.parametrize("content, error", [(b"not a pdf at all", "not_pdf"), (b"", "not_pdf")])
def test_any_upload_gets_an_answer_not_a_500(content, error):
    response = post(Client(), content)
    assert response.status_code == 200 and response.json() == {"valid": False, "signatures": [], "error": error}


def test_an_unsigned_pdf_has_no_signature(client, world):
    response = submit(client, world.reception)
    client.force_login(world.reception)
    unsigned = client.get(f"/api/dossiers/{response.json()['code']}/slips/01.pdf").content
    assert post(Client(), unsigned).json()["error"] == "no_signature"


def test_no_file_is_a_clear_422():
    response = Client().post("/api/signatures/verify", {})
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"


def test_verification_is_rate_limited_per_client(settings, signed, monkeypatch):
    from motcua.signing import api

    monkeypatch.setattr(api, "VERIFY_RATE", "2/m")
    anonymous = Client()
    assert post(anonymous, b"x").status_code == 200
    assert post(anonymous, b"x").status_code == 200
    response = post(anonymous, b"x")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_the_qr_opens_the_documents_verification_page(signed):
    document, content = signed
    from motcua.signing.services import verification_url

    url = verification_url(document.public_id)
    assert url.startswith("https://dichvucong.example.vn/verify/")
    # The URL is what the stamp's QR encodes; the signed signature dictionary carries it too.
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    [embedded] = PdfFileReader(BytesIO(content), strict=False).embedded_signatures
    assert embedded.sig_object["/ContactInfo"] == url
    page = Client().get(f"/verify/{document.public_id}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Chữ ký số hợp lệ" in text and document.sha256 in text
    assert "Trần Thị Bình" not in text and "0987654321" not in text  # no personal data on a public page
    assert Client().get("/verify/nothing-here/").status_code == 404


def test_the_verify_page_checks_an_upload(signed):
    _document, content = signed
    page = Client()
    assert page.get("/verify/").status_code == 200
    from django.middleware.csrf import get_token  # noqa: F401 - the page's own form carries the token
    response = page.post("/verify/", {"file": SimpleUploadedFile("a.pdf", flip_byte_in_signed_range(content))})
    assert response.status_code == 200 and "Chữ ký số không hợp lệ" in response.content.decode()
    assert "Đã bị thay đổi sau khi ký" in response.content.decode()
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", response.content.decode())
    response = page.post("/verify/", {"file": SimpleUploadedFile("a.pdf", content)})
    assert "Chữ ký số hợp lệ" in response.content.decode()
    assert SignedDocument.objects.count() == 1
