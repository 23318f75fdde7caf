from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError

from .models import Booking, CounterState, Device, QueueConfig, Ticket
from .services.devices import revoke_device


@admin.register(QueueConfig)
class QueueConfigAdmin(admin.ModelAdmin):
    list_display = ["service_point", "ordering_policy", "max_priority_streak", "tickets_per_person_per_day",
                    "enforce_capacity", "walk_in_priority_only", "booking_days_ahead", "slot_minutes"]


@admin.register(CounterState)
class CounterStateAdmin(admin.ModelAdmin):
    list_display = ["counter", "status", "officer", "updated_at"]
    list_filter = ["status"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Tickets for supervision: numbers and times; the bound ID stays masked here."""

    list_display = ["number", "day", "service_point", "group", "status", "priority", "lane", "source", "counter",
                    "flagged", "issued_at", "called_at", "finished_at"]
    list_filter = ["day", "status", "source", "flagged", "priority", "service_point"]
    search_fields = ["number", "booking_reference"]
    date_hierarchy = "issued_at"
    exclude = ["national_id", "phone", "device", "token"]
    readonly_fields = ["masked_national_id", "masked_phone", "number", "sequence", "day", "issued_at", "queued_at",
                       "called_at", "started_at", "finished_at", "call_count", "transfer_count", "issued_by",
                       "served_by", "estimated_wait_minutes"]

    def has_add_permission(self, request):
        return False  # tickets come from the kiosk, the reception desk or a booking, never typed in here


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings for supervision (read only): the ID and phone stay masked; citizens cancel online."""

    list_display = ["code", "day", "starts_at", "service_point", "group", "status", "reminded_at", "checked_in_at"]
    list_filter = ["day", "status", "service_point"]
    search_fields = ["code"]
    date_hierarchy = "starts_at"
    exclude = ["national_id", "phone", "otp_hash", "public_id"]
    readonly_fields = ["masked_national_id", "masked_phone", "code", "service_point", "group", "day", "starts_at",
                       "ends_at", "status", "otp_expires_at", "otp_attempts", "created_at", "confirmed_at",
                       "reminded_at", "checked_in_at", "closed_at", "ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Paired kiosks and rating tablets: who paired each, when it was last seen; revoke to end a pairing.

    Devices are paired on the device itself by an officer of the branch (its key is shown to no one),
    so they are never added here.
    """

    list_display = ["__str__", "kind", "service_point", "counter", "key_prefix", "created_by", "created_at",
                    "last_seen_at", "revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter), "service_point"]
    search_fields = ["name", "key_prefix"]
    fields = ["kind", "service_point", "counter", "name", "key_prefix", "created_by", "created_at", "last_seen_at",
              "revoked_at", "revoked_by"]
    readonly_fields = ["kind", "service_point", "counter", "key_prefix", "created_by", "created_at", "last_seen_at",
                       "revoked_at", "revoked_by"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row keeps who paired the device and when

    @admin.action(description=gettext_lazy("Thu hồi các thiết bị đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = refused = 0
        for device in queryset.select_related("service_point__branch").filter(revoked_at__isnull=True):
            try:
                revoke_device(device, user=request.user)
            except DomainError:
                refused += 1
            else:
                revoked += 1
        self.message_user(request, _("Đã thu hồi %(count)d thiết bị.") % {"count": revoked}, messages.SUCCESS)
        if refused:
            self.message_user(request, _("Không thu hồi được %(count)d thiết bị: chỉ cán bộ của chi nhánh hoặc quản "
                                         "trị hệ thống được thu hồi.") % {"count": refused}, messages.WARNING)
