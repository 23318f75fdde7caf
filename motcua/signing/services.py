"""Signing use cases: the demo CA's certificates, revocation, signing a dossier's slip, the intake consumer.

A signed file is written once under a new name with its SHA-256 and never overwritten; signing the
same form again makes the next version (SignedDocument.version, unique per dossier and form).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

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
from motcua.core import audit, outbox, roles
from motcua.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.org.models import Agency, Branch, Officer

from . import ca, keys, policies, selectors
from .models import Certificate, SignedDocument, SigningBatch, SigningBatchItem
from .signers import FIELD_NAME, Signer, Stamp, signer_for

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


# --- signing ---------------------------------------------------------------------------------------

# The forms signed as generated documents: the column of the form's dataclass that carries the signature,
# and how to draw it with the stamp's place recorded. Form 06 (the control sheet) carries no signature,
# form 07 (the register) belongs to no dossier.
FORMS: dict[str, tuple[str, Callable[[Any], pdf.RenderedPdf]]] = {
    "01": ("receiving_officer", pdf.render_receipt_slip_document),
    "02": ("signer", pdf.render_supplement_request_document),
    "03": ("receiving_officer", pdf.render_refusal_document),
    "04": ("head", pdf.render_apology_document),
    "05": ("signer", pdf.render_stop_notice_document),
    "refusal": ("head", pdf.render_refusal_letter_document),
}
SIGNATURE_FIELDS = {form: column for form, (column, _render) in FORMS.items()}
HEAD_FORMS = frozenset({"04", "refusal"})  # signed by the agency's head, never on the consumer's own
RESULT = "result"
SEAL_FIELD = "Seal"


class ResultMissing(DomainError):
    status = 409
    code = "result_missing"
    default_message = gettext_lazy("Hồ sơ chưa đính kèm kết quả.")


class ResultNotPdf(DomainError):
    status = 422
    code = "result_not_pdf"
    default_message = gettext_lazy("Kết quả không phải tệp PDF nên không ký số được.")


class ResultNotSigned(DomainError):
    status = 409
    code = "result_not_signed"
    default_message = gettext_lazy("Kết quả chưa được thủ trưởng cơ quan giải quyết ký số.")


class NoSeal(DomainError):
    status = 409
    code = "no_seal"
    default_message = gettext_lazy("Cơ quan chưa có chứng thư số con dấu còn hiệu lực.")


def _officer_of(user) -> Officer | None:
    return Officer.objects.select_related("user", "agency", "branch").filter(user=user).first() if user else None


def _usable_or_fail(officer: Officer | None, now: dt.datetime) -> Certificate:
    certificate = selectors.usable_certificate(officer=officer, at=now)
    if certificate is None:
        raise NoCertificate()
    return certificate


def _stamp_of(officer: Officer, document: SignedDocument, slot: pdf.SignatureSlot,
              field_name: str = FIELD_NAME) -> Stamp:
    return Stamp(page=slot.page, box=(slot.x, slot.y, slot.x + slot.width, slot.y + slot.height),
                 signer=str(officer), title=officer.title or _("Cán bộ"), organisation=_organisation_of(officer),
                 url=verification_url(document.public_id), field_name=field_name)


def _signer_for(certificate: Certificate) -> Signer:
    return signer_for(certificate)


def sign_slip(user, dossier, form: str = "01", *, now: dt.datetime | None = None) -> SignedDocument:
    """Sign the dossier's form with the user's certificate and store it as the next version.

    PermissionDenied for an officer outside the dossier's branch or agency, and, for forms 04 and the
    refusal letter, for anyone but the agency's head; NoCertificate without a valid certificate;
    FormNotApplicable (from the slip's builder) when the form does not apply.
    """
    from motcua.dossiers import slips

    if form not in FORMS:
        raise ValidationFailed(_("Biểu mẫu này chưa ký số được."), code="form_not_signable")
    action = policies.SIGN_AS_HEAD if form in HEAD_FORMS else policies.SIGN
    if not policies.can(user, action, dossier):
        raise PermissionDenied(_("Cán bộ không thuộc chi nhánh hoặc cơ quan của hồ sơ: không được ký.")
                               if action == policies.SIGN else
                               _("Chỉ thủ trưởng cơ quan giải quyết ký văn bản này."))
    officer = _officer_of(user)
    assert officer is not None  # the policy needs an officer
    now = now or timezone.now()
    certificate = _usable_or_fail(officer, now)
    document = SignedDocument(dossier=dossier, form=form, certificate=certificate, signed_by=user, signed_at=now)
    build, _draw = slips.BUILDERS[form]
    column, draw = FORMS[form]
    with translation.override("vi"):
        filled = build(dossier)
        printed = getattr(filled, column) or pdf.Signature(name="")
        signature = dataclasses.replace(printed, name=str(officer), digitally_signed=True, signed_at=now,
                                        stamp_slot=True)
        rendered = draw(dataclasses.replace(filled, **{column: signature}))
    slot = rendered.signature_slots[-1] if rendered.signature_slots else pdf.SignatureSlot(
        rendered.page_count, 300, 40, 200, 60)
    content = _signer_for(certificate).sign_pdf(rendered.content, _stamp_of(officer, document, slot))
    return _store(user, document, content)


# --- the result: the head's signature, the organisation's seal at approval --------------------------

RESULT_SIGNABLE_STATES = ("awaiting_approval", "approved", "result_ready")
APPROVED_STATES = ("approved", "result_ready", "returned")
STAMP_WIDTH, STAMP_HEIGHT, MARGIN = 200.0, 62.0, 28.0


def _result_content(dossier) -> bytes:
    from motcua.core import uploads

    if not dossier.result_file:
        raise ResultMissing()
    try:
        with uploads.open_stored(dossier.result_file.name) as handle:
            content = handle.read()
    except OSError as exc:
        raise ResultMissing() from exc
    if not content.startswith(b"%PDF"):
        raise ResultNotPdf()
    return content


def _last_page_slot(content: bytes, column: int) -> pdf.SignatureSlot:
    """Where a stamp goes on an uploaded result: the foot of its last page, column 0 at the right."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        count = int(reader.root["/Pages"]["/Count"])
        page, *_rest = reader.find_page_for_modification(count - 1)
        x1, y1, x2, _y2 = (float(v) for v in page.get_object()["/MediaBox"])
    except Exception as exc:  # noqa: BLE001 - a PDF pyHanko cannot read cannot be signed either
        raise ResultNotPdf() from exc
    right = x2 - MARGIN - column * (STAMP_WIDTH + 8)
    return pdf.SignatureSlot(count, max(x1 + MARGIN, right - STAMP_WIDTH), y1 + MARGIN, STAMP_WIDTH, STAMP_HEIGHT)


def _seal_certificate(dossier) -> Certificate | None:
    """The seal added at approval: the branch's (its leader approves), else the competent agency's."""
    if dossier.branch_id is not None:
        found = selectors.usable_certificate(branch=dossier.branch)
        if found is not None:
            return found
    return selectors.usable_certificate(agency=dossier.competent_agency)


def _seal_stamp(dossier, certificate: Certificate, document: SignedDocument, slot) -> Stamp:
    owner = dossier.branch if certificate.branch_id else dossier.competent_agency
    return Stamp(page=slot.page, box=(slot.x, slot.y, slot.x + slot.width, slot.y + slot.height),
                 signer=owner.name, title=_("Con dấu"), organisation=owner.name,
                 url=verification_url(document.public_id), field_name=SEAL_FIELD)


def sign_result(user, dossier, *, now: dt.datetime | None = None) -> SignedDocument:
    """The competent agency's head signs the attached result (a PDF); once the dossier is approved the
    organisation's seal is added with it, before that it is added at approval (`seal_result`).

    PermissionDenied for anyone but the competent agency's head; ResultMissing / ResultNotPdf;
    NoCertificate; invalid_state before the result can exist or after it was handed over.
    """
    if dossier.state not in RESULT_SIGNABLE_STATES:
        raise Conflict(_("Hồ sơ đang ở trạng thái không cho phép ký kết quả."), code="invalid_state")
    if not policies.can(user, policies.SIGN_AS_HEAD, dossier):
        raise PermissionDenied(_("Chỉ thủ trưởng cơ quan giải quyết ký kết quả."))
    officer = _officer_of(user)
    assert officer is not None
    now = now or timezone.now()
    certificate = _usable_or_fail(officer, now)
    original = _result_content(dossier)
    document = SignedDocument(dossier=dossier, form=RESULT, certificate=certificate, signed_by=user, signed_at=now)
    content = _signer_for(certificate).sign_pdf(
        original, _stamp_of(officer, document, _last_page_slot(original, 0)))
    if dossier.state in APPROVED_STATES:
        seal = _seal_certificate(dossier)
        if seal is None:
            raise NoSeal()
        content = _signer_for(seal).sign_pdf(content, _seal_stamp(dossier, seal, document,
                                                                   _last_page_slot(content, 1)))
        document.seal = seal
    return _store(user, document, content)


def seal_result(user, dossier, *, now: dt.datetime | None = None) -> SignedDocument:
    """At approval: add the organisation's seal to the result the head signed (a new version).

    ResultNotSigned when the head has not signed it yet; Conflict-free when it is sealed already (the
    sealed version is returned as it is); NoSeal without a valid seal certificate.
    """
    latest = selectors.latest_signed(dossier, RESULT)
    if latest is None:
        raise ResultNotSigned()
    if latest.seal_id is not None:
        return latest
    content = selectors.read_signed(latest)
    if content is None:
        raise ResultNotSigned()
    seal = _seal_certificate(dossier)
    if seal is None:
        raise NoSeal()
    now = now or timezone.now()
    document = SignedDocument(dossier=dossier, form=RESULT, certificate=latest.certificate, signed_by=user,
                              signed_at=now, seal=seal)
    content = _signer_for(seal).sign_pdf(content, _seal_stamp(dossier, seal, document,
                                                               _last_page_slot(content, 1)))
    return _store(user, document, content)


def approve_with_seal(user, code: str, *, note: str = "", version: int | None = None,
                      now: dt.datetime | None = None) -> SignedDocument:
    """Approve the dossier and seal its signed result, together or not at all (the batch's unit of work).

    The approval claims the dossier's version first (services.common.claim), so of two batches over the
    same dossier one approves and seals it, the other gets Conflict or invalid_state: never a second seal.
    """
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.selectors import by_code

    dossier = by_code(code)
    if selectors.latest_signed(dossier, RESULT) is None:
        _result_content(dossier)  # result_missing / result_not_pdf say more than "not signed"
        raise ResultNotSigned()
    with transaction.atomic():
        approved = dossier_services.approve(user, code, note=note, version=version, now=now)
        return seal_result(user, approved, now=now)


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
                                         "certificate": document.certificate.serial,
                                         "seal": document.seal.serial if document.seal else ""})
            return document
        except IntegrityError:  # a concurrent signature took this version number: take the next one
            default_storage.delete(stored)
            document.pk = None
    raise DomainError(_("Không lưu được văn bản đã ký, hãy thử lại."), code="sign_conflict")


