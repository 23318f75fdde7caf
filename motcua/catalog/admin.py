from django.contrib import admin

from .models import (
    ChannelFeeRule,
    Fee,
    FeeExemption,
    Field,
    HandledElsewhere,
    Procedure,
    RequiredDocument,
    RouteStep,
)


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class RouteStepInline(admin.TabularInline):
    model = RouteStep
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "service_group")
    search_fields = ("code", "name")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "status", "field", "level", "agency", "processing_days", "online_level")
    list_filter = ("status", "level", "online_level", "field", "anywhere")
    search_fields = ("code", "name")
    autocomplete_fields = ("field", "agency")
    readonly_fields = ("updated_at", "import_problems")
    inlines = [DocumentInline, FeeInline, RouteStepInline]
    list_select_related = ("field", "agency")


@admin.register(HandledElsewhere)
class HandledElsewhereAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "where")
    search_fields = ("code", "name")


class FeeExemptionInline(admin.TabularInline):
    model = FeeExemption
    extra = 0


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure", "kind", "basis", "amount", "council_set")
    list_filter = ("kind", "basis", "council_set")
    search_fields = ("name", "procedure__code")
    inlines = [FeeExemptionInline]


@admin.register(ChannelFeeRule)
class ChannelFeeRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "percent", "valid_from", "valid_until")
