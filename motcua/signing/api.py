"""POST /api/signatures/verify: anyone checks a signed PDF (no login, no CSRF token; rate-limited)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from motcua.core import ratelimit
from motcua.core.api import ErrorOut
from motcua.core.clients import client_address
from motcua.core.errors import ValidationFailed

from . import verification

router = Router(tags=["signing"])

VERIFY_RATE = getattr(settings, "MOTCUA_SIGNING_VERIFY_RATE", "20/m")
MAX_BYTES = 20 * 1024 * 1024


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
