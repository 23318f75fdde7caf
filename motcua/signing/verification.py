"""Verifying a signed PDF: every signature, who signed, when, with which certificate, whether the file
changed after signing, whether the certificate was revoked or expired.

Trust comes from the roots in MOTCUA_SIGNING_TRUST_ROOTS (PEM/DER files; the demo CA's certificate
by default) and revocation from the CRLs in MOTCUA_SIGNING_CRLS (the demo CA's published list by
default). Nothing is fetched from the network. Any input yields a report, never an exception.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import ca

logger = logging.getLogger(__name__)


@dataclass
class SignatureReport:
    field: str
    signer: str
    organisation: str
    serial: str
    issuer: str
    signed_at: str | None
    not_before: str
    not_after: str
    intact: bool  # the signed bytes are unchanged
    cryptographically_valid: bool
    trusted: bool  # chains to a trusted root
    revoked: bool
    expired: bool
    changed_after_signing: bool
    valid: bool

    @property
    def signed_at_text(self) -> str:
        """The signing time as people read it: 17:58 07/12/2026 (local time)."""
        if not self.signed_at:
            return ""
        return timezone.localtime(dt.datetime.fromisoformat(self.signed_at)).strftime("%H:%M %d/%m/%Y")


@dataclass
class VerificationReport:
    valid: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""  # a code: "not_pdf", "no_signature"

    def as_dict(self) -> dict:
        return asdict(self)


def trust_root_paths() -> list[Path]:
    configured = getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", None)
    return [Path(p) for p in configured] if configured else [ca.ca_paths()[1]]


def crl_paths() -> list[Path]:
    configured = getattr(settings, "MOTCUA_SIGNING_CRLS", None)
    return [Path(p) for p in configured] if configured else [ca.crl_path()]


def validation_context() -> ValidationContext:
    roots = [load_cert_from_pemder(str(p)) for p in trust_root_paths() if p.exists()]
    crls = [p.read_bytes() for p in crl_paths() if p.exists()]
    return ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False, revocation_mode="soft-fail")


def _attr(name, oid: str) -> str:
    try:
        return str(name.native.get(oid, ""))
    except Exception:  # noqa: BLE001
        return ""


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _only_signed_after(status) -> bool:
    """The signature covers the whole file, or what came after it only adds signatures (a later signer,
    the organisation's seal): pyHanko's difference analysis calls that form filling at most."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    level = getattr(status, "modification_level", None)
    return level is not None and level <= ModificationLevel.FORM_FILLING and bool(getattr(status, "docmdp_ok", True))


def verify_pdf(content: bytes, *, now: dt.datetime | None = None) -> VerificationReport:
    """The report on `content` (any bytes)."""
    now = now or timezone.now()
    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - whatever the upload is, it gets an answer
        return VerificationReport(valid=False, error="not_pdf")
    if not embedded:
        return VerificationReport(valid=False, error="no_signature")
    context = validation_context()
    reports = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # noqa: BLE001 - a broken signature is reported as invalid
            logger.info("signature validation failed: %s", type(exc).__name__)
            reports.append(SignatureReport(field=str(signature.field_name), signer="", organisation="", serial="",
                                           issuer="", signed_at=None, not_before="", not_after="", intact=False,
                                           cryptographically_valid=False, trusted=False, revoked=False,
                                           expired=False, changed_after_signing=True, valid=False))
            continue
        cert = status.signing_cert
        not_before, not_after = cert.not_valid_before, cert.not_valid_after
        signed_at = status.signer_reported_dt
        expired = now > not_after or (signed_at is not None and not (not_before <= signed_at <= not_after))
        changed = (not status.intact) or not _only_signed_after(status)
        report = SignatureReport(
            field=str(signature.field_name),
            signer=_attr(cert.subject, "common_name"),
            organisation=_attr(cert.subject, "organization_name"),
            serial=format(cert.serial_number, "x"),
            issuer=_attr(cert.issuer, "common_name"),
            signed_at=_iso(signed_at),
            not_before=_iso(not_before) or "",
            not_after=_iso(not_after) or "",
            intact=bool(status.intact),
            cryptographically_valid=bool(status.valid),
            trusted=bool(status.trusted),
            revoked=bool(status.revoked),
            expired=bool(expired),
            changed_after_signing=bool(changed),
            valid=False,
        )
        report.valid = (report.intact and report.cryptographically_valid and report.trusted and not report.revoked
                        and not report.expired and not report.changed_after_signing)
        reports.append(report)
    return VerificationReport(valid=all(r.valid for r in reports), signatures=reports)
