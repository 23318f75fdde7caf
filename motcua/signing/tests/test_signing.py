"""Signing slip 01 at intake, storing it immutably, serving it, and verifying signed PDFs (also with poppler)."""

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core import outbox
from motcua.core.errors import PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import submit
from motcua.dossiers.tests.test_slips import keep
from motcua.org.models import Officer
from motcua.signing import ca, policies, services, verification
from motcua.signing.models import Certificate, SignedDocument

pytestmark = pytest.mark.django_db


def officer(user) -> Officer:
    return Officer.objects.select_related("user", "agency", "branch").get(user=user)


@pytest.fixture
def received(client, world):
    """A dossier received by world.reception, who holds a certificate."""
    services.issue_certificate(officer=officer(world.reception))
    response = submit(client, world.reception)
    assert response.status_code == 201
    return Dossier.objects.get(code=response.json()["code"])


def signed_slip(received) -> bytes:
    assert services.sign_intake_slips()["done"] == 1
    document = SignedDocument.objects.get(dossier=received, form="01")
    from django.core.files.storage import default_storage

    with default_storage.open(document.file, "rb") as handle:
        return handle.read()


def flip_byte_in_signed_range(content: bytes) -> bytes:
    """One byte changed inside the first signed range (the page content, before /Contents)."""
    position = content.index(b"GI") if b"GI" in content else len(content) // 3
    position = content.index(b"stream", position // 2) + 20
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def test_intake_consumer_signs_slip_01_with_the_receiving_officers_certificate(client, world, received):
    content = signed_slip(received)
    keep("signed-01.pdf", content)
    document = SignedDocument.objects.get(dossier=received, form="01")
    assert document.version == 1 and document.signed_by == world.reception
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.size == len(content)
    report = verification.verify_pdf(content)
    assert report.valid, report
    [signature] = report.signatures
    assert signature.signer == "reception" and signature.organisation == "Chi nhánh số 1"
    assert signature.serial == document.certificate.serial
    # A second run finds nothing more to sign.
    assert services.sign_intake_slips()["done"] == 0
    assert SignedDocument.objects.filter(dossier=received).count() == 1


def test_the_slips_endpoint_serves_the_signed_file_once_signed(client, world, received):
    client.force_login(world.reception)
    unsigned = client.get(f"/api/dossiers/{received.code}/slips/01.pdf").content
    assert verification.verify_pdf(unsigned).error == "no_signature"
    content = signed_slip(received)
    served = client.get(f"/api/dossiers/{received.code}/slips/01.pdf")
    assert served.status_code == 200 and served.content == content


def test_signing_again_makes_a_new_version_and_keeps_the_first(client, world, received):
    first_content = signed_slip(received)
    second = services.sign_slip(world.reception, received, "01")
    first = SignedDocument.objects.get(dossier=received, version=1)
    assert second.version == 2 and second.file != first.file and second.sha256 != first.sha256
    from django.core.files.storage import default_storage

    with default_storage.open(first.file, "rb") as handle:
        assert handle.read() == first_content  # untouched
    client.force_login(world.reception)
    assert hashlib.sha256(client.get(f"/api/dossiers/{received.code}/slips/01.pdf").content).hexdigest() == second.sha256


def test_an_officer_outside_the_dossiers_branch_or_agency_cannot_sign(world, received):
    services.issue_certificate(officer=officer(world.other_reception))
    services.issue_certificate(officer=officer(world.other_officer))
    assert not policies.can(world.other_reception, policies.SIGN, received)
    assert not policies.can(world.other_officer, policies.SIGN, received)
    assert not policies.can(world.citizen, policies.SIGN, received)
    assert policies.can(world.reception, policies.SIGN, received)
    assert policies.can(world.officer, policies.SIGN, received)  # the competent agency's officer
    for outsider in (world.other_reception, world.other_officer):
        with pytest.raises(PermissionDenied):
            services.sign_slip(outsider, received, "01")
    assert not SignedDocument.objects.exists()


def test_an_officer_without_certificate_leaves_the_slip_unsigned(client, world):
    response = submit(client, world.reception)
    assert response.status_code == 201
    assert services.sign_intake_slips() == {"done": 0, "skipped": 1, "failed": 0}
    assert not SignedDocument.objects.exists()


def test_a_changed_byte_is_detected(world, received):
    content = signed_slip(received)
    report = verification.verify_pdf(flip_byte_in_signed_range(content))
    assert not report.valid
    assert report.signatures and not report.signatures[0].intact and report.signatures[0].changed_after_signing


def test_a_revoked_certificate_is_detected(world, received):
    content = signed_slip(received)
    certificate = SignedDocument.objects.get(dossier=received).certificate
    assert verification.verify_pdf(content).valid
    services.revoke_certificate(certificate, "Lộ khóa")
    report = verification.verify_pdf(content)
    assert not report.valid and report.signatures[0].revoked and report.signatures[0].intact


def test_an_expired_certificate_is_detected(world, received):
    content = signed_slip(received)
    later = timezone.now() + dt.timedelta(days=800)
    report = verification.verify_pdf(content, now=later)
    assert not report.valid and report.signatures[0].expired


def test_a_signature_by_an_untrusted_authority_is_not_valid(world, received, settings, tmp_path):
    content = signed_slip(received)
    other = tmp_path / "other-ca.pem"
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Other CA")])
    now = timezone.now()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    other.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(other)]
    report = verification.verify_pdf(content)
    assert not report.valid and not report.signatures[0].trusted and report.signatures[0].intact