# --- the outbox consumers ---------------------------------------------------------------------------

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


OUTCOME_CONSUMER = "signing_outcome_documents"
# dossier.<action> -> (the form its actor signs, the audited actions naming that actor); "approve" seals.
OUTCOME_FORMS = {
    "dossier.request_supplement": ("02", ("request_supplement",)),
    "dossier.refuse_intake": ("03", ("refuse_intake",)),
    "dossier.refuse": ("03", ("refuse",)),
    "dossier.stop": ("05", ("stop",)),
    "dossier.withdraw": ("05", ("withdraw",)),
    "dossier.approve": (RESULT, ("approve",)),
}


def _sign_outcome(message: OutboxMessage) -> bool:
    from motcua.dossiers import slip_selectors, slips
    from motcua.dossiers.models import Dossier

    form, actions = OUTCOME_FORMS[message.topic]
    dossier = (Dossier.objects.select_related("branch", "competent_agency", "procedure")
               .filter(code=message.object_id).first())
    if dossier is None:
        return False
    actor = slip_selectors.last_actor(dossier, *actions)
    try:
        if form == RESULT:  # an approval made on its own: seal the result if the head signed it already
            latest = selectors.latest_signed(dossier, RESULT)
            if latest is None or latest.seal_id is not None or actor is None:
                return False
            seal_result(actor, dossier)
            return True
        if form == "03" and slips.refusal_kind(dossier) != slips.INTAKE:
            return False  # the agency's refusal letter: its head signs it (sign_slip "refusal")
        if actor is None or roles.officer_of(actor) is None:
            return False  # the scheduler or the applicant: an officer signs it by hand
        sign_slip(actor, dossier, form)
    except DomainError as exc:
        logger.warning("form %s of dossier %s not signed: %s", form, dossier.pk, exc.code)
        return False
    return True


