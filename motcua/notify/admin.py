"""Staff view of deliveries: what went to whom (masked), on which channel, with which status; retry."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.privacy import mask, mask_phone

from . import services
from .models import Channel, Delivery, Preference


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "channel", "recipient", "masked_address", "status", "attempts",
                    "next_attempt_at", "last_error")
    list_filter = ("status", "channel", "kind", "template")
    search_fields = ("recipient", "object_id", "provider_message_id")
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = ("topic", "template", "kind", "channel", "recipient", "masked_address", "object_type", "object_id",
              "language", "subject", "text", "status", "attempts", "next_attempt_at", "last_error",
              "provider_message_id", "created_at", "sent_at", "delivered_at", "failed_at", "read_at")
    readonly_fields = fields

    @admin.display(description=_("địa chỉ nhận"))
    def masked_address(self, obj: Delivery) -> str:
        if obj.channel == Channel.EMAIL:
            name, _at, domain = obj.address.partition("@")
            return f"{mask(name, 2)}@{domain}" if domain else mask(obj.address, 2)
        return mask_phone(obj.address)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Gửi lại các lượt đã ngừng hoặc không đến được"),
                  permissions=["view"])
    def retry(self, request, queryset):
        count = services.requeue(list(queryset))
        self.message_user(request, ngettext("Đã xếp lại %(count)d lượt gửi.", "Đã xếp lại %(count)d lượt gửi.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "updated_at")
    readonly_fields = ("user", "channels", "language", "updated_at")

    def has_add_permission(self, request):
        return False
