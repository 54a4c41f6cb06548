from django.contrib import admin

from assessments.models import PlanPeriod
from core.history_admin import HistoryAdmin

from .models import Indicator, IndicatorValue


@admin.register(PlanPeriod)
class PlanPeriodAdmin(HistoryAdmin):
    list_display = ("code", "name", "start_year", "end_year")


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ("code", "name_vi", "period", "unit", "target_min", "target_max", "method")
    list_filter = ("period", "method")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ("indicator", "year", "value", "author")
