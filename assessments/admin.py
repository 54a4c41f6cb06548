from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from accounts.access import may_edit_shared_reference
from core.history_admin import HistoryAdmin, ReadOnlyAdmin

from . import quality, services
from .assessment_forms import NewGridEmissionFactorForm
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


class ReferenceAdmin(HistoryAdmin):
    """A factor table every TOE and tCO₂ figure reads, changed as on the staff's factor pages
    (views/factor_editing.py): by whom they allow (`may_edit_shared_reference`), its values
    only, its key (`key_field`) never once stored, and no factor deleted: the computations look
    a factor up by its key."""

    key_field = ""

    def get_readonly_fields(self, request, obj=None):
        return (self.key_field,) if obj is not None else ()

    def has_add_permission(self, request):
        return may_edit_shared_reference(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_edit_shared_reference(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConversionFactor)
class ConversionFactorAdmin(ReferenceAdmin):
    """The carriers are the code's (AnnualReport.ENERGY_FIELDS): none is added here, as on the
    staff's pages."""

    list_display = ("carrier", "name", "unit", "toe_per_unit", "co2_t_per_unit", "source")
    key_field = "carrier"

    def has_add_permission(self, request):
        return False


class GridEmissionFactorAdminForm(forms.ModelForm):
    # The staff's form's rule of a new factor's year.
    clean_year = NewGridEmissionFactorForm.clean_year


@admin.register(GridEmissionFactor)
class GridEmissionFactorAdmin(ReferenceAdmin):
    list_display = ("year", "t_co2_per_mwh", "source")
    key_field = "year"
    form = GridEmissionFactorAdminForm


class AnnualReportAdminForm(forms.ModelForm):
    """A save in the admin is the user's entry (services.annual_report_save): before it, the form
    checks the report as that save will (services.annual_report_save_check), so that the
    model's rules in the state the save leads to and the data-quality errors stop it here, each
    on its field. `user` is set by AnnualReportAdmin.get_form."""

    user = None
    quality_findings = None

    def _post_clean(self):
        super()._post_clean()
        try:
            self.quality_findings = services.annual_report_save_check(self.instance, by=self.user)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                self.add_error(None, error)
                return
            for field, errors in error.error_dict.items():
                # A field the form refused keeps its stored value here: told once, by the form.
                if field not in self._errors:
                    self.add_error(field if field in self.fields else None, errors)


@admin.register(AnnualReport)
class AnnualReportAdmin(HistoryAdmin):
    """A report is changed here as on the staff's report page: while it is not approved
    (`is_editable_by`; an approved one is read only until reopened), through the same service,
    which sets its state, reviewer and dates and logs the step. Reports are added on the
    staff's pages."""

    list_display = ("facility", "year", "state", "aware", "applies_cp", "has_cp_unit")
    list_filter = ("state", "year")
    search_fields = ("facility__name", "facility__tax_code")
    raw_id_fields = ("facility",)
    form = AnnualReportAdminForm
    # The workflow's fields: set by its steps and saves only.
    readonly_fields = (
        "state",
        "review_comment",
        "submitted_at",
        "returned_at",
        "reviewed_at",
        "reviewed_by",
        "created_by",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        report = services.annual_report_save(
            report=obj, by=request.user, findings=form.quality_findings
        )
        for finding in quality.warnings(report.checked_findings):
            message = _("Cảnh báo số liệu: %(m)s") % {"m": finding.message}
            self.message_user(request, message, messages.WARNING)


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
            lock_cap_group(assessment.pk, assessment.facility_id)
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
class AssessmentAdmin(HistoryAdmin):
    """Its state moves by the workflow's steps only (submitted, returned, approved on the
    staff's pages, each logged); its figures are held to the model's rules (Assessment.clean,
    the options' savings cap: OptionInlineFormSet); an approved one is not deleted."""

    list_display = ("facility", "kind", "start_date", "state")
    list_filter = ("kind", "state")
    raw_id_fields = ("facility",)
    readonly_fields = ("state", "review_comment", "created_by")
    inlines = [OptionInline]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """The delete pages (one, or the list's action) name the assessments whose removal
        would take the largest baseline figure of their facility below what its other
        assessments' options save (Assessment.removal_errors) among what protects the deletion:
        nothing is deleted."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for assessment in objs:
            for error in assessment.removal_errors().values():
                protected.append(f"{assessment}: {error}")
        return deleted, counts, perms_needed, protected


class ParticipationInline(admin.TabularInline):
    model = Participation
    raw_id_fields = ("facility",)
    extra = 0


@admin.register(Activity)
class ActivityAdmin(HistoryAdmin):
    list_display = ("title", "kind", "date", "district")
    list_filter = ("kind",)
    inlines = [ParticipationInline]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    """Read only: the review log is written by the workflow's steps (review.log_event), never
    added, changed or deleted by hand (the deadlines trust it: `deadlines.resubmittable`)."""

    list_display = ("action", "report", "assessment", "by", "at")
    list_filter = ("action",)
    list_select_related = ("report__facility", "assessment__facility", "by")
