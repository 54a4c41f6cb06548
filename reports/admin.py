from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import PlanPeriod

from .models import Indicator, IndicatorValue


@admin.register(PlanPeriod)
class PlanPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "start_year", "end_year")


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_vi", "period", "unit", "target_min", "target_max", "method")
    list_filter = ("period", "method")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "year", "value", "author")
