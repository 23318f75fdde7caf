"""POST /api/signatures/verify: anyone checks a signed PDF (no login, no CSRF token; rate-limited)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from motcua.core import ratelimit
from motcua.core.api import ErrorOut, authenticated
from motcua.core.clients import client_address
from motcua.core.errors import NotFound, ValidationFailed

from . import verification

router = Router(tags=["signing"])

VERIFY_RATE = getattr(settings, "MOTCUA_SIGNING_VERIFY_RATE", "20/m")
MAX_BYTES = 20 * 1024 * 1024
ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 429)}


class SignatureOut(Schema):
    field: str
    signer: str
    organisation: str
    serial: str
    issuer: str
    signed_at: str | None
    not_before: str
    not_after: str
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    revoked: bool
    expired: bool
    changed_after_signing: bool
    valid: bool


class VerifyOut(Schema):
    valid: bool
    signatures: list[SignatureOut]
    error: str


def read_upload(upload) -> bytes:
    if upload is None:
        raise ValidationFailed(details=[{"field": "file", "code": "required", "message": _("Cần tệp PDF.")}])
    if upload.size and upload.size > MAX_BYTES:
        raise ValidationFailed(details=[{"field": "file", "code": "too_large", "message": _("Tệp quá lớn (tối đa 20 MB).")}])
    return upload.read(MAX_BYTES + 1)[:MAX_BYTES]


@router.post("/signatures/verify", response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             summary="Verify the signatures of a PDF: who signed, when, which certificate, changed, revoked, expired")
def verify(request, file: UploadedFile = File(None)):  # noqa: B008 - Ninja's way of declaring a file
    ratelimit.enforce("signature_verify", client_address(request), VERIFY_RATE)
    return verification.verify_pdf(read_upload(file)).as_dict()


class SignIn(Schema):
    form: str


class SignedOut(Schema):
    form: str
    version: int
    sha256: str
    sealed: bool
    verify_url: str


def _signed_out(document) -> dict:
    from .services import verification_url

    return {"form": document.form, "version": document.version, "sha256": document.sha256,
            "sealed": document.seal_id is not None, "verify_url": verification_url(document.public_id)}


def _dossier_for(user, code: str):
    from motcua.dossiers import policies as dossier_policies
    from motcua.dossiers.selectors import by_code

    dossier = by_code(code)
    if not dossier_policies.may_print(user, dossier):
        raise NotFound()
    return dossier


@router.post("/dossiers/{code}/signatures", response={201: SignedOut, **ERRORS}, auth=authenticated,
             summary="Sign a dossier's document as the logged-in officer: a form (01–05, refusal) or the result "
                     "(the competent agency's head; the seal is added with it once the dossier is approved)")
def sign(request, code: str, payload: SignIn):
    from . import services

    dossier = _dossier_for(request.user, code)
    if payload.form == services.RESULT:
        document = services.sign_result(request.user, dossier)
    else:
        document = services.sign_slip(request.user, dossier, payload.form)
    return Status(201, _signed_out(document))


@router.get("/dossiers/{code}/result.pdf", response={**ERRORS}, auth=authenticated,
            summary="The newest signed version of the dossier's result (404 until the head signed it)")
def signed_result(request, code: str):
    from django.http import HttpResponse

    from . import selectors, services

    dossier = _dossier_for(request.user, code)
    content = selectors.signed_slip(dossier, services.RESULT)
    if content is None:
        raise NotFound(_("Kết quả chưa được ký số."), code="result_not_signed")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-ket-qua.pdf"'
    return response


class BatchIn(Schema):
    codes: list[str] = []
    today: bool = False
    note: str = ""


class BatchItemOut(Schema):
    code: str
    status: str
    reason_code: str
    reason: str


class BatchOut(Schema):
    id: int
    status: str
    total: int
    signed: int
    failed: int
    items: list[BatchItemOut]


def _batch_out(progress: dict) -> dict:
    batch = progress["batch"]
    return {"id": batch.pk, "status": batch.status, "total": progress["total"], "signed": progress["signed"],
            "failed": progress["failed"],
            "items": [{"code": i.dossier.code, "status": i.status, "reason_code": i.reason_code, "reason": i.reason}
                      for i in progress["items"]]}


@router.post("/signing/batches", response={201: BatchOut, **ERRORS}, auth=authenticated,
             summary="Batch signing: approve and seal the chosen dossiers of the branch leader's approval list "
                     "(or those proposed today) in the background")
def start_batch(request, payload: BatchIn):
    from . import selectors, services

    batch = services.start_batch(request.user, payload.codes, today=payload.today, note=payload.note)
    return Status(201, _batch_out(selectors.batch_progress(batch.pk, request.user)))


@router.get("/signing/batches/{batch_id}", response={200: BatchOut, **ERRORS}, auth=authenticated,
            summary="A batch's progress: each dossier signed, failed (with its reason) or waiting")
def batch_progress(request, batch_id: int):
    from . import selectors

    progress = selectors.batch_progress(batch_id, request.user)
    if progress is None:
        raise NotFound()
    return _batch_out(progress)
