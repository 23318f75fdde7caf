"""Signing use cases: the demo CA's certificates, revocation, signing a dossier's slip, the intake consumer.

A signed file is written once under a new name with its SHA-256 and never overwritten; signing the
same form again makes the next version (SignedDocument.version, unique per dossier and form).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import pdf
from motcua.core import audit, outbox
from motcua.core.errors import DomainError, PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.org.models import Agency, Branch, Officer

from . import ca, keys, policies, selectors
from .models import Certificate, SignedDocument
from .signers import Pkcs12Signer, Stamp

logger = logging.getLogger(__name__)

SIGNED = "signing.signed"
# The signature column each signable form leaves for the stamp.
SIGNATURE_FIELDS = {"01": "receiving_officer"}
INTAKE_CONSUMER = "signing_intake_slips"
INTAKE_TOPICS = ("dossier.submitted", "dossier.received")


class NoCertificate(DomainError):
    status = 409
    code = "no_certificate"
    default_message = gettext_lazy("Cán bộ chưa có chứng thư số còn hiệu lực.")


def _site() -> str:
    return getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def crl_url() -> str:
    return _site() + "/signing/crl.der"


def verification_url(public_id: str) -> str:
    return _site() + reverse("signing:document", args=[public_id])


def _organisation_of(officer: Officer) -> str:
    """Where the officer works, as the stamp says: the branch, else the agency."""
    return officer.branch.name if officer.branch is not None else officer.agency.name


# --- certificates -----------------------------------------------------------------------------------

def _record(ca_pair, certificate_obj, **owner) -> Certificate:
    x = certificate_obj.certificate
    from cryptography.hazmat.primitives import serialization

    return Certificate.objects.create(
        subject=x.subject.rfc4514_string()[:300], issuer=x.issuer.rfc4514_string()[:300],
        serial=format(x.serial_number, "x"), not_before=x.not_valid_before_utc, not_after=x.not_valid_after_utc,
        certificate_pem=x.public_bytes(serialization.Encoding.PEM).decode(),
        key_file=str(certificate_obj.key_file.relative_to(keys.signing_dir())), **owner)


def issue_certificate(*, officer: Officer | None = None, agency: Agency | None = None,
                      branch: Branch | None = None, now: dt.datetime | None = None,
                      days: int = 730, not_before: dt.datetime | None = None) -> Certificate:
    """A certificate from the local CA for an officer or a seal (the CA is created the first time)."""
    now = now or timezone.now()
    authority = ca.ensure_ca(now)
    if officer is not None:
        name = str(officer)
        organisation = _organisation_of(officer)
        unit, owner = officer.title, {"kind": Certificate.Kind.OFFICER, "officer": officer}
        stem = f"officer-{officer.pk}"
    elif agency is not None:
        name, organisation, unit = agency.name, agency.name, _("Con dấu")
        owner, stem = {"kind": Certificate.Kind.SEAL, "agency": agency}, f"agency-{agency.pk}"
    elif branch is not None:
        name, organisation, unit = branch.name, branch.name, _("Con dấu")
        owner, stem = {"kind": Certificate.Kind.SEAL, "branch": branch}, f"branch-{branch.pk}"
    else:
        raise ValidationFailed(_("Cần chọn cán bộ hoặc cơ quan."), code="no_owner")
    start = not_before or now - dt.timedelta(minutes=5)
    issued = ca.issue(authority, common_name=name[:64], organisation=organisation, unit=unit,
                      key_file=keys.key_path(f"{stem}-{int(now.timestamp() * 1000)}"),
                      not_before=start, not_after=start + dt.timedelta(days=days), crl_url=crl_url())
    return _record(authority, issued, **owner)


def publish_crl(now: dt.datetime | None = None) -> bytes:
    """Write the CA's revocation list with every revoked certificate."""
    now = now or timezone.now()
    authority = ca.ensure_ca(now)
    revoked = [(int(serial, 16), when or now) for serial, when in
               Certificate.objects.exclude(revoked_at=None).values_list("serial", "revoked_at")]
    return ca.publish_crl(authority, revoked, now)


def revoke_certificate(certificate: Certificate, reason: str, now: dt.datetime | None = None) -> Certificate:
    """Revoke the certificate and publish the new CRL (idempotent)."""
    now = now or timezone.now()
    if certificate.revoked_at is None:
        Certificate.objects.filter(pk=certificate.pk, revoked_at=None).update(
            revoked_at=now, revocation_reason=reason[:200])
        certificate.refresh_from_db()
        audit.record_event("signing", "signing.certificate_revoked", "certificate", certificate.serial,
                           reason=reason[:200])
    publish_crl(now)
    return certificate


