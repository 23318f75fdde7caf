from django.contrib import admin

from .models import Certificate, SignedDocument


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "serial", "not_before", "not_after", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("subject", "serial")

    def get_readonly_fields(self, request, obj=None):
        # A certificate is entered once (a real provider's, docs/signing.md); revocation goes through
        # services.revoke_certificate so that the CRL is published again.
        if obj is None:
            return ("revoked_at", "revocation_reason")
        return [f.name for f in Certificate._meta.fields]


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    """Signed files are immutable: visible here, never edited."""

    list_display = ("dossier", "form", "version", "signed_at", "sha256")
    readonly_fields = [f.name for f in SignedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
