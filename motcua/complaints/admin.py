from django.contrib import admin

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["code", "subject", "status", "agency", "branch", "due_at", "closed_at", "rating"]
    list_filter = ["status", "about", "channel"]
    search_fields = ["code", "subject"]
    readonly_fields = ["code", "tracking_key", "received_at", "due_at", "reminded_at", "escalated_at", "answered_by",
                       "answered_at", "approved_by", "closed_at", "published_at", "rating", "rated_at"]
