from django.contrib import admin

from .models import (
    AdministrativeUnit,
    Agency,
    Branch,
    Center,
    Counter,
    Officer,
    Person,
    ServiceGroup,
    ServicePoint,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "is_current")
    list_filter = ("level", "is_current")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "successors")


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ("code", "short_name", "province", "cutoff_time", "last_hour_counts_next_day", "resume_mode")
    autocomplete_fields = ("province",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "short_name", "kind", "e_id", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "short_name", "e_id")
    autocomplete_fields = ("commune",)


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("letter", "code", "name", "average_service_minutes", "position")


class ServicePointInline(admin.StackedInline):
    model = ServicePoint
    extra = 0
    autocomplete_fields = ("commune",)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "code", "opened_on", "is_active")
    search_fields = ("name", "code")
    inlines = [ServicePointInline]


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    filter_horizontal = ("service_groups",)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "branch", "address", "is_active")
    list_filter = ("branch",)
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("commune",)
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "lanes", "priority_only", "planned_periods", "agency", "is_active")
    list_filter = ("kind", "priority_only", "lanes", "service_point__branch")
    filter_horizontal = ("service_groups",)


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agency", "branch", "title")
    list_filter = ("agency__kind", "branch")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("agency",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "birth_date", "gender", "commune")
    search_fields = ("full_name", "=national_id")
    autocomplete_fields = ("commune",)