def test_private_keys_are_stored_encrypted(world, received, signing_dir):
    certificate = Certificate.objects.get(officer__user=world.reception)
    data = (signing_dir / certificate.key_file).read_bytes()
    from cryptography.hazmat.primitives.serialization import pkcs12

    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, None)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b"wrong")
    assert b"PRIVATE KEY" not in data


def test_demo_ca_issues_a_certificate_to_every_officer_and_seal_idempotently(world):
    call_command("signing", "demo-ca")
    officers = Officer.objects.count()
    assert Certificate.objects.filter(kind="officer").count() == officers
    assert Certificate.objects.filter(kind="seal", agency__isnull=False).count() == 4
    assert Certificate.objects.filter(kind="seal", branch__isnull=False).count() == 2
    assert ca.crl_path().exists() and ca.ca_paths()[1].exists()
    call_command("signing", "demo-ca")
    assert Certificate.objects.count() == officers + 6


def test_the_crl_is_published_by_the_project(client, world, received):
    certificate = Certificate.objects.get(officer__user=world.reception)
    services.revoke_certificate(certificate, "Nghỉ việc")
    response = client.get("/signing/crl.der")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    from cryptography import x509

    crl = x509.load_der_x509_crl(response.content)
    assert crl.get_revoked_certificate_by_serial_number(int(certificate.serial, 16)) is not None


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs poppler-utils (pdfsig)")
def test_poppler_pdfsig_reports_the_signature_valid_then_invalid_after_one_changed_byte(world, received, tmp_path):
    content = signed_slip(received)
    good = tmp_path / "good.pdf"
    good.write_bytes(content)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip_byte_in_signed_range(content))
    # pdfsig checks the signature over the signed ranges; its certificate check needs the demo CA in an
    # NSS database (-nssdir), which the signature's own validity does not depend on.
    out = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in out and "Total document signed" in out, out
    out = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in out and "Signature Validation: Digest Mismatch." in out, out


def test_the_outbox_cursor_moves_past_what_it_signed(world, received):
    signed_slip(received)
    assert outbox.cursor_of(services.INTAKE_CONSUMER).last_id == outbox.latest_id()


def test_long_vietnamese_names_fit_in_a_certificate(world):
    world.department.name = "Sở Nông nghiệp và Môi trường thành phố Hà Nội – Văn phòng đăng ký đất đai chi nhánh"
    world.department.save()
    certificate = services.issue_certificate(agency=world.department)
    assert "Sở Nông nghiệp" in certificate.subject and len(ca.fit(world.department.name).encode()) <= 64
