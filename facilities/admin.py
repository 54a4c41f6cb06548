from django.contrib import admin
from django.db import transaction

from core.history_admin import HistoryAdmin

from .forms import FacilityAdminForm
from .models import AdminUnit, Facility, IndustrialArea, IndustryCode
from .reference import rebuild_province_for_units, rebuild_search_for_units


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "scheme", "parent")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        """A renamed or moved unit is renamed in its facilities' search text; a moved one moves
        the facilities placed in it or under it to its new 2025 province (Facility.province: a
        national installation's scopes and per-province figures), in the same transaction."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = set(form.changed_data) if change else set()
            if {"name", "parent"} & changed:
                rebuild_search_for_units([obj.pk])
            if "parent" in changed:
                rebuild_province_for_units([obj.pk])


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "version", "is_priority")
    list_filter = ("version", "level", "is_priority")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(IndustrialArea)
class IndustrialAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Facility)
class FacilityAdmin(HistoryAdmin):
    form = FacilityAdminForm  # a superuser's change of the years keeps the facility's records
    list_display = ("name", "tax_code", "commune", "ward", "industry", "status")
    list_filter = ("status", "ownership", "high_pollution_risk", "key_energy_user")
    search_fields = ("name", "tax_code")
    list_select_related = ("commune", "ward", "industry")
    raw_id_fields = ("commune", "ward", "industry", "industrial_area")