def sign_outcome_documents() -> dict[str, int]:
    """The periodic job: sign forms 02, 03 and 05 with their officer's key as they are issued, and seal
    the result of a dossier approved on its own (outbox consumer `signing_outcome_documents`)."""
    max_age = dt.timedelta(hours=float(getattr(settings, "MOTCUA_SIGNING_MAX_AGE_HOURS", 48)))
    return outbox.consume(OUTCOME_CONSUMER, tuple(OUTCOME_FORMS), _sign_outcome, max_age=max_age)


# --- batch signing (ký số theo lô) --------------------------------------------------------------------

BATCH_MAX = 200


def batch_candidates(user):
    """The dossiers the user may approve and seal now: the branch leader's approval list, oldest first."""
    from motcua.dossiers import page_selectors

    return page_selectors.approval_queue(user).order_by("due_at", "pk")


def start_batch(user, codes: list[str] | None = None, *, today: bool = False, note: str = "",
                now: dt.datetime | None = None) -> SigningBatch:
    """A batch over the chosen dossiers of the user's approval list (or those proposed today), queued for
    the background worker (`run_signing_batch`). PermissionDenied for anyone who may not approve;
    ValidationFailed `nothing_selected` when no chosen dossier is on the list."""
    from motcua.dossiers import page_selectors

    if not page_selectors.may_approve(user):
        raise PermissionDenied(_("Chỉ lãnh đạo chi nhánh ký duyệt hồ sơ theo lô."))
    now = now or timezone.now()
    candidates = batch_candidates(user)
    if today:
        start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        candidates = candidates.filter(current_step__started_at__gte=start)
    else:
        candidates = candidates.filter(code__in=[str(c)[:40] for c in (codes or [])][:BATCH_MAX])
    dossiers = list(candidates[:BATCH_MAX])
    if not dossiers:
        raise ValidationFailed(_("Chưa chọn hồ sơ nào trong danh sách chờ phê duyệt."), code="nothing_selected",
                               details=[{"field": "code", "code": "nothing_selected"}])
    with transaction.atomic():
        batch = SigningBatch.objects.create(created_by=user, created_at=now, note=(note or "")[:1000])
        SigningBatchItem.objects.bulk_create(
            [SigningBatchItem(batch=batch, dossier=d, position=n) for n, d in enumerate(dossiers, 1)])
        audit.record_event(user, "signing.batch_started", "signing_batch", str(batch.pk), data={"dossiers": len(dossiers)})
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from .tasks import run_signing_batch

    try:
        run_signing_batch.enqueue(batch_id)
    except Exception as exc:  # noqa: BLE001 - the batch stays queued; `run_batch` can be started again
        logger.error("signing batch %s not queued: %s", batch_id, type(exc).__name__)


