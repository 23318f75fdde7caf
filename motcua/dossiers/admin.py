"""Dossiers are read in the admin; every change goes through the services (audited, versioned)."""

from django.contrib import admin

from .models import Consultation, Dossier, DossierDocument, DossierStep, PortalImport, SupplementRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ("position", "name", "role", "agency", "assignee", "started_at", "due_at", "finished_at", "outcome")


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("position", "name", "source", "filename", "content_type", "size")


class ConsultationInline(ReadOnlyInline):
    model = Consultation
    fk_name = "dossier"
    fields = ("agency", "question", "due_at", "answer", "answered_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: the services write these rows (audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "procedure", "channel", "state", "branch", "competent_agency", "received_at", "due_at")
    list_filter = ("state", "channel", "branch", "competent_agency")
    search_fields = ("code",)
    exclude = ("applicant_id_number", "applicant_phone", "representative_id_number", "representative_phone")
    inlines = [StepInline, DocumentInline, ConsultationInline]


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "requested_at", "supplied_at")


@admin.register(PortalImport)
class PortalImportAdmin(ReadOnlyAdmin):
    """Which national-portal filings were taken in or turned away, read only (the pull job writes them)."""

    list_display = ("reference", "outcome", "dossier", "reason", "at")
    list_filter = ("outcome", "reason")
    search_fields = ("reference", "dossier__code")
    readonly_fields = ("reference", "outcome", "dossier", "reason", "problems", "at")
