"""Read queries on certificates and signed documents."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Certificate, SignedDocument

logger = logging.getLogger(__name__)


def usable_certificate(*, officer=None, agency=None, branch=None, at=None) -> Certificate | None:
    """The newest certificate of the officer (or seal of the agency / branch) valid now and not revoked."""
    at = at or timezone.now()
    certificates = Certificate.objects.filter(revoked_at=None, not_before__lte=at, not_after__gte=at)
    if officer is not None:
        certificates = certificates.filter(kind=Certificate.Kind.OFFICER, officer=officer)
    elif agency is not None:
        certificates = certificates.filter(kind=Certificate.Kind.SEAL, agency=agency)
    elif branch is not None:
        certificates = certificates.filter(kind=Certificate.Kind.SEAL, branch=branch)
    else:
        return None
    return certificates.order_by("-not_after", "-pk").first()


def latest_signed(dossier, form: str) -> SignedDocument | None:
    return (SignedDocument.objects.select_related("certificate")
            .filter(dossier=dossier, form=form).order_by("-version").first())


def read_signed(document: SignedDocument) -> bytes | None:
    """The stored file, or None when it is missing or no longer matches its SHA-256 (logged)."""
    try:
        with default_storage.open(document.file, "rb") as handle:
            content = handle.read()
    except OSError:
        logger.error("signed document %s: file missing", document.pk)
        return None
    if hashlib.sha256(content).hexdigest() != document.sha256:
        logger.error("signed document %s: file does not match its hash", document.pk)
        return None
    return content


def signed_slip(dossier, form: str) -> bytes | None:
    """The newest signed version of the dossier's form, None when it was never signed."""
    document = latest_signed(dossier, form)
    return read_signed(document) if document is not None else None


def by_public_id(public_id: str) -> SignedDocument | None:
    return (SignedDocument.objects.select_related("certificate", "dossier")
            .filter(public_id=public_id[:24]).first())


RELEASED_STATES = ("result_ready", "returned")


def released_result(code: str) -> SignedDocument | None:
    """The sealed result of a dossier whose result was released (ready or handed over), else None."""
    document = (SignedDocument.objects.select_related("dossier").filter(
        dossier__code=code, form="result", dossier__state__in=RELEASED_STATES).order_by("-version").first())
    return document if document is not None and document.seal_id is not None else None


def batches_of(user, limit: int = 10):
    from .models import SigningBatch

    return SigningBatch.objects.filter(created_by=user).order_by("-pk")[:limit]


def batch_progress(batch_id: int, user):
    """The user's batch with its items and counts, None when it is not theirs."""
    from .models import SigningBatch, SigningBatchItem

    batch = SigningBatch.objects.filter(pk=batch_id, created_by=user).first()
    if batch is None:
        return None
    items = list(batch.items.select_related("dossier__procedure").order_by("position"))
    total = len(items)
    signed = sum(1 for i in items if i.status == SigningBatchItem.Status.SIGNED)
    failed = sum(1 for i in items if i.status == SigningBatchItem.Status.FAILED)
    return {"batch": batch, "items": items, "total": total, "signed": signed, "failed": failed,
            "finished": signed + failed, "percent": round(100 * (signed + failed) / total) if total else 100,
            "done": batch.status == SigningBatch.Status.DONE}
