from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, DemoAccount
from .roles import ROLE_LABELS


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are issued through the API so the key is shown once


@admin.register(DemoAccount)
class DemoAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role_label")

    @admin.display(description=_("vai trò"), ordering="role")
    def role_label(self, obj):
        return ROLE_LABELS.get(obj.role, obj.role)
