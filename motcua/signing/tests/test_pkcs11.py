"""Signing with a key held on a PKCS#11 token: SoftHSM from Debian's packages (softhsm2)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua import pdf
from motcua.org.models import Agency
from motcua.pdf import samples
from motcua.signing import keys, services, signers, verification

pytestmark = pytest.mark.django_db
MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "123456"


@pytest.fixture
def token(tmp_path, monkeypatch, settings):
    """A SoftHSM token of its own, with the key of a seal certificate imported (then the PKCS#12 file removed)."""
    if not MODULE.exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("softhsm2 not installed (make system-deps)")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "motcua", "--pin", PIN,
                    "--so-pin", "654321"], check=True, capture_output=True)
    agency = Agency.objects.create(code="tt", name="Trung tâm", short_name="TT", kind="center", e_id="000.00.01.H26")
    certificate = services.issue_certificate(agency=agency)
    p12 = keys.signing_dir() / certificate.key_file
    key, _cert, _chain = pkcs12.load_key_and_certificates(p12.read_bytes(), keys.passphrase())
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "motcua", "--label", "seal", "--id", "01",
                    "--pin", PIN], check=True, capture_output=True)
    pem.unlink()
    p12.unlink()  # the key now exists only on the token
    certificate.key_file = signers.pkcs11_reference("motcua", "seal")
    certificate.save(update_fields=["key_file"])
    settings.MOTCUA_SIGNING_PKCS11_MODULE = str(MODULE)
    settings.MOTCUA_SIGNING_PKCS11_PIN = PIN
    signers._sessions.clear()
    yield certificate
    for session in signers._sessions.values():
        session.close()
    signers._sessions.clear()


def test_a_document_signed_on_the_token_verifies(token, settings):
    from motcua.signing import ca

    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(ca.ca_paths()[1])]
    signer = signers.signer_for(token)
    assert isinstance(signer, signers.Pkcs11Signer)
    stamp = signers.Stamp(page=1, box=(330, 60, 530, 125), signer="Trung tâm", title="Con dấu",
                          organisation="Trung tâm", url="http://127.0.0.1/verify/x/")
    signed = signer.sign_pdf(pdf.render_receipt_slip(samples.receipt_slip()), stamp)
    report = verification.verify_pdf(signed)
    assert report.valid, report
    assert report.signatures[0].serial == token.serial


def test_a_wrong_pin_signs_nothing(token, settings):
    settings.MOTCUA_SIGNING_PKCS11_PIN = "000000"
    stamp = signers.Stamp(page=1, box=(330, 60, 530, 125), signer="x", title="x", organisation="x", url="http://x/")
    with pytest.raises(Exception) as caught:
        signers.signer_for(token).sign_pdf(pdf.render_receipt_slip(samples.receipt_slip()), stamp)
    assert "Pin" in type(caught.value).__name__ or "PIN" in str(caught.value).upper()
