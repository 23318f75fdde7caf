"""A local certificate authority for development and the demo (`motcua signing demo-ca`).

It issues X.509 certificates with `cryptography`, keeps every private key in a PKCS#12 file encrypted
with the signing passphrase (`keys.passphrase()`), and publishes a revocation list (CRL) that the
project serves at /signing/crl.der and that verification reads. A real deployment loads certificates
issued by a licensed provider instead (docs/signing.md); nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from . import keys

CA_NAME = "motcua Demo CA"
# ECDSA P-256: a key in a millisecond (an RSA key takes a third of a second, and the demo has 150 seals)
CURVE = ec.SECP256R1()


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key_file: Path


def fit(text: str, limit: int = 64) -> str:
    """`text` cut to what X.509 allows in a name (64, counted in UTF-8 bytes by `cryptography`)."""
    text = text.strip()
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.rstrip() or "-"


def _name(common_name: str, organisation: str = "", unit: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                  x509.NameAttribute(NameOID.COMMON_NAME, fit(common_name))]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit(organisation)))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, fit(unit)))
    return x509.Name(attributes)


def _write_p12(path: Path, name: str, key, certificate: x509.Certificate, chain=()) -> None:
    """Write the key and certificate as PKCS#12, encrypted (AES-256) with the signing passphrase."""
    data = pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, list(chain),
        serialization.BestAvailableEncryption(keys.passphrase()))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)


def ca_paths() -> tuple[Path, Path]:
    """(the CA's PKCS#12 key file, its certificate in PEM)."""
    base = keys.signing_dir() / "ca"
    return base / "ca.p12", base / "ca.pem"


def crl_path() -> Path:
    return keys.signing_dir() / "ca" / "crl.der"


def load_ca():
    """The CA's (key, certificate), or None when no CA was created."""
    key_path, _cert_path = ca_paths()
    if not key_path.exists():
        return None
    key, certificate, _chain = pkcs12.load_key_and_certificates(key_path.read_bytes(), keys.passphrase())
    return key, certificate


def ensure_ca(now: dt.datetime) -> tuple:
    """The demo CA, created the first time (idempotent)."""
    existing = load_ca()
    if existing is not None:
        return existing
    key = ec.generate_private_key(CURVE)
    name = _name(CA_NAME, "motcua")
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = ca_paths()
    _write_p12(key_path, CA_NAME, key, certificate)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


def issue(ca, *, common_name: str, organisation: str, unit: str, key_file: Path,
          not_before: dt.datetime, not_after: dt.datetime, crl_url: str) -> Issued:
    """A signing certificate for `common_name` (an officer or a seal), its key written to `key_file`."""
    ca_key, ca_cert = ca
    key = ec.generate_private_key(CURVE)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name, organisation, unit))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_p12(key_file, common_name, key, certificate, chain=[ca_cert])
    return Issued(certificate, key_file)


def publish_crl(ca, revoked: list[tuple[int, dt.datetime]], now: dt.datetime) -> bytes:
    """Write the CA's revocation list (DER) listing `revoked` (serial, revocation time); returns it."""
    ca_key, ca_cert = ca
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject)
               .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=7))
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                              critical=False)
               .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False))
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
    crl = builder.sign(ca_key, hashes.SHA256())
    data = crl.public_bytes(serialization.Encoding.DER)
    path = crl_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data
