"""Certificates (chứng thư số) of officers and seals, and the signed documents (immutable versions)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.org.models import Agency, Branch, Officer


def new_public_id() -> str:
    """The id in a signed document's verification link (and its QR): unguessable, no personal data."""
    return secrets.token_urlsafe(12)


class Certificate(models.Model):
    """An X.509 certificate issued to an officer or to an organisation's seal; its key is a PKCS#12 file
    encrypted with the passphrase from the environment (MOTCUA_SIGNING_PASSPHRASE)."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("Cán bộ")
        SEAL = "seal", _("Con dấu của cơ quan")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="certificates", verbose_name=_("cán bộ"))
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="seal_certificates", verbose_name=_("cơ quan (con dấu)"))
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="seal_certificates", verbose_name=_("chi nhánh (con dấu)"))
    subject = models.CharField(_("chủ thể"), max_length=300)
    issuer = models.CharField(_("tổ chức cấp"), max_length=300)
    serial = models.CharField(_("số hiệu"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    key_file = models.CharField(_("tệp khóa PKCS#12"), max_length=300)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = pgettext_lazy("plural", "chứng thư số")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="officer", officer__isnull=False, agency__isnull=True, branch__isnull=True)
                           | models.Q(kind="seal", officer__isnull=True)),
                name="signing_certificate_owner"),
        ]

    def __str__(self) -> str:
        return self.subject

    def is_usable(self, at=None) -> bool:
        """Not revoked and within its validity at `at` (now)."""
        at = at or timezone.now()
        return self.revoked_at is None and self.not_before <= at <= self.not_after


class SignedDocument(models.Model):
    """One signed version of a dossier's form: the file is written once and never changed; signing
    again makes the next version."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="signed_documents",
                                verbose_name=_("hồ sơ"))
    form = models.CharField(_("biểu mẫu"), max_length=20)
    version = models.PositiveIntegerField(_("phiên bản"))
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    file = models.CharField(_("tệp"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("kích thước"))
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="documents",
                                    verbose_name=_("chứng thư số"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("người ký"))
    signed_at = models.DateTimeField(_("ký lúc"))
    # The organisation's seal (ký số tổ chức) added to this version, on top of the person's signature.
    seal = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("con dấu"))

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = pgettext_lazy("plural", "văn bản đã ký số")
        constraints = [models.UniqueConstraint(fields=["dossier", "form", "version"],
                                               name="signing_document_version")]

    def __str__(self) -> str:
        return f"{self.form} v{self.version}"


class SigningBatch(models.Model):
    """Ký số theo lô: a leader approves and seals several dossiers in one action, in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang ký")
        DONE = "done", _("Đã xong")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người ký"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lô ký số")
        verbose_name_plural = pgettext_lazy("plural", "lô ký số")

    def __str__(self) -> str:
        return f"#{self.pk}"


class SigningBatchItem(models.Model):
    """One dossier of a batch: waiting, signed, or failed with its reason (code and message)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        SIGNED = "signed", _("Đã ký")
        FAILED = "failed", _("Không ký được")

    batch = models.ForeignKey(SigningBatch, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("hồ sơ"))
    position = models.PositiveIntegerField()
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason_code = models.CharField(max_length=60, blank=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    document = models.ForeignKey(SignedDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["batch", "dossier"], name="signing_batch_dossier")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.position}"