def issue_demo_certificates(now: dt.datetime | None = None) -> dict[str, int]:
    """`motcua signing demo-ca`: the CA, a certificate for every officer and a seal for every agency and
    branch that has none valid, and the CRL. Idempotent."""
    now = now or timezone.now()
    ca.ensure_ca(now)
    counts = {"officers": 0, "seals": 0}
    for officer in Officer.objects.select_related("user", "agency", "branch").order_by("pk"):
        if selectors.usable_certificate(officer=officer, at=now) is None:
            issue_certificate(officer=officer, now=now)
            counts["officers"] += 1
    for agency in Agency.objects.order_by("pk"):
        if selectors.usable_certificate(agency=agency, at=now) is None:
            issue_certificate(agency=agency, now=now)
            counts["seals"] += 1
    for branch in Branch.objects.order_by("pk"):
        if selectors.usable_certificate(branch=branch, at=now) is None:
            issue_certificate(branch=branch, now=now)
            counts["seals"] += 1
    publish_crl(now)
    return counts


# --- signing ----------------------------------------------------------------------------------------

def _officer_of(user) -> Officer | None:
    return Officer.objects.select_related("user", "agency", "branch").filter(user=user).first() if user else None


def sign_slip(user, dossier, form: str = "01", *, now: dt.datetime | None = None) -> SignedDocument:
    """Sign the dossier's form with the user's certificate and store it as the next version.

    PermissionDenied for an officer outside the dossier's branch or agency; NoCertificate without a
    valid certificate; FormNotApplicable (from the slip's builder) when the form does not apply.
    """
    from motcua.dossiers import slips

    if form not in SIGNATURE_FIELDS:
        raise ValidationFailed(_("Biểu mẫu này chưa ký số được."), code="form_not_signable")
    if not policies.can(user, policies.SIGN, dossier):
        raise PermissionDenied(_("Cán bộ không thuộc chi nhánh hoặc cơ quan của hồ sơ: không được ký."))
    officer = _officer_of(user)
    now = now or timezone.now()
    certificate = selectors.usable_certificate(officer=officer, at=now)
    if certificate is None:
        raise NoCertificate()
    document = SignedDocument(dossier=dossier, form=form, certificate=certificate, signed_by=user, signed_at=now)
    build, _draw = slips.BUILDERS[form]
    with translation.override("vi"):
        filled = build(dossier)
        column = SIGNATURE_FIELDS[form]
        signature = dataclasses.replace(getattr(filled, column), name=str(officer), digitally_signed=True,
                                        signed_at=now, stamp_slot=True)
        rendered = pdf.render_receipt_slip_document(dataclasses.replace(filled, **{column: signature}))
    slot = rendered.signature_slots[-1] if rendered.signature_slots else pdf.SignatureSlot(
        rendered.page_count, 300, 40, 200, 60)
    assert officer is not None  # the policy needs an officer
    stamp = Stamp(page=slot.page, box=(slot.x, slot.y, slot.x + slot.width, slot.y + slot.height),
                  signer=str(officer), title=officer.title or _("Cán bộ"),
                  organisation=_organisation_of(officer),
                  url=verification_url(document.public_id))
    content = Pkcs12Signer(keys.signing_dir() / certificate.key_file).sign_pdf(rendered.content, stamp)
    return _store(user, document, content)


def _store(user, document: SignedDocument, content: bytes) -> SignedDocument:
    digest = hashlib.sha256(content).hexdigest()
    for _attempt in range(3):
        latest = (SignedDocument.objects.filter(dossier=document.dossier, form=document.form)
                  .aggregate(v=Max("version"))["v"] or 0)
        document.version = latest + 1
        name = f"signed/{document.dossier.code}/{document.form}-v{document.version}-{digest[:16]}.pdf"
        stored = default_storage.save(name, ContentFile(content))  # a new name if it exists: never overwritten
        document.file, document.sha256, document.size = stored, digest, len(content)
        try:
            with transaction.atomic():
                document.save(force_insert=True)
                audit.record_event(user, SIGNED, "dossier", document.dossier.code,
                                   data={"form": document.form, "version": document.version, "sha256": digest,
                                         "certificate": document.certificate.serial})
            return document
        except IntegrityError:  # a concurrent signature took this version number: take the next one
            default_storage.delete(stored)
            document.pk = None
    raise DomainError(_("Không lưu được văn bản đã ký, hãy thử lại."), code="sign_conflict")


def _sign_received(message: OutboxMessage) -> bool:
    from motcua.dossiers.models import Dossier, State

    if message.payload.get("to_state") != State.RECEIVED:
        return False
    dossier = (Dossier.objects.select_related("received_by", "branch", "competent_agency")
               .filter(code=message.object_id).first())
    if dossier is None or dossier.received_by is None or selectors.latest_signed(dossier, "01") is not None:
        return False
    try:
        sign_slip(dossier.received_by, dossier, "01")
    except DomainError as exc:  # no certificate, outside the branch: the slip stays unsigned, said in the log
        logger.warning("slip 01 of dossier %s not signed: %s", dossier.pk, exc.code)
        return False
    return True


def sign_intake_slips() -> dict[str, int]:
    """The periodic job: sign slip 01 of every dossier just received, with the receiving officer's key."""
    max_age = dt.timedelta(hours=float(getattr(settings, "MOTCUA_SIGNING_MAX_AGE_HOURS", 48)))
    return outbox.consume(INTAKE_CONSUMER, INTAKE_TOPICS, _sign_received, max_age=max_age)
