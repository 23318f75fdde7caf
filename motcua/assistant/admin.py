from django.contrib import admin

from .models import Conversation, Exchange


class ExchangeInline(admin.TabularInline):
    model = Exchange
    extra = 0
    can_delete = False
    readonly_fields = ["asked_at", "question", "intent", "procedure_codes", "answered"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "channel", "started_at", "procedure_code"]
    list_filter = ["channel"]
    readonly_fields = ["public_id", "channel", "started_at", "last_at", "procedure_code"]
    inlines = [ExchangeInline]


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = ["asked_at", "question", "intent", "answered"]
    list_filter = ["intent", "answered"]
    search_fields = ["question"]
    readonly_fields = ["conversation", "asked_at", "question", "intent", "procedure_codes", "answered"]