def run_batch(batch_id: int) -> dict[str, int]:
    """Approve and seal each waiting dossier of the batch, one by one: a failure is recorded with its
    reason on its item and the others go on. Running it again only does what is still waiting."""
    batch = SigningBatch.objects.select_related("created_by").get(pk=batch_id)
    SigningBatch.objects.filter(pk=batch.pk, status=SigningBatch.Status.QUEUED).update(
        status=SigningBatch.Status.RUNNING)
    counts = {"signed": 0, "failed": 0}
    for item in batch.items.select_related("dossier").filter(status=SigningBatchItem.Status.PENDING):
        document, code, reason = None, "", ""
        try:
            with translation.override("vi"):
                document = approve_with_seal(batch.created_by, item.dossier.code, note=batch.note)
        except DomainError as exc:
            code, reason = exc.code, str(exc.message)
        except Exception as exc:  # noqa: BLE001 - one document that fails does not stop the others
            logger.exception("signing batch %s: dossier %s failed", batch.pk, item.dossier_id)
            code, reason = "error", _("Lỗi hệ thống khi ký (%(kind)s).") % {"kind": type(exc).__name__}
        status = SigningBatchItem.Status.SIGNED if document is not None else SigningBatchItem.Status.FAILED
        SigningBatchItem.objects.filter(pk=item.pk, status=SigningBatchItem.Status.PENDING).update(
            status=status, reason_code=code[:60], reason=reason[:300], document=document,
            finished_at=timezone.now())
        counts["signed" if document is not None else "failed"] += 1
    SigningBatch.objects.filter(pk=batch.pk).update(status=SigningBatch.Status.DONE, finished_at=timezone.now())
    return counts
