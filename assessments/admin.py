from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    AnnualReport,
    Assessment,
    ConversionFactor,
    GridEmissionFactor,
    Option,
    Participation,
    WorkflowEvent,
)


@admin.register(ConversionFactor)
class ConversionFactorAdmin(SimpleHistoryAdmin):
    list_display = ("carrier", "name", "unit", "toe_per_unit", "co2_t_per_unit", "source")


@admin.register(GridEmissionFactor)
class GridEmissionFactorAdmin(SimpleHistoryAdmin):
    list_display = ("year", "t_co2_per_mwh", "source")


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ("facility", "year", "state", "aware", "applies_cp", "has_cp_unit")
    list_filter = ("state", "year")
    search_fields = ("facility__name", "facility__tax_code")
    raw_id_fields = ("facility", "reviewed_by", "created_by")


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("facility", "kind", "start_date", "state")
    list_filter = ("kind", "state")
    raw_id_fields = ("facility", "created_by")
    inlines = [OptionInline]


class ParticipationInline(admin.TabularInline):
    model = Participation
    raw_id_fields = ("facility",)
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "date", "district")
    list_filter = ("kind",)
    inlines = [ParticipationInline]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ("action", "report", "assessment", "by", "at")
    raw_id_fields = ("report", "assessment", "by")
