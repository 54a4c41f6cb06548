from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
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
from .models.savings_cap import lock_cap_group


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


class OptionInlineFormSet(BaseInlineFormSet):
    """The options of one assessment saved together: each option's own check (Option.clean) sees
    only the options already stored, so the set the save leaves (the forms kept, the stored
    options not in the formset) is held to the savings cap as a whole
    (Assessment.option_saving_errors), against the baseline year of the form above."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Each option alone (Option.clean) against the cap; their sum here, as the save leaves it.
        form.instance.savings_summed_by_formset = True
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        assessment = self.instance
        if assessment.pk and transaction.get_connection().in_atomic_block:
            # The admin saves in one transaction: lock the assessments sharing the savings cap
            # so that an option added meanwhile (the web forms lock them too) cannot slip past.
            lock_cap_group(assessment.pk, (assessment.facility_id, assessment.baseline_year))
        deleted = self.deleted_forms
        kept = [
            form.instance
            for form in self.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]
        if assessment.pk:
            in_forms = [form.instance.pk for form in self.forms if form.instance.pk]
            kept += Option.objects.filter(assessment_id=assessment.pk).exclude(pk__in=in_forms)
        errors = assessment.option_saving_errors(kept)
        if errors:
            raise ValidationError(list(errors.values()))


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionInlineFormSet
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
